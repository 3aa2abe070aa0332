import { Injectable } from '@nestjs/common';
import { AccessRoute, loadChildAccess } from '../access/child-access';
import { involvementKindsDisclosedTo, tiersSeenBy } from '../access/child-record.rules';
import { childReadingMembership, mayGrant } from '../access/roles';
import type { ActingMembership } from '../access/actor';
import { liveGrant } from '../access/sharing.rules';
import { AgencyKind, Role } from '../agencies/agencies.enums';
import { isUuid } from '../database/postgres';
import type { Sensitivity } from '../chronology/chronology.enums';
import { AuditLog } from '../audit/audit-log.service';
import { BadUserInputError, FailedPreconditionError, ForbiddenError, NotFoundError } from '../common/errors';
import type { Scope } from '../access/scope';
import { NotificationKind } from '../notifications/notification.entity';
import { NotificationsService } from '../notifications/notifications.service';
import type { GrantAccessInput, RefuseAccessInput } from './sharing.inputs';
import type { AccessGrantType, AccessRefusalType } from './sharing.types';

const GRANT_COLUMNS = `g.id, g.child_id AS "childId", g.grantee_agency_id AS "granteeAgencyId",
  g.granting_agency_id AS "grantingAgencyId", g.granted_by AS "grantedById", g.tiers, g.lawful_basis AS "lawfulBasis",
  g.purpose, g.granted_at AS "grantedAt", g.expires_at AS "expiresAt", g.revoked_at AS "revokedAt",
  ${liveGrant('g')} AS active`;

const REFUSAL_COLUMNS = `r.id, r.child_id AS "childId", r.requesting_agency_id AS "requestingAgencyId",
  r.deciding_agency_id AS "decidingAgencyId", r.decided_by AS "decidedById", r.reason, r.decided_at AS "decidedAt"`;

interface SharingView {
  agencyId: string;
  agencyKind: AgencyKind;
  seesAll: boolean;
  tiers: Sensitivity[];
}

/** Who hears that a record was shared with their agency: the people who act on it. */
const GRANT_AUDIENCE: readonly Role[] = [Role.SAFEGUARDING_LEAD, Role.SOCIAL_WORKER];

/**
 * Access grants between agencies and recorded decisions not to share (DESIGN §2, §4). A grant is read by the
 * GRANTED route in SQL on every request (child-access.ts), so its expiry and revocation need no job.
 */
@Injectable()
export class SharingService {
  constructor(
    private readonly audit: AuditLog,
    private readonly notifications: NotificationsService,
  ) {}

  async grant(ctx: Scope, input: GrantAccessInput): Promise<AccessGrantType> {
    const membership = this.granting(ctx);
    const manager = await ctx.manager();
    await this.checkAgencyAndExpiry(ctx, input.granteeAgencyId, 'input.granteeAgencyId', input.expiresAt);
    const childId = await this.requireInvolved(ctx, input.childId);
    const foreign = input.tiers.filter((tier) => !tiersSeenBy(membership.agencyKind).includes(tier));
    if (foreign.length > 0) {
      // An agency shares what it holds; a school does not hold police intelligence to pass on.
      throw new ForbiddenError(`Your agency cannot share ${foreign.join(', ')}: it does not see that tier`);
    }
    const [grant]: AccessGrantType[] = await manager.query(
      `INSERT INTO access_grant AS g (child_id, granting_agency_id, granted_by, grantee_agency_id, tiers, lawful_basis,
                                      purpose, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       RETURNING ${GRANT_COLUMNS}`,
      [
        childId,
        membership.agencyId,
        ctx.signedIn.actor.userId,
        input.granteeAgencyId,
        input.tiers,
        input.lawfulBasis,
        input.purpose.trim(),
        input.expiresAt,
      ],
    );
    await this.notifications.notifyAgencies(
      manager,
      { agencyIds: [input.granteeAgencyId], roles: GRANT_AUDIENCE },
      {
        kind: NotificationKind.ACCESS_GRANTED,
        message: `A child's record was shared with your agency until ${grant.expiresAt.toISOString()}`,
        childId,
      },
    );
    this.audit.record(ctx, {
      action: 'grantAccess',
      subjectType: 'AccessGrant',
      subjectId: grant.id,
      childId,
      route: AccessRoute.INVOLVED,
      purpose: grant.purpose,
    });
    return grant;
  }

  /** Only the granting agency revokes; the grantee sees its grants but cannot end them (FORBIDDEN). */
  async revoke(ctx: Scope, grantId: string): Promise<AccessGrantType> {
    const membership = this.granting(ctx);
    const manager = await ctx.manager();
    const [grant]: Array<AccessGrantType & { expired: boolean }> = isUuid(grantId)
      ? await manager.query(
          `SELECT ${GRANT_COLUMNS}, g.expires_at <= now() AS expired FROM access_grant g
            WHERE g.id = $1 AND $2 IN (g.granting_agency_id, g.grantee_agency_id)`,
          [grantId, membership.agencyId],
        )
      : [];
    if (!grant) throw new NotFoundError('AccessGrant', grantId);
    if (grant.grantingAgencyId !== membership.agencyId) {
      throw new ForbiddenError('Only the agency that shared the record can revoke the grant');
    }
    if (grant.revokedAt) throw new FailedPreconditionError('This grant has already been revoked');
    if (grant.expired) throw new FailedPreconditionError('This grant has already expired');
    // An UPDATE answers [rows, count].
    const [[revoked]]: [AccessGrantType[], number] = await manager.query(
      `UPDATE access_grant g SET revoked_at = now(), revoked_by = $2 WHERE g.id = $1 AND g.revoked_at IS NULL
       RETURNING ${GRANT_COLUMNS}`,
      [grantId, ctx.signedIn.actor.userId],
    );
    if (!revoked) throw new FailedPreconditionError('This grant has already been revoked');
    this.audit.record(ctx, {
      action: 'revokeAccess',
      subjectType: 'AccessGrant',
      subjectId: grantId,
      childId: grant.childId,
      route: (await loadChildAccess(ctx, grant.childId))?.route ?? null,
    });
    return revoked;
  }

  /**
   * The grants on a child: to those who may share it (an involved agency's leads and social workers) every one
   * their agency made or received, and others' grants of tiers they may see themselves: that one police force
   * lent another its intelligence, and why, is as restricted as the intelligence. Everyone else sees the grants
   * made to their own agency. A child the viewer does not reach is NOT_FOUND.
   */
  async grants(ctx: Scope, childId: string): Promise<AccessGrantType[]> {
    const view = await this.sharingView(ctx, childId);
    return (await ctx.manager()).query(
      `SELECT ${GRANT_COLUMNS} FROM access_grant g
        WHERE g.child_id = $1
          AND (g.grantee_agency_id = $2
               OR ($3 AND (g.granting_agency_id = $2 OR g.tiers <@ $4::text[])))
        ORDER BY g.granted_at DESC, g.id`,
      [childId, view.agencyId, view.seesAll, view.tiers],
    );
  }

  /** A decision not to share, recorded as the information-sharing advice asks: who decided, for whom, why. */
  async refuse(ctx: Scope, input: RefuseAccessInput): Promise<AccessRefusalType> {
    const membership = this.granting(ctx);
    await this.checkAgencyAndExpiry(ctx, input.requestingAgencyId, 'input.requestingAgencyId', null);
    const childId = await this.requireInvolved(ctx, input.childId);
    const [refusal]: AccessRefusalType[] = await (
      await ctx.manager()
    ).query(
      `INSERT INTO access_refusal AS r (child_id, deciding_agency_id, decided_by, requesting_agency_id, reason)
       VALUES ($1, $2, $3, $4, $5) RETURNING ${REFUSAL_COLUMNS}`,
      [childId, membership.agencyId, ctx.signedIn.actor.userId, input.requestingAgencyId, input.reason.trim()],
    );
    this.audit.record(ctx, {
      action: 'refuseAccess',
      subjectType: 'AccessRefusal',
      subjectId: refusal.id,
      childId,
      route: AccessRoute.INVOLVED,
      purpose: refusal.reason,
    });
    return refusal;
  }

  /**
   * Recorded refusals on a child, seen by the same people as its grants: those who may share it see their own
   * agency's, and others' only between agencies whose involvement they may learn of (DESIGN §4, matching), since
   * a police force refusing another one, and its reason, is police business.
   */
  async refusals(ctx: Scope, childId: string): Promise<AccessRefusalType[]> {
    const view = await this.sharingView(ctx, childId);
    return (await ctx.manager()).query(
      `SELECT ${REFUSAL_COLUMNS} FROM access_refusal r
         JOIN agency deciding ON deciding.id = r.deciding_agency_id
         JOIN agency requesting ON requesting.id = r.requesting_agency_id
        WHERE r.child_id = $1
          AND (r.requesting_agency_id = $2
               OR ($3 AND (r.deciding_agency_id = $2
                           OR (deciding.kind = ANY($4::text[]) AND requesting.kind = ANY($4::text[])))))
        ORDER BY r.decided_at DESC, r.id`,
      [childId, view.agencyId, view.seesAll, involvementKindsDisclosedTo(view.agencyKind)],
    );
  }

  private granting(ctx: Scope): ActingMembership {
    const membership = childReadingMembership(ctx.signedIn.actor);
    if (!membership || !mayGrant(membership)) throw new ForbiddenError();
    return membership;
  }

  /**
   * How much of a child's sharing the viewer sees: `seesAll` for those who may share it, else only what concerns
   * their own agency. Who a child's record is shared with, and why, is part of that record: reading it is
   * audited as a read.
   */
  private async sharingView(ctx: Scope, childId: string): Promise<SharingView> {
    const access = await loadChildAccess(ctx, childId);
    const membership = childReadingMembership(ctx.actor);
    if (!access || !membership) throw new NotFoundError('Child', childId);
    this.audit.recordRead(ctx, childId, access.route);
    return {
      agencyId: membership.agencyId,
      agencyKind: membership.agencyKind,
      seesAll: access.route === AccessRoute.INVOLVED && mayGrant(membership),
      tiers: access.tiers,
    };
  }

  /** Only an agency involved with the child shares it: a grantee cannot pass on what it was lent. */
  private async requireInvolved(ctx: Scope, childId: string): Promise<string> {
    const access = await loadChildAccess(ctx, childId);
    if (!access) throw new NotFoundError('Child', childId);
    if (access.route !== AccessRoute.INVOLVED) {
      throw new ForbiddenError('Only an agency involved with the child can share its record');
    }
    return childId;
  }

  /** The other agency exists, is active and is not the actor's own; a grant's expiry is ahead, within a year. */
  private async checkAgencyAndExpiry(
    ctx: Scope,
    agencyId: string,
    field: string,
    expiresAt: Date | null,
  ): Promise<void> {
    const [row]: Array<{ active: boolean; ahead: boolean; within_year: boolean }> = await (
      await ctx.manager()
    ).query(
      `SELECT a.active, $2::timestamptz > now() AS ahead, $2::timestamptz <= now() + interval '1 year' AS within_year
         FROM agency a WHERE a.id = $1`,
      [agencyId, expiresAt ?? new Date()],
    );
    if (!row || !row.active) throw new NotFoundError('Agency', agencyId);
    if (agencyId === ctx.signedIn.actor.membership?.agencyId) {
      throw new BadUserInputError('Your own agency already holds this record', field);
    }
    if (expiresAt && !row.ahead) throw new BadUserInputError('expiresAt must be in the future', 'input.expiresAt');
    if (expiresAt && !row.within_year) {
      throw new BadUserInputError('A grant lasts at most one year; decide again then', 'input.expiresAt');
    }
  }
}
