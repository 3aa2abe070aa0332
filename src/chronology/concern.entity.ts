import { Check, Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { AgencyEntity } from '../agencies/agency.entity';
import { UserEntity } from '../agencies/user.entity';
import { ChildEntity } from '../children/child.entity';
import { sqlList } from '../database/sql-list';
import { ConcernCategory, RecruitmentSetting, RiskLevel, Sensitivity } from '../common/enums/chronology';
import { INDICATORS } from './indicators';

/**
 * One chronology entry: what an agency saw, and when. Append-only (a trigger refuses UPDATE, DELETE and
 * TRUNCATE): a correction is a new concern that `amends` this one, so what was known when stays on the record.
 */
@Entity('concern')
@Check('concern_category_check', `category IN (${sqlList(ConcernCategory)})`)
@Check(
  'concern_indicators_check',
  `indicators <@ ARRAY[${sqlList(INDICATORS.map((indicator) => indicator.code))}]::text[]
   AND array_position(indicators, NULL) IS NULL`,
)
@Check('concern_recruitment_setting_check', `recruitment_setting IN (${sqlList(RecruitmentSetting)})`)
@Check('concern_risk_level_check', `risk_level IN (${sqlList(RiskLevel)})`)
@Check('concern_sensitivity_check', `sensitivity IN (${sqlList(Sensitivity)})`)
@Check('concern_narrative_check', 'length(btrim(narrative)) >= 1 AND length(narrative) <= 20000')
// Not in the future; the slack only absorbs clock skew between the application and the database.
@Check('concern_check', `occurred_at <= recorded_at + interval '5 minutes'`)
@Check('concern_check1', 'amends_concern_id IS DISTINCT FROM id')
@Unique('concern_id_child_id_key', ['id', 'childId'])
// An amendment corrects an entry about the same child, never another child's.
@ForeignKey(() => ConcernEntity, ['amendsConcernId', 'childId'], ['id', 'childId'], {
  name: 'concern_amends_concern_id_child_id_fkey',
})
// (child_id, occurred_at DESC, id DESC): TypeORM cannot declare a descending index column.
@Index('concern_child_chronology_idx', { synchronize: false })
@Index('concern_amends_idx', ['amendsConcernId'], { where: 'amends_concern_id IS NOT NULL' })
@Index('concern_category_child_idx', ['category', 'childId'])
@Index('concern_agency_idx', ['agencyId'])
@Index('concern_recorded_by_idx', ['recordedBy'])
export class ConcernEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid')
  @ForeignKey(() => ChildEntity, { name: 'concern_child_id_fkey' })
  childId!: string;
  /** The authoring agency: it always reads its own entries, whatever their tier. */
  @Column('uuid')
  @ForeignKey(() => AgencyEntity, { name: 'concern_agency_id_fkey' })
  agencyId!: string;
  @Column('uuid')
  @ForeignKey(() => UserEntity, { name: 'concern_recorded_by_fkey' })
  recordedBy!: string;
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
