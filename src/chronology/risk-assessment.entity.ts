import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { ConcernCategory, RiskLevel, Sensitivity } from './chronology.enums';

/**
 * A professional judgement of the child's overall risk at a point in time. Append-only like the chronology: the
 * child's current risk is the latest assessment the viewer may see, and earlier ones stay as history.
 */
@Entity('risk_assessment')
export class RiskAssessmentEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') childId!: string;
  @Column('uuid') agencyId!: string;
  @Column('uuid') assessedBy!: string;
  @Column('timestamptz', { default: () => 'now()' }) assessedAt!: Date;
  @Column('text') level!: RiskLevel;
  @Column('text', { array: true }) exploitationTypes!: ConcernCategory[];
  @Column('text') rationale!: string;
  /** STANDARD unless the assessor restricts it: a summary meant for everyone who works with the child. */
  @Column('text') sensitivity!: Sensitivity;
}
