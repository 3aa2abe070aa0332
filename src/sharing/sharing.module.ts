import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgenciesModule } from '../agencies/agencies.module';
import { ChildrenModule } from '../children/children.module';
import { AccessGrantEntity } from './access-grant.entity';
import { AccessRefusalEntity } from './access-refusal.entity';
import { BreakGlassAccessEntity } from './break-glass-access.entity';
import { BreakGlassReviewEntity } from './break-glass-review.entity';
import { BreakGlassService } from './break-glass.service';
import { AccessGrantResolver, AccessRefusalResolver, BreakGlassResolver } from './sharing.resolver';
import { SharingRepository } from './sharing.repository';
import { SharingService } from './sharing.service';

/** Access grants, decisions not to share, and break-glass (DESIGN §2, §4). */
@Module({
  imports: [
    TypeOrmModule.forFeature([AccessGrantEntity, AccessRefusalEntity, BreakGlassAccessEntity, BreakGlassReviewEntity]),
    AgenciesModule,
    ChildrenModule,
  ],
  providers: [
    SharingRepository,
    SharingService,
    BreakGlassService,
    AccessGrantResolver,
    AccessRefusalResolver,
    BreakGlassResolver,
  ],
})
export class SharingModule {}
