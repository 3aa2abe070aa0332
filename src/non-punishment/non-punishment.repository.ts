import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { activeInvolvement } from '../access/active-involvement';
import { type AccessRoute, ChildAccessScope } from '../access/child-access';
import type { Scope } from '../access/scope';
import type { Role } from '../common/enums/agencies';
import type { ConferenceRecommendation } from '../common/enums/conferences';
import type { ProsecutionOutcome, Section45Limb } from '../common/enums/non-punishment';

/** An assessment as stored, whether it has been superseded since. */
export interface AssessmentRow {
  id: string;
  childId: string;
  decidedById: string;
  decidedAt: Date;
  offence: string;
  offenceDate: string;
  outcome: ProsecutionOutcome;
  section45Limb: Section45Limb | null;
  conferenceRecommendation: ConferenceRecommendation | null;
  superseded: boolean;
  scheduleFourOffence: boolean;
  reasonToBelieveVictim: boolean;
  reasonToBelieveBasis: string;
  duressEvidence: boolean;
  section45DefenceAvailable: boolean;
  publicInterestRationale: string;
  nrmReferralIntended: boolean;
}

/** An assessment the viewer sees, with the route it reaches the child by (for the audit). */
export interface VisibleAssessment extends AssessmentRow {
  route: AccessRoute;
}

export type NewAssessment = Omit<AssessmentRow, 'id' | 'decidedAt' | 'superseded' | 'decidedById'> & {
  prosecutingAgencyId: string;
  decidedById: string;
};

const ASSESSMENT_COLUMNS = `np.id, np.child_id AS "childId", np.decided_by AS "decidedById", np.decided_at AS "decidedAt",
  np.offence, np.offence_date::text AS "offenceDate", np.outcome, np.section45_limb AS "section45Limb",
  np.conference_recommendation AS "conferenceRecommendation",
  EXISTS (SELECT 1 FROM non_punishment_assessment later WHERE later.supersedes_id = np.id) AS superseded,
  np.schedule_four_offence AS "scheduleFourOffence", np.reason_to_believe_victim AS "reasonToBelieveVictim",
  np.reason_to_believe_basis AS "reasonToBelieveBasis", np.duress_evidence AS "duressEvidence",
  np.section45_defence_available AS "section45DefenceAvailable",
  np.public_interest_rationale AS "publicInterestRationale", np.nrm_referral_intended AS "nrmReferralIntended"`;

/**
 * The SQL of non-punishment assessments. Reads join the viewer's child-access scope: an assessment is visible to
 * every route to its child (src/access/non-punishment.visibility.ts). Writes only insert: the table is append-only.
 */
@Injectable()
export class NonPunishmentRepository {
  /**
   * Inserts an assessment superseding the child's latest. The child's row is locked first, so two prosecutors
   * recording at once take turns and the second supersedes the first; the unique supersedes_id is the backstop.
   */
  async insert(manager: EntityManager, assessment: NewAssessment): Promise<AssessmentRow> {
    await manager.query(`SELECT 1 FROM child WHERE id = $1 FOR UPDATE`, [assessment.childId]);
    const [row]: AssessmentRow[] = await manager.query(
      `INSERT INTO non_punishment_assessment AS np (
         child_id, prosecuting_agency_id, decided_by, supersedes_id, offence, offence_date, section45_limb,
         conference_recommendation, schedule_four_offence, reason_to_believe_victim, reason_to_believe_basis,
         duress_evidence, section45_defence_available, public_interest_rationale, nrm_referral_intended, outcome)
       VALUES ($1, $2, $3,
               (SELECT latest.id FROM non_punishment_assessment latest
                 WHERE latest.child_id = $1
                   AND NOT EXISTS (SELECT 1 FROM non_punishment_assessment later WHERE later.supersedes_id = latest.id)),
               $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
       RETURNING ${ASSESSMENT_COLUMNS}`,
      [
        assessment.childId,
        assessment.prosecutingAgencyId,
        assessment.decidedById,
        assessment.offence,
        assessment.offenceDate,
        assessment.section45Limb,
        assessment.conferenceRecommendation,
        assessment.scheduleFourOffence,
        assessment.reasonToBelieveVictim,
        assessment.reasonToBelieveBasis,
        assessment.duressEvidence,
        assessment.section45DefenceAvailable,
        assessment.publicInterestRationale,
        assessment.nrmReferralIntended,
        assessment.outcome,
      ],
    );
    return row;
  }

  /** The agencies involved with the child now: they hear of an outcome. */
  async involvedAgencies(manager: EntityManager, childId: string): Promise<string[]> {
    const rows: Array<{ agency_id: string }> = await manager.query(
      `SELECT DISTINCT i.agency_id FROM involvement i WHERE i.child_id = $1 AND ${activeInvolvement('i')}`,
      [childId],
    );
    return rows.map((row) => row.agency_id);
  }

  /** Whether the person is among the people of these agencies who hold one of `roles` (already told). */
  async inAudience(
    manager: EntityManager,
    userId: string,
    agencyIds: readonly string[],
    roles: readonly Role[],
  ): Promise<boolean> {
    const [row]: Array<{ told: boolean }> = await manager.query(
      `SELECT EXISTS (SELECT 1 FROM membership m JOIN app_user u ON u.id = m.user_id
                       WHERE m.user_id = $1 AND m.agency_id = ANY($2::uuid[]) AND m.roles && $3::text[]
                         AND m.active AND u.active) AS told`,
      [userId, agencyIds, roles],
    );
    return row.told;
  }

  /** The assessments of the children the viewer reaches among `childIds`, oldest first. */
  async assessmentsOf(ctx: Scope, childIds: readonly string[]): Promise<VisibleAssessment[]> {
    const values: unknown[] = [[...childIds]];
    const access = ChildAccessScope.for(ctx.actor, { childIds }).toPositional(values);
    return (await ctx.manager()).query(
      `SELECT ${ASSESSMENT_COLUMNS}, a.route
         FROM non_punishment_assessment np
         JOIN (${access}) a ON a.child_id = np.child_id
        WHERE np.child_id = ANY($1::uuid[])
        ORDER BY np.decided_at, np.id`,
      values,
    );
  }
}
