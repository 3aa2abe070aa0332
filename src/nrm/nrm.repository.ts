import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type AccessRoute, ChildAccessScope } from '../access/child-access';
import { referralVisible } from '../access/nrm.visibility';
import type { Scope } from '../access/scope';
import type { ConcernCategory } from '../common/enums/chronology';
import { ChildFlag } from '../common/enums/children';
import { NrmDecision, NrmStage } from '../common/enums/nrm';

/** A referral as stored. */
export interface NrmReferralRow {
  id: string;
  childId: string;
  referringAgencyId: string;
  referredById: string;
  referredOn: string;
  exploitationTypes: ConcernCategory[];
  reasonableGrounds: NrmDecision;
  reasonableGroundsOn: string | null;
  conclusiveGrounds: NrmDecision;
  conclusiveGroundsOn: string | null;
}

/** A referral the viewer sees, with the route it reaches the child by (for the audit). */
export interface VisibleReferral extends NrmReferralRow {
  route: AccessRoute;
}

export type NewReferral = Pick<
  NrmReferralRow,
  'childId' | 'referringAgencyId' | 'referredById' | 'referredOn' | 'exploitationTypes'
>;

const REFERRAL_COLUMNS = `r.id, r.child_id AS "childId", r.referring_agency_id AS "referringAgencyId",
  r.referred_by AS "referredById", r.referred_on::text AS "referredOn", r.exploitation_types AS "exploitationTypes",
  r.reasonable_grounds AS "reasonableGrounds", r.reasonable_grounds_on::text AS "reasonableGroundsOn",
  r.conclusive_grounds AS "conclusiveGrounds", r.conclusive_grounds_on::text AS "conclusiveGroundsOn"`;

/**
 * Each stage as a compare-and-set: the stage moves from PENDING once, and Conclusive Grounds only while Reasonable
 * Grounds is POSITIVE. Two people recording a decision at once: the second UPDATE waits for the first's row lock,
 * re-checks its WHERE against the committed row, and changes nothing.
 */
const DECIDE: Record<NrmStage, string> = {
  [NrmStage.REASONABLE_GROUNDS]: `UPDATE nrm_referral r SET reasonable_grounds = $2, reasonable_grounds_on = $3
     WHERE r.id = $1 AND r.reasonable_grounds = '${NrmDecision.PENDING}'
     RETURNING ${REFERRAL_COLUMNS}`,
  [NrmStage.CONCLUSIVE_GROUNDS]: `UPDATE nrm_referral r SET conclusive_grounds = $2, conclusive_grounds_on = $3
     WHERE r.id = $1 AND r.reasonable_grounds = '${NrmDecision.POSITIVE}'
       AND r.conclusive_grounds = '${NrmDecision.PENDING}'
     RETURNING ${REFERRAL_COLUMNS}`,
};

const NRM_FLAGS = [ChildFlag.NRM_POSITIVE_REASONABLE_GROUNDS, ChildFlag.NRM_POSITIVE_CONCLUSIVE_GROUNDS];

/**
 * The SQL of NRM referrals. Every read joins the viewer's child-access scope and the visibility condition of
 * src/access/nrm.visibility.ts, so a referral the viewer may not see never leaves the database. Reads take the
 * Scope (whose actor they are for), writes the EntityManager they run in.
 */
@Injectable()
export class NrmRepository {
  async insertReferral(manager: EntityManager, referral: NewReferral): Promise<NrmReferralRow> {
    const [row]: NrmReferralRow[] = await manager.query(
      `INSERT INTO nrm_referral AS r (child_id, referring_agency_id, referred_by, referred_on, exploitation_types)
       VALUES ($1, $2, $3, $4, $5)
       RETURNING ${REFERRAL_COLUMNS}`,
      [
        referral.childId,
        referral.referringAgencyId,
        referral.referredById,
        referral.referredOn,
        referral.exploitationTypes,
      ],
    );
    return row;
  }

  /** The stage's decision, if the referral is still in the state that allows it; null when it no longer was. */
  async decide(
    manager: EntityManager,
    id: string,
    stage: NrmStage,
    decision: NrmDecision,
    decidedOn: string,
  ): Promise<NrmReferralRow | null> {
    const [row]: NrmReferralRow[] = await manager.query(`WITH changed AS (${DECIDE[stage]}) SELECT * FROM changed`, [
      id,
      decision,
      decidedOn,
    ]);
    return row ?? null;
  }

  /**
   * Sets the child's NRM flags from all its referrals, leaving its other flags (set by conferences) as they are:
   * NRM_POSITIVE_REASONABLE_GROUNDS while some referral has a positive Reasonable Grounds decision not overturned by
   * a negative Conclusive Grounds one, NRM_POSITIVE_CONCLUSIVE_GROUNDS when some referral has a positive Conclusive
   * Grounds decision. The child's row is locked first, so that this statement's snapshot sees every referral decided
   * before it: two decisions on two referrals of one child at once cannot leave the flags of only one. The version
   * does not change: flags are derived from decisions, not a correction someone could overwrite.
   */
  async refreshNrmFlags(manager: EntityManager, childId: string): Promise<void> {
    await manager.query(`SELECT 1 FROM child WHERE id = $1 FOR UPDATE`, [childId]);
    await manager.query(
      `WITH changed AS (
         UPDATE child c
            SET flags = ARRAY(SELECT f FROM unnest(c.flags) f WHERE f <> ALL($2::text[])) || array_remove(ARRAY[
                  CASE WHEN EXISTS (SELECT 1 FROM nrm_referral r
                                     WHERE r.child_id = c.id AND r.reasonable_grounds = '${NrmDecision.POSITIVE}'
                                       AND r.conclusive_grounds <> '${NrmDecision.NEGATIVE}')
                       THEN '${ChildFlag.NRM_POSITIVE_REASONABLE_GROUNDS}' END,
                  CASE WHEN EXISTS (SELECT 1 FROM nrm_referral r
                                     WHERE r.child_id = c.id AND r.conclusive_grounds = '${NrmDecision.POSITIVE}')
                       THEN '${ChildFlag.NRM_POSITIVE_CONCLUSIVE_GROUNDS}' END]::text[], NULL)
          WHERE c.id = $1
          RETURNING c.id)
       SELECT * FROM changed`,
      [childId, NRM_FLAGS],
    );
  }

  /** Every referral of the child, whoever made it, oldest first: the record a decision about the child weighs. */
  referralsOnRecord(manager: EntityManager, childId: string): Promise<NrmReferralRow[]> {
    return manager.query(
      `SELECT ${REFERRAL_COLUMNS} FROM nrm_referral r WHERE r.child_id = $1 ORDER BY r.referred_on, r.recorded_at, r.id`,
      [childId],
    );
  }

  /** The referrals the viewer sees of the children it reaches among `childIds`, oldest first. */
  referralsOf(ctx: Scope, childIds: readonly string[]): Promise<VisibleReferral[]> {
    return this.visibleWhere(ctx, { childIds }, 'r.child_id = ANY($1::uuid[])', [...childIds]);
  }

  /** The referral with this id, if the viewer sees it: the access scope is narrowed to the referral's child. */
  async referral(ctx: Scope, id: string): Promise<VisibleReferral | null> {
    const [found]: Array<{ child_id: string }> = await (
      await ctx.manager()
    ).query(`SELECT child_id FROM nrm_referral WHERE id = $1`, [id]);
    if (!found) return null;
    const [row] = await this.visibleWhere(ctx, { childIds: [found.child_id] }, 'r.id = $1::uuid', id);
    return row ?? null;
  }

  private async visibleWhere(
    ctx: Scope,
    narrowing: { childIds?: readonly string[] },
    condition: string,
    first: unknown,
  ): Promise<VisibleReferral[]> {
    const values: unknown[] = [first];
    const visible = referralVisible(ctx.actor, { referral: 'r', agency: 'g', access: 'a' }, values);
    if (!visible) return [];
    const access = ChildAccessScope.for(ctx.actor, narrowing).toPositional(values);
    return (await ctx.manager()).query(
      `SELECT ${REFERRAL_COLUMNS}, a.route
         FROM nrm_referral r
         JOIN agency g ON g.id = r.referring_agency_id
         JOIN (${access}) a ON a.child_id = r.child_id
        WHERE ${condition} AND ${visible}
        ORDER BY r.referred_on, r.recorded_at, r.id`,
      values,
    );
  }
}
