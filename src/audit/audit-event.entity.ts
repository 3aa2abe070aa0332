import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AccessRoute } from '../access/child-access';

/**
 * One thing that happened to child data or to people: who (user and the agency they acted for), what, to which
 * subject and child, through which access route, when. Append-only and hash chained (migration AuditLog): seq,
 * at, prev_seq, prev_hash and hash are set by the database trigger, never by the application.
 */
@Entity('audit_event')
export class AuditEventEntity {
  /** bigint: carried as a string so no precision is lost. */
  @PrimaryColumn('bigint') seq!: string;
  @Column('timestamptz') at!: Date;
  @Column('uuid', { nullable: true }) userId!: string | null;
  @Column('uuid', { nullable: true }) agencyId!: string | null;
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
  @Column('bigint', { nullable: true }) prevSeq!: string | null;
  @Column('bytea') prevHash!: Buffer;
  @Column('bytea') hash!: Buffer;
}
