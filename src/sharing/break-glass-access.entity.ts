import { Check, Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { AgencyEntity } from '../agencies/agency.entity';
import { UserEntity } from '../agencies/user.entity';
import { ChildEntity } from '../children/child.entity';

/** One person's 60-minute emergency access to a child's record, with their reason, until someone reviews it. */
@Entity('break_glass_access')
@Check('break_glass_access_reason_check', 'length(btrim(reason)) BETWEEN 20 AND 2000')
@Check('break_glass_access_review_outcome_check', 'length(btrim(review_outcome)) BETWEEN 1 AND 2000')
@Check('break_glass_access_check', `expires_at = started_at + interval '60 minutes'`)
@Check(
  'break_glass_access_check1',
  '(reviewed_at IS NULL) = (reviewed_by IS NULL) AND (reviewed_at IS NULL) = (review_outcome IS NULL)',
)
@Check('break_glass_access_check2', 'reviewed_by IS DISTINCT FROM user_id')
// (user_id, agency_id, child_id) INCLUDE (expires_at): TypeORM cannot declare covering columns.
@Index('break_glass_user_idx', { synchronize: false })
@Index('break_glass_unreviewed_agency_idx', ['agencyId'], { where: 'reviewed_at IS NULL' })
@Index('break_glass_unreviewed_child_idx', ['childId'], { where: 'reviewed_at IS NULL' })
export class BreakGlassAccessEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid')
  @ForeignKey(() => ChildEntity, { name: 'break_glass_access_child_id_fkey' })
  childId!: string;
  @Column('uuid')
  @ForeignKey(() => UserEntity, { name: 'break_glass_access_user_id_fkey' })
  userId!: string;
  /** The agency the person acted for: its leads answer for them. */
  @Column('uuid')
  @ForeignKey(() => AgencyEntity, { name: 'break_glass_access_agency_id_fkey' })
  agencyId!: string;
  @Column('text') reason!: string;
  @Column('timestamptz', { default: () => 'now()' }) startedAt!: Date;
  @Column('timestamptz') expiresAt!: Date;
  @Column('timestamptz', { nullable: true }) reviewedAt!: Date | null;
  @Column('uuid', { nullable: true })
  @ForeignKey(() => UserEntity, { name: 'break_glass_access_reviewed_by_fkey' })
  reviewedBy!: string | null;
  @Column('text', { nullable: true }) reviewOutcome!: string | null;
}
