import { Check, Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { AgencyEntity } from '../agencies/agency.entity';
import { MembershipEntity } from '../agencies/membership.entity';
import { UserEntity } from '../agencies/user.entity';
import { ChildEntity } from '../children/child.entity';
import { ConferenceRecommendation } from '../common/enums/conferences';
import { ProsecutionOutcome, Section45Limb } from '../common/enums/non-punishment';
import { sqlList } from '../database/sql-list';

/**
 * A prosecutor's non-punishment assessment of a child suspect: the four CPS stages as answered, the s45 limb the
 * age on the offence date gives, the conference recommendation on the record when it was made, and the outcome.
 * Append-only: a new one supersedes the child's latest (migration 1763803100000 says what the database holds).
 */
@Entity('non_punishment_assessment')
@Check('non_punishment_assessment_offence_check', 'length(btrim(offence)) BETWEEN 1 AND 500')
@Check(
  'non_punishment_assessment_reason_to_believe_basis_check',
  'length(btrim(reason_to_believe_basis)) BETWEEN 1 AND 5000',
)
@Check(
  'non_punishment_assessment_public_interest_rationale_check',
  'length(btrim(public_interest_rationale)) BETWEEN 1 AND 10000',
)
@Check('non_punishment_assessment_section45_limb_check', `section45_limb IN (${sqlList(Section45Limb)})`)
@Check(
  'non_punishment_assessment_conference_recommendation_check',
  `conference_recommendation IN (${sqlList(ConferenceRecommendation)})`,
)
@Check('non_punishment_assessment_outcome_check', `outcome IN (${sqlList(ProsecutionOutcome)})`)
@Check('non_punishment_assessment_schedule_four_check', 'NOT (schedule_four_offence AND section45_defence_available)')
@Check(
  'non_punishment_assessment_evidential_check',
  `outcome <> 'PROSECUTE' OR NOT (duress_evidence OR section45_defence_available)`,
)
@Check(
  'non_punishment_assessment_section45_check',
  'NOT section45_defence_available OR (section45_limb IS NOT NULL AND reason_to_believe_victim)',
)
@ForeignKey(() => MembershipEntity, ['decidedBy', 'prosecutingAgencyId'], ['userId', 'agencyId'], {
  name: 'non_punishment_assessment_decided_by_prosecuting_agency_id_fkey',
})
@Unique('non_punishment_assessment_supersedes_id_key', ['supersedesId'])
@Index('non_punishment_assessment_child_idx', ['childId', 'decidedAt'])
@Index('non_punishment_assessment_first_key', ['childId'], { unique: true, where: 'supersedes_id IS NULL' })
export class NonPunishmentAssessmentEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid')
  @ForeignKey(() => ChildEntity, { name: 'non_punishment_assessment_child_id_fkey' })
  childId!: string;
  @Column('uuid')
  @ForeignKey(() => AgencyEntity, { name: 'non_punishment_assessment_prosecuting_agency_id_fkey' })
  prosecutingAgencyId!: string;
  @Column('uuid')
  @ForeignKey(() => UserEntity, { name: 'non_punishment_assessment_decided_by_fkey' })
  decidedBy!: string;
  @Column('timestamptz', { default: () => 'now()' }) decidedAt!: Date;
  @Column('uuid', { nullable: true })
  @ForeignKey(() => NonPunishmentAssessmentEntity, { name: 'non_punishment_assessment_supersedes_id_fkey' })
  supersedesId!: string | null;
  @Column('text') offence!: string;
  /** A calendar date, carried as 'YYYY-MM-DD'. */
  @Column('date') offenceDate!: string;
  @Column('text', { nullable: true }) section45Limb!: Section45Limb | null;
  @Column('text', { nullable: true }) conferenceRecommendation!: ConferenceRecommendation | null;
  @Column('boolean') scheduleFourOffence!: boolean;
  @Column('boolean') reasonToBelieveVictim!: boolean;
  @Column('text') reasonToBelieveBasis!: string;
  @Column('boolean') duressEvidence!: boolean;
  @Column('boolean') section45DefenceAvailable!: boolean;
  @Column('text') publicInterestRationale!: string;
  @Column('boolean', { default: false }) nrmReferralIntended!: boolean;
  @Column('text') outcome!: ProsecutionOutcome;
}
