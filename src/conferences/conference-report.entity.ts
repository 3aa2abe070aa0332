import { Check, Column, Entity, ForeignKey, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { AgencyEntity } from '../agencies/agency.entity';
import { MembershipEntity } from '../agencies/membership.entity';
import { Sensitivity } from '../common/enums/chronology';
import { sqlList } from '../database/sql-list';
import { ConferenceEntity } from './conference.entity';

/** An invited agency's report to the conference, in a tier it may write: one per agency. */
@Entity('conference_report')
@Check('conference_report_content_check', 'length(btrim(content)) BETWEEN 1 AND 20000')
@Check('conference_report_sensitivity_check', `sensitivity = ANY (ARRAY[${sqlList(Sensitivity)}]::text[])`)
@ForeignKey(() => MembershipEntity, ['authorId', 'agencyId'], ['userId', 'agencyId'], {
  name: 'conference_report_author_id_agency_id_fkey',
})
@Unique('conference_report_agency_key', ['conferenceId', 'agencyId'])
export class ConferenceReportEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid')
  @ForeignKey(() => ConferenceEntity, { name: 'conference_report_conference_id_fkey' })
  conferenceId!: string;
  @Column('uuid')
  @ForeignKey(() => AgencyEntity, { name: 'conference_report_agency_id_fkey' })
  agencyId!: string;
  @Column('uuid') authorId!: string;
  @Column('timestamptz', { default: () => 'now()' }) submittedAt!: Date;
  @Column('text') content!: string;
  @Column('text') sensitivity!: Sensitivity;
}
