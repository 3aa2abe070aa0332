import { Check, Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { AgencyEntity } from '../agencies/agency.entity';
import { MembershipEntity } from '../agencies/membership.entity';
import { UserEntity } from '../agencies/user.entity';
import { ConferenceEntity } from './conference.entity';

/**
 * One action of a conference's decision, owned by an agency (and optionally one of its people), due on a day.
 * Stored OPEN, DONE or CANCELLED: an OPEN action past its day is shown OVERDUE, so the state needs no job to be true.
 */
@Entity('plan_action')
@Check('plan_action_description_check', 'length(btrim(description)) BETWEEN 1 AND 2000')
@Check('plan_action_status_check', `status IN ('OPEN','DONE','CANCELLED')`)
@Check('plan_action_version_check', 'version >= 1')
@ForeignKey(() => MembershipEntity, ['ownerId', 'ownerAgencyId'], ['userId', 'agencyId'], {
  name: 'plan_action_owner_id_owner_agency_id_fkey',
})
@Unique('plan_action_position_key', ['conferenceId', 'position'])
@Index('plan_action_open_due_idx', ['dueOn'], { where: `status = 'OPEN'` })
export class PlanActionEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid')
  @ForeignKey(() => ConferenceEntity, { name: 'plan_action_conference_id_fkey' })
  conferenceId!: string;
  /** The order the chair gave the actions in. */
  @Column('integer') position!: number;
  @Column('text') description!: string;
  @Column('uuid')
  @ForeignKey(() => AgencyEntity, { name: 'plan_action_owner_agency_id_fkey' })
  ownerAgencyId!: string;
  @Column('uuid', { nullable: true }) ownerId!: string | null;
  @Column('date') dueOn!: string;
  @Column('text', { default: 'OPEN' }) status!: string;
  @Column('integer', { default: 1 }) version!: number;
  @Column('uuid', { nullable: true })
  @ForeignKey(() => UserEntity, { name: 'plan_action_updated_by_fkey' })
  updatedBy!: string | null;
  @Column('timestamptz', { nullable: true }) updatedAt!: Date | null;
}
