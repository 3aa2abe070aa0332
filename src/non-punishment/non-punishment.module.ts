import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgenciesModule } from '../agencies/agencies.module';
import { ChildrenModule } from '../children/children.module';
import { ConferencesModule } from '../conferences/conferences.module';
import { NrmModule } from '../nrm/nrm.module';
import { NonPunishmentAssessmentEntity } from './non-punishment-assessment.entity';
import { NonPunishmentRepository } from './non-punishment.repository';
import { ChildNonPunishmentResolver, NonPunishmentAssessmentResolver } from './non-punishment.resolver';
import { NonPunishmentService } from './non-punishment.service';

/** The prosecutor's non-punishment assessment of a child suspect (DESIGN §2). */
@Module({
  imports: [
    TypeOrmModule.forFeature([NonPunishmentAssessmentEntity]),
    AgenciesModule,
    ChildrenModule,
    ConferencesModule,
    NrmModule,
  ],
  providers: [
    NonPunishmentService,
    NonPunishmentRepository,
    ChildNonPunishmentResolver,
    NonPunishmentAssessmentResolver,
  ],
})
export class NonPunishmentModule {}
