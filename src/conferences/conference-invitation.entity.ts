import { Check, Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { AgencyEntity } from '../agencies/agency.entity';
import { MembershipEntity } from '../agencies/membership.entity';
import { InvitationResponse } from '../common/enums/conferences';
import { sqlList } from '../database/sql-list';
import { ConferenceEntity } from './conference.entity';

/** An agency invited to a conference; the person of it who answers becomes its invitee. */
@Entity('conference_invitation')
@Check('conference_invitation_response_check', `response IN (${sqlList(InvitationResponse)})`)
@Check(
  'conference_invitation_responded_check',
  `(response = 'PENDING') = (responded_at IS NULL) AND (response = 'PENDING') = (invitee_id IS NULL)`,
)
@ForeignKey(() => MembershipEntity, ['inviteeId', 'agencyId'], ['userId', 'agencyId'], {
  name: 'conference_invitation_invitee_id_agency_id_fkey',
})
@Unique('conference_invitation_agency_key', ['conferenceId', 'agencyId'])
@Index('conference_invitation_accepted_idx', ['inviteeId', 'agencyId', 'conferenceId'], {
  where: `response = 'ACCEPTED'`,
})
@Index('conference_invitation_agency_idx', ['agencyId', 'conferenceId'])
export class ConferenceInvitationEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid')
  @ForeignKey(() => ConferenceEntity, { name: 'conference_invitation_conference_id_fkey' })
  conferenceId!: string;
  @Column('uuid')
  @ForeignKey(() => AgencyEntity, { name: 'conference_invitation_agency_id_fkey' })
  agencyId!: string;
  @Column('uuid', { nullable: true }) inviteeId!: string | null;
  @Column('text', { default: InvitationResponse.PENDING }) response!: InvitationResponse;
  @Column('timestamptz', { nullable: true }) respondedAt!: Date | null;
}
