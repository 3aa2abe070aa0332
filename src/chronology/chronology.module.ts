import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgenciesModule } from '../agencies/agencies.module';
import { ChildrenModule } from '../children/children.module';
import { ConcernEntity } from './concern.entity';
import { ChildChronologyResolver, ConcernResolver, RiskAssessmentResolver } from './chronology.resolver';
import { ChronologyRepository } from './chronology.repository';
import { ChronologyService } from './chronology.service';
import { RiskAssessmentEntity } from './risk-assessment.entity';

/** The chronology of concerns and the risk assessments of a child (DESIGN §2). */
@Module({
  imports: [TypeOrmModule.forFeature([ConcernEntity, RiskAssessmentEntity]), AgenciesModule, ChildrenModule],
  providers: [
    ChronologyService,
    ChronologyRepository,
    ChildChronologyResolver,
    ConcernResolver,
    RiskAssessmentResolver,
  ],
  exports: [ChronologyService],
})
export class ChronologyModule {}
