import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { activeInvolvement } from '../access/active-involvement';
import type { Actor } from '../access/actor';
import { AccessRoute, ChildAccessScope } from '../access/child-access';
import { liveGrant } from '../access/sharing.rules';
import {
  answerableBreakGlass,
  ownReview,
  reviewableBreakGlass,
  SharingView,
  visibleGrant,
  visibleRefusal,
} from '../access/sharing.visibility';
import type { Sensitivity } from '../common/enums/chronology';
import { isUuid } from '../database/postgres';
import type { LawfulBasis } from '../common/enums/sharing';
import type { AccessGrantType, AccessRefusalType, BreakGlassAccessType } from './sharing.types';

const GRANT_COLUMNS = `g.id, g.child_id AS "childId", g.grantee_agency_id AS "granteeAgencyId",
  g.granting_agency_id AS "grantingAgencyId", g.granted_by AS "grantedById", g.tiers, g.lawful_basis AS "lawfulBasis",
  g.purpose, g.granted_at AS "grantedAt", g.expires_at AS "expiresAt", g.revoked_at AS "revokedAt",
  ${liveGrant('g')} AS active`;

const REFUSAL_COLUMNS = `r.id, r.child_id AS "childId", r.requesting_agency_id AS "requestingAgencyId",
  r.deciding_agency_id AS "decidingAgencyId", r.decided_by AS "decidedById", r.reason, r.decided_at AS "decidedAt"`;

/** A use (`break_glass_access` aliased `b`) with the viewer's own agency's review of it (aliased `review`). */
const breakGlassColumns = (review: string) => `b.id, b.child_id AS "childId", b.user_id AS "userId", b.reason,
  b.started_at AS "startedAt", b.expires_at AS "expiresAt", b.repeat_while_unreviewed AS "repeatWhileUnreviewed",
  ${review}.reviewed_at AS "reviewedAt", ${review}.outcome AS "reviewOutcome"`;

export interface NewGrant {
  childId: string;
  grantingAgencyId: string;
  grantedBy: string;
  granteeAgencyId: string;
  tiers: readonly Sensitivity[];
  lawfulBasis: LawfulBasis;
  purpose: string;
  expiresAt: Date;
}

export interface NewRefusal {
  childId: string;
  decidingAgencyId: string;
  decidedBy: string;
  requestingAgencyId: string;
  reason: string;
}

export interface NewBreakGlass {
  childId: string;
  userId: string;
  agencyId: string;
  reason: string;
}

/** The other agency of a grant or refusal, and where a proposed expiry falls. */
export interface CounterpartAgency {
  active: boolean;
  ahead: boolean;
  withinYear: boolean;
}

/** A use the actor may answer about, and whether their agency is one of those that review it. */
export interface BreakGlassToAnswer extends BreakGlassAccessType {
  reviewsIt: boolean;
}

/** A child as break-glass sees it: the actor's route to it now, and the agencies involved with it. */
export interface BreakGlassTarget {
  route: AccessRoute | null;
  involved: string[];
}

/** The SQL of grants, refusals and break-glass (DESIGN §2, §4); who sees which comes from sharing.visibility. */
@Injectable()
export class SharingRepository {
  async insertGrant(manager: EntityManager, grant: NewGrant): Promise<AccessGrantType> {
    const [row]: AccessGrantType[] = await manager.query(
      `INSERT INTO access_grant AS g (child_id, granting_agency_id, granted_by, grantee_agency_id, tiers, lawful_basis,
                                      purpose, expires_at, lending_involvement_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8,
               (SELECT i.id FROM involvement i
                 WHERE i.child_id = $1 AND i.agency_id = $2 AND ${activeInvolvement('i')}
                 ORDER BY i.until DESC NULLS FIRST LIMIT 1))
       RETURNING ${GRANT_COLUMNS}`,
      [
        grant.childId,
        grant.grantingAgencyId,
        grant.grantedBy,
        grant.granteeAgencyId,
        grant.tiers,
        grant.lawfulBasis,
        grant.purpose,
        grant.expiresAt,
      ],
    );
    return row;
  }

  /** A grant the agency made or received, with whether it has expired; null for any other id. */
  async grantOfAgency(
    manager: EntityManager,
    grantId: string,
    agencyId: string,
  ): Promise<(AccessGrantType & { expired: boolean }) | null> {
    if (!isUuid(grantId)) return null;
    const [row]: Array<AccessGrantType & { expired: boolean }> = await manager.query(
      `SELECT ${GRANT_COLUMNS}, g.expires_at <= now() AS expired FROM access_grant g
        WHERE g.id = $1 AND $2 IN (g.granting_agency_id, g.grantee_agency_id)`,
      [grantId, agencyId],
    );
    return row ?? null;
  }

  /** Revokes the grant unless it already is (compare-and-set on revoked_at): null when it was. */
  async revokeGrant(manager: EntityManager, grantId: string, userId: string): Promise<AccessGrantType | null> {
    // An UPDATE answers [rows, count].
    const [[row]]: [AccessGrantType[], number] = await manager.query(
      `UPDATE access_grant g SET revoked_at = now(), revoked_by = $2 WHERE g.id = $1 AND g.revoked_at IS NULL
       RETURNING ${GRANT_COLUMNS}`,
      [grantId, userId],
    );
    return row ?? null;
  }

  /** The child's grants the view shows, newest first. */
  grants(manager: EntityManager, childId: string, view: SharingView): Promise<AccessGrantType[]> {
    const values: unknown[] = [childId];
    const visible = visibleGrant(view, 'g', values);
    return manager.query(
      `SELECT ${GRANT_COLUMNS} FROM access_grant g
        WHERE g.child_id = $1 AND ${visible}
        ORDER BY g.granted_at DESC, g.id`,
      values,
    );
  }

  async insertRefusal(manager: EntityManager, refusal: NewRefusal): Promise<AccessRefusalType> {
    const [row]: AccessRefusalType[] = await manager.query(
      `INSERT INTO access_refusal AS r (child_id, deciding_agency_id, decided_by, requesting_agency_id, reason)
       VALUES ($1, $2, $3, $4, $5) RETURNING ${REFUSAL_COLUMNS}`,
      [refusal.childId, refusal.decidingAgencyId, refusal.decidedBy, refusal.requestingAgencyId, refusal.reason],
    );
    return row;
  }

  /** The child's refusals the view shows, newest first. */
  refusals(manager: EntityManager, childId: string, view: SharingView): Promise<AccessRefusalType[]> {
    const values: unknown[] = [childId];
    const visible = visibleRefusal(view, { refusal: 'r', deciding: 'deciding', requesting: 'requesting' }, values);
    return manager.query(
      `SELECT ${REFUSAL_COLUMNS} FROM access_refusal r
         JOIN agency deciding ON deciding.id = r.deciding_agency_id
         JOIN agency requesting ON requesting.id = r.requesting_agency_id
        WHERE r.child_id = $1 AND ${visible}
        ORDER BY r.decided_at DESC, r.id`,
      values,
    );
  }

  /** The agency, and whether `expiresAt` is ahead and within a year (database time); null when none. */
  async counterpart(
    manager: EntityManager,
    agencyId: string,
    expiresAt: Date | null,
  ): Promise<CounterpartAgency | null> {
    const [row]: CounterpartAgency[] = await manager.query(
      `SELECT a.active, $2::timestamptz > now() AS ahead, $2::timestamptz <= now() + interval '1 year' AS "withinYear"
         FROM agency a WHERE a.id = $1`,
      [agencyId, expiresAt ?? new Date()],
    );
    return row ?? null;
  }

  /** Read fresh, not through the per-request loader: the answer changes within the request that breaks glass. */
  async breakGlassTarget(manager: EntityManager, actor: Actor, childId: string): Promise<BreakGlassTarget | null> {
    if (!isUuid(childId)) return null;
    const values: unknown[] = [childId];
    const access = ChildAccessScope.for(actor, { childIds: [childId] }).toPositional(values);
    const [row]: BreakGlassTarget[] = await manager.query(
      `SELECT a.route, ARRAY(SELECT i.agency_id FROM involvement i
                              WHERE i.child_id = c.id AND ${activeInvolvement('i')}) AS involved
         FROM child c LEFT JOIN (${access}) a ON a.child_id = c.id WHERE c.id = $1`,
      values,
    );
    return row ?? null;
  }

  /**
   * Opens emergency access for 60 minutes (DESIGN §4), owing a review by each agency involved with the child now
   * (or, when none is, by the user's own). Flagged when the same person's earlier use on the child still waits
   * for a review.
   */
  async openBreakGlass(manager: EntityManager, use: NewBreakGlass): Promise<BreakGlassAccessType> {
    const [row]: BreakGlassAccessType[] = await manager.query(
      `WITH opened AS (
         INSERT INTO break_glass_access (child_id, user_id, agency_id, reason, expires_at, repeat_while_unreviewed)
         VALUES ($1, $2, $3, $4, now() + interval '60 minutes', EXISTS (
           SELECT 1 FROM break_glass_access earlier JOIN break_glass_review pending ON pending.break_glass_id = earlier.id
            WHERE earlier.user_id = $2 AND earlier.child_id = $1 AND pending.reviewed_at IS NULL))
         RETURNING *),
       holders AS (
         SELECT DISTINCT i.agency_id FROM involvement i
          WHERE i.child_id = $1 AND i.agency_id <> $3 AND ${activeInvolvement('i')}),
       owed AS (
         INSERT INTO break_glass_review (break_glass_id, agency_id)
         SELECT opened.id, holders.agency_id FROM opened, holders
         UNION ALL
         SELECT opened.id, opened.agency_id FROM opened WHERE NOT EXISTS (SELECT 1 FROM holders))
       SELECT ${breakGlassColumns('unreviewed')}
         FROM opened b, (SELECT NULL::timestamptz AS reviewed_at, NULL::text AS outcome) unreviewed`,
      [use.childId, use.userId, use.agencyId, use.reason],
    );
    return row;
  }

  /** Uses waiting for the actor's agency, oldest first, at most `limit`. */
  toReview(manager: EntityManager, actor: Actor, limit: number): Promise<BreakGlassAccessType[]> {
    const values: unknown[] = [];
    const own = ownReview(actor, 'b', 'review', values);
    const reviewable = reviewableBreakGlass(actor, 'b', values);
    values.push(limit);
    return manager.query(
      `SELECT ${breakGlassColumns('review')}
         FROM break_glass_access b LEFT JOIN break_glass_review review ON ${own}
        WHERE ${reviewable}
        ORDER BY b.started_at, b.id LIMIT $${values.length}`,
      values,
    );
  }

  /** A use the actor may answer about (sharing.visibility answerableBreakGlass); null for any other id. */
  async breakGlassToAnswer(manager: EntityManager, actor: Actor, id: string): Promise<BreakGlassToAnswer | null> {
    if (!isUuid(id)) return null;
    const values: unknown[] = [id];
    const own = ownReview(actor, 'b', 'review', values);
    const answerable = answerableBreakGlass(actor, 'b', values);
    const [row]: BreakGlassToAnswer[] = await manager.query(
      `SELECT ${breakGlassColumns('review')}, review.agency_id IS NOT NULL AS "reviewsIt"
         FROM break_glass_access b LEFT JOIN break_glass_review review ON ${own}
        WHERE b.id = $1 AND ${answerable}`,
      values,
    );
    return row ?? null;
  }

  /**
   * Closes one agency's review unless it already is (compare-and-set on reviewed_at): null when it was. Other
   * agencies' reviews of the same use stay open.
   */
  async markReviewed(
    manager: EntityManager,
    review: { id: string; agencyId: string; reviewerId: string; outcome: string },
  ): Promise<BreakGlassAccessType | null> {
    const [row]: BreakGlassAccessType[] = await manager.query(
      `WITH review AS (
         UPDATE break_glass_review SET reviewed_at = now(), reviewed_by = $3, outcome = $4
          WHERE break_glass_id = $1 AND agency_id = $2 AND reviewed_at IS NULL RETURNING *)
       SELECT ${breakGlassColumns('review')} FROM break_glass_access b JOIN review ON review.break_glass_id = b.id`,
      [review.id, review.agencyId, review.reviewerId, review.outcome],
    );
    return row ?? null;
  }
}
