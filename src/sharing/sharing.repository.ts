import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { activeInvolvement } from '../access/active-involvement';
import type { Actor } from '../access/actor';
import { AccessRoute, ChildAccessScope } from '../access/child-access';
import { liveGrant } from '../access/sharing.rules';
import { reviewableBreakGlass, SharingView, visibleGrant, visibleRefusal } from '../access/sharing.visibility';
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

const BREAK_GLASS_COLUMNS = `b.id, b.child_id AS "childId", b.user_id AS "userId", b.reason, b.started_at AS "startedAt",
  b.expires_at AS "expiresAt", b.reviewed_at AS "reviewedAt", b.review_outcome AS "reviewOutcome"`;

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
                                      purpose, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
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

  /** Opens emergency access for 60 minutes (DESIGN §4). */
  async openBreakGlass(manager: EntityManager, use: NewBreakGlass): Promise<BreakGlassAccessType> {
    const [row]: BreakGlassAccessType[] = await manager.query(
      `INSERT INTO break_glass_access AS b (child_id, user_id, agency_id, reason, expires_at)
       VALUES ($1, $2, $3, $4, now() + interval '60 minutes') RETURNING ${BREAK_GLASS_COLUMNS}`,
      [use.childId, use.userId, use.agencyId, use.reason],
    );
    return row;
  }

  /** Unreviewed uses the actor's agency answers for, oldest first, at most `limit`. */
  toReview(manager: EntityManager, actor: Actor, limit: number): Promise<BreakGlassAccessType[]> {
    const values: unknown[] = [];
    const reviewable = reviewableBreakGlass(actor, 'b', values);
    values.push(limit);
    return manager.query(
      `SELECT ${BREAK_GLASS_COLUMNS} FROM break_glass_access b
        WHERE b.reviewed_at IS NULL AND ${reviewable}
        ORDER BY b.started_at, b.id LIMIT $${values.length}`,
      values,
    );
  }

  /** A use the actor's agency answers for, or the actor's own; null for any other id. */
  async breakGlassToAnswer(manager: EntityManager, actor: Actor, id: string): Promise<BreakGlassAccessType | null> {
    if (!isUuid(id)) return null;
    const values: unknown[] = [id];
    const answerable = reviewableBreakGlass(actor, 'b', values, true);
    const [row]: BreakGlassAccessType[] = await manager.query(
      `SELECT ${BREAK_GLASS_COLUMNS} FROM break_glass_access b WHERE b.id = $1 AND ${answerable}`,
      values,
    );
    return row ?? null;
  }

  /** Closes the review unless it already is (compare-and-set on reviewed_at): null when it was. */
  async markReviewed(
    manager: EntityManager,
    id: string,
    reviewerId: string,
    outcome: string,
  ): Promise<BreakGlassAccessType | null> {
    // An UPDATE answers [rows, count].
    const [[row]]: [BreakGlassAccessType[], number] = await manager.query(
      `UPDATE break_glass_access b SET reviewed_at = now(), reviewed_by = $2, review_outcome = $3
        WHERE b.id = $1 AND b.reviewed_at IS NULL RETURNING ${BREAK_GLASS_COLUMNS}`,
      [id, reviewerId, outcome],
    );
    return row ?? null;
  }
}
