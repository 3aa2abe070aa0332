import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgenciesModule } from '../agencies/agencies.module';
import { ChildrenModule } from '../children/children.module';
import { NrmReferralEntity } from './nrm-referral.entity';
import { NrmRepository } from './nrm.repository';
import { ChildNrmResolver, NrmReferralResolver } from './nrm.resolver';
import { NrmService } from './nrm.service';

/** National Referral Mechanism referrals of a child and the decisions on them (DESIGN §2). */
@Module({
  imports: [TypeOrmModule.forFeature([NrmReferralEntity]), AgenciesModule, ChildrenModule],
  providers: [NrmService, NrmRepository, ChildNrmResolver, NrmReferralResolver],
  exports: [NrmService],
})
export class NrmModule {}
