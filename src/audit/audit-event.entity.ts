import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import type { AccessRoute } from '../access/child-access';
import { AgencyEntity } from '../agencies/agency.entity';
import { UserEntity } from '../agencies/user.entity';

/**
 * One thing that happened to child data or to people: who (user and the agency they acted for), what, to which
 * subject and child, through which access route, when. Append-only and hash chained (migration AuditLog): seq,
 * lane, at, prev_seq, prev_hash and hash are set by the database trigger, never by the application. child_id has
 * no foreign key: the log outlives what it mentions.
 */
@Entity('audit_event')
@Check('audit_event_lane_check', 'lane >= 0 AND lane < 32')
@Check('audit_event_action_check', `action ~ '^[A-Za-z][A-Za-z0-9_.]{0,79}$'`)
@Check('audit_event_subject_type_check', `subject_type ~ '^[A-Za-z][A-Za-z0-9_]{0,79}$'`)
@Check('audit_event_subject_id_check', 'length(subject_id) <= 200')
@Check('audit_event_route_check', `route IN ('INVOLVED', 'GRANTED', 'CONFERENCE', 'BREAK_GLASS')`)
@Check('audit_event_purpose_check', 'length(purpose) <= 2000')
@Check('audit_event_request_id_check', 'length(request_id) <= 200')
@Check('audit_event_outcome_check', `outcome ~ '^[A-Z][A-Z_]{0,39}$'`)
@Index('audit_event_child_idx', ['childId', 'seq'], { where: 'child_id IS NOT NULL' })
@Index('audit_event_staff_idx', ['userId', 'agencyId', 'seq'])
@Index('audit_event_lane_idx', ['lane', 'seq'])
export class AuditEventEntity {
  /** bigint: carried as a string so no precision is lost. */
  @PrimaryColumn('bigint') seq!: string;
  /** Which of the interleaved hash chains the event continues. */
  @Column('smallint') lane!: number;
  @Column('timestamptz') at!: Date;
  @Column('uuid', { nullable: true })
  @ForeignKey(() => UserEntity, { name: 'audit_event_user_id_fkey' })
  userId!: string | null;
  @Column('uuid', { nullable: true })
  @ForeignKey(() => AgencyEntity, { name: 'audit_event_agency_id_fkey' })
  agencyId!: string | null;
  @Column('text') action!: string;
  @Column('text') subjectType!: string;
  @Column('text', { nullable: true }) subjectId!: string | null;
  @Column('uuid', { nullable: true }) childId!: string | null;
  @Column('text', { nullable: true }) route!: AccessRoute | null;
  /** Why, where the operation states it (a grant's purpose, a break-glass reason). */
  @Column('text', { nullable: true }) purpose!: string | null;
  /** A read made under break-glass: flagged for review. */
  @Column('boolean', { default: false }) breakGlass!: boolean;
  @Column('text', { nullable: true }) requestId!: string | null;
  /** The code an attempt was refused with (FORBIDDEN, CONFLICT, ...); null for what was done. */
  @Column('text', { nullable: true }) outcome!: string | null;
  @Column('bigint', { nullable: true }) prevSeq!: string | null;
  @Column('bytea') prevHash!: Buffer;
  @Column('bytea') hash!: Buffer;
}
