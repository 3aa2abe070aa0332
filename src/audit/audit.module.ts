import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditEventEntity } from './audit-event.entity';
import { AuditLog } from './log/audit-log.service';
import { AuditRepository } from './log/audit.repository';
import { AuditResolver } from './audit.resolver';
import { AuditService } from './audit.service';

/** Global: every module that reads or changes child data records what it did through AuditLog. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([AuditEventEntity])],
  providers: [AuditRepository, AuditLog, AuditService, AuditResolver],
  exports: [AuditLog],
})
export class AuditModule {}
