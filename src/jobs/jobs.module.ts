import { Global, Module } from '@nestjs/common';
import { JobQueue } from './job-queue';

/** Global: a module that sends or works jobs (conference reminders) injects the one queue. */
@Global()
@Module({ providers: [JobQueue], exports: [JobQueue] })
export class JobsModule {}
