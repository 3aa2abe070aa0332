import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { ConcernCategory, RecruitmentSetting, RiskLevel, Sensitivity } from './chronology.enums';

/**
 * One chronology entry: what an agency saw, and when. Append-only (a trigger refuses UPDATE, DELETE and
 * TRUNCATE): a correction is a new concern that `amends` this one, so what was known when stays on the record.
 */
@Entity('concern')
export class ConcernEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') childId!: string;
  /** The authoring agency: it always reads its own entries, whatever their tier. */
  @Column('uuid') agencyId!: string;
  @Column('uuid') recordedBy!: string;
  @Column('timestamptz') occurredAt!: Date;
  @Column('timestamptz', { default: () => 'now()' }) recordedAt!: Date;
  @Column('text') category!: ConcernCategory;
  /** Codes from reference/indicators.json. */
  @Column('text', { array: true }) indicators!: string[];
  @Column('text') recruitmentSetting!: RecruitmentSetting;
  @Column('text') riskLevel!: RiskLevel;
  @Column('text') sensitivity!: Sensitivity;
  @Column('text') narrative!: string;
  @Column('uuid', { nullable: true }) amendsConcernId!: string | null;
}
