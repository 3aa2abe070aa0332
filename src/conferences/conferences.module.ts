import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgenciesModule } from '../agencies/agencies.module';
import { ChildrenModule } from '../children/children.module';
import { ConferenceReminders } from './conference-reminders';
import { ConferenceRemindersWorker } from './conference-reminders.worker';
import { ConferenceAttendanceEntity } from './conference-attendance.entity';
import { ConferenceDissentEntity } from './conference-dissent.entity';
import { ConferenceInvitationEntity } from './conference-invitation.entity';
import { ConferenceReportEntity } from './conference-report.entity';
import { ConferenceEntity } from './conference.entity';
import {
  AttendanceResolver,
  ChildConferencesResolver,
  ConferenceDecisionResolver,
  ConferenceInvitationResolver,
  ConferenceReportResolver,
  ConferenceResolver,
  DissentResolver,
  PlanActionResolver,
} from './conferences.resolver';
import { ConferencesRepository } from './conferences.repository';
import { ConferencesService } from './conferences.service';
import { PlanActionEntity } from './plan-action.entity';

/** Case conferences on statutory timescales (DESIGN §6). */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      ConferenceEntity,
      ConferenceInvitationEntity,
      ConferenceReportEntity,
      ConferenceAttendanceEntity,
      ConferenceDissentEntity,
      PlanActionEntity,
    ]),
    AgenciesModule,
    ChildrenModule,
  ],
  providers: [
    ConferencesRepository,
    ConferencesService,
    ConferenceReminders,
    ConferenceRemindersWorker,
    ConferenceResolver,
    ChildConferencesResolver,
    ConferenceInvitationResolver,
    ConferenceReportResolver,
    AttendanceResolver,
    ConferenceDecisionResolver,
    PlanActionResolver,
    DissentResolver,
  ],
  exports: [ConferencesService],
})
export class ConferencesModule {}
