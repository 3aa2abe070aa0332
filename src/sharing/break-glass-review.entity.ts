import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { AgencyEntity } from '../agencies/agency.entity';
import { MembershipEntity } from '../agencies/membership.entity';
import { UserEntity } from '../agencies/user.entity';
import { BreakGlassAccessEntity } from './break-glass-access.entity';

/**
 * One agency's review of a break-glass: each agency involved with the child when the glass was broken reviews it
 * (its record was opened), by one of its own members.
 */
@Entity('break_glass_review')
@Check('break_glass_review_outcome_check', 'length(btrim(outcome)) BETWEEN 1 AND 2000')
@Check(
  'break_glass_review_check',
  '(reviewed_at IS NULL) = (reviewed_by IS NULL) AND (reviewed_at IS NULL) = (outcome IS NULL)',
)
@ForeignKey(() => MembershipEntity, ['reviewedBy', 'agencyId'], ['userId', 'agencyId'], {
  name: 'break_glass_review_reviewed_by_agency_id_fkey',
})
@Index('break_glass_review_pending_idx', ['agencyId'], { where: 'reviewed_at IS NULL' })
export class BreakGlassReviewEntity {
  @PrimaryColumn('uuid')
  @ForeignKey(() => BreakGlassAccessEntity, { name: 'break_glass_review_break_glass_id_fkey' })
  breakGlassId!: string;
  @PrimaryColumn('uuid')
  @ForeignKey(() => AgencyEntity, { name: 'break_glass_review_agency_id_fkey' })
  agencyId!: string;
  @Column('uuid', { nullable: true })
  @ForeignKey(() => UserEntity, { name: 'break_glass_review_reviewed_by_fkey' })
  reviewedBy!: string | null;
  @Column('timestamptz', { nullable: true }) reviewedAt!: Date | null;
  @Column('text', { nullable: true }) outcome!: string | null;
}
