import { Check, Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { AgencyEntity } from '../agencies/agency.entity';
import { UserEntity } from '../agencies/user.entity';
import { ChildEntity } from '../children/child.entity';
import { sqlList } from '../database/sql-list';
import { ConcernCategory, RiskLevel, Sensitivity } from '../common/enums/chronology';

/**
 * A professional judgement of the child's overall risk at a point in time. Append-only like the chronology: the
 * child's current risk is the latest assessment the viewer may see, and earlier ones stay as history.
 */
@Entity('risk_assessment')
@Check('risk_assessment_level_check', `level IN (${sqlList(RiskLevel)})`)
@Check(
  'risk_assessment_exploitation_types_check',
  `exploitation_types <@ ARRAY[${sqlList(ConcernCategory)}]::text[]
   AND array_position(exploitation_types, NULL) IS NULL`,
)
@Check('risk_assessment_rationale_check', 'length(btrim(rationale)) >= 1 AND length(rationale) <= 20000')
@Check('risk_assessment_sensitivity_check', `sensitivity IN (${sqlList(Sensitivity)})`)
// (child_id, assessed_at DESC, id DESC): TypeORM cannot declare a descending index column.
@Index('risk_assessment_child_latest_idx', { synchronize: false })
@Index('risk_assessment_agency_idx', ['agencyId'])
@Index('risk_assessment_assessed_by_idx', ['assessedBy'])
export class RiskAssessmentEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid')
  @ForeignKey(() => ChildEntity, { name: 'risk_assessment_child_id_fkey' })
  childId!: string;
  @Column('uuid')
  @ForeignKey(() => AgencyEntity, { name: 'risk_assessment_agency_id_fkey' })
  agencyId!: string;
  @Column('uuid')
  @ForeignKey(() => UserEntity, { name: 'risk_assessment_assessed_by_fkey' })
  assessedBy!: string;
  @Column('timestamptz', { default: () => 'now()' }) assessedAt!: Date;
  @Column('text') level!: RiskLevel;
  @Column('text', { array: true }) exploitationTypes!: ConcernCategory[];
  @Column('text') rationale!: string;
  /** STANDARD unless the assessor restricts it: a summary meant for everyone who works with the child. */
  @Column('text', { default: Sensitivity.STANDARD }) sensitivity!: Sensitivity;
}
