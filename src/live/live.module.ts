import { Global, Module } from '@nestjs/common';
import { LiveEvents } from './live-events.service';

/** Global: conferences and notifications both serve live updates from it. */
@Global()
@Module({ providers: [LiveEvents], exports: [LiveEvents] })
export class LiveModule {}
