import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One person's 60-minute emergency access to a child's record, with their reason, until someone reviews it. */
@Entity('break_glass_access')
export class BreakGlassAccessEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') childId!: string;
  @Column('uuid') userId!: string;
  /** The agency the person acted for: its leads answer for them. */
  @Column('uuid') agencyId!: string;
  @Column('text') reason!: string;
  @Column('timestamptz') startedAt!: Date;
  @Column('timestamptz') expiresAt!: Date;
  @Column('timestamptz', { nullable: true }) reviewedAt!: Date | null;
  @Column('uuid', { nullable: true }) reviewedBy!: string | null;
  @Column('text', { nullable: true }) reviewOutcome!: string | null;
}
