import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { DemoService } from './demo.service';

@Module({ imports: [AuthModule], providers: [DemoService] })
export class DemoModule {}
