import { Check, Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { AgencyEntity } from '../agencies/agency.entity';
import { UserEntity } from '../agencies/user.entity';
import { ChildEntity } from '../children/child.entity';

/**
 * One person's 60-minute emergency access to a child's record, with their reason. Each agency whose record was
 * opened reviews it (break-glass-review.entity.ts).
 */
@Entity('break_glass_access')
@Check('break_glass_access_reason_check', 'length(btrim(reason)) BETWEEN 20 AND 2000')
@Check('break_glass_access_check', `expires_at = started_at + interval '60 minutes'`)
// (user_id, agency_id, child_id) INCLUDE (expires_at): TypeORM cannot declare covering columns.
@Index('break_glass_user_idx', { synchronize: false })
@Index('break_glass_agency_idx', ['agencyId'])
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
  /** Broken again on the same child while an earlier use of the same person still waited for a review. */
  @Column('boolean', { default: false }) repeatWhileUnreviewed!: boolean;
}
