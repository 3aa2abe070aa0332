import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { AgencyEntity } from '../agencies/agency.entity';
import { MembershipEntity } from '../agencies/membership.entity';
import { ConferenceEntity } from './conference.entity';

/** Who was there, for which agency: recorded when the chair starts the conference, and the basis of quorum. */
@Entity('conference_attendance')
@ForeignKey(() => MembershipEntity, ['userId', 'agencyId'], ['userId', 'agencyId'], {
  name: 'conference_attendance_user_id_agency_id_fkey',
})
@Index('conference_attendance_present_idx', ['userId', 'agencyId', 'conferenceId'], { where: 'present' })
export class ConferenceAttendanceEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'conference_attendance_pkey' })
  @ForeignKey(() => ConferenceEntity, { name: 'conference_attendance_conference_id_fkey' })
  conferenceId!: string;
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'conference_attendance_pkey' }) userId!: string;
  @Column('uuid')
  @ForeignKey(() => AgencyEntity, { name: 'conference_attendance_agency_id_fkey' })
  agencyId!: string;
  @Column('boolean') present!: boolean;
}
