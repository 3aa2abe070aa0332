import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgenciesModule } from '../agencies/agencies.module';
import { ConcernEntity } from './concern.entity';
import { ConcernResolver, RiskAssessmentResolver } from './chronology.resolver';
import { ChronologyService } from './chronology.service';
import { RiskAssessmentEntity } from './risk-assessment.entity';

/** The chronology of concerns and the risk assessments of a child (DESIGN §2). */
@Module({
  imports: [TypeOrmModule.forFeature([ConcernEntity, RiskAssessmentEntity]), AgenciesModule],
  providers: [ChronologyService, ConcernResolver, RiskAssessmentResolver],
  exports: [ChronologyService],
})
export class ChronologyModule {}
