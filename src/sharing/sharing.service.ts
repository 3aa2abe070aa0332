import { Injectable } from '@nestjs/common';
import { requireOnChild } from '../access/child-decisions';
import { LEAD_ROLES } from '../access/roles';
import { requireTiersItMayShare, sharingMembership, sharingView } from '../access/sharing.visibility';
import { AuditLog } from '../audit/log/audit-log.service';
import { BadUserInputError, FailedPreconditionError, ForbiddenError, NotFoundError } from '../common/errors';
import type { Scope } from '../access/scope';
import { loadChildAccess } from '../access/child-access';
import { NotificationKind } from '../notifications/notification.entity';
import { NotificationsService } from '../notifications/notifications.service';
import type { GrantAccessInput, RefuseAccessInput } from './sharing.inputs';
import { SharingRepository } from './sharing.repository';
import type { AccessGrantType, AccessRefusalType } from './sharing.types';

/**
 * Access grants between agencies and recorded decisions not to share (DESIGN §2, §4). A grant is read by the
 * GRANTED route in SQL on every request (child-access.ts), so its expiry and revocation need no job. Who may
 * share, and who sees which grant and refusal, is src/access/sharing.visibility.ts.
 */
@Injectable()
export class SharingService {
  constructor(
    private readonly audit: AuditLog,
    private readonly notifications: NotificationsService,
    private readonly repository: SharingRepository,
  ) {}

  async grant(ctx: Scope, input: GrantAccessInput): Promise<AccessGrantType> {
    const membership = sharingMembership(ctx);
    const manager = await ctx.manager();
    await this.checkAgencyAndExpiry(ctx, input.granteeAgencyId, 'input.granteeAgencyId', input.expiresAt);
    const access = await requireOnChild(ctx, 'share', input.childId);
    requireTiersItMayShare(membership, input.tiers);
    const grant = await this.repository.insertGrant(manager, {
      childId: access.childId,
      grantingAgencyId: membership.agencyId,
      grantedBy: ctx.signedIn.actor.userId,
      granteeAgencyId: input.granteeAgencyId,
      tiers: input.tiers,
      lawfulBasis: input.lawfulBasis,
      purpose: input.purpose.trim(),
      expiresAt: input.expiresAt,
    });
    // Those who act on a record shared with their agency hear of it.
    await this.notifications.notifyAgencies(
      manager,
      { agencyIds: [input.granteeAgencyId], roles: LEAD_ROLES },
      {
        kind: NotificationKind.ACCESS_GRANTED,
        message: `A child's record was shared with your agency until ${grant.expiresAt.toISOString()}`,
        childId: access.childId,
      },
    );
    this.audit.record(ctx, {
      action: 'grantAccess',
      subjectType: 'AccessGrant',
      subjectId: grant.id,
      childId: access.childId,
      route: access.route,
      purpose: grant.purpose,
    });
    return grant;
  }

  /** Only the granting agency revokes; the grantee sees its grants but cannot end them (FORBIDDEN). */
  async revoke(ctx: Scope, grantId: string): Promise<AccessGrantType> {
    const membership = sharingMembership(ctx);
    const manager = await ctx.manager();
    const grant = await this.repository.grantOfAgency(manager, grantId, membership.agencyId);
    if (!grant) throw new NotFoundError('AccessGrant', grantId);
    if (grant.grantingAgencyId !== membership.agencyId) {
      throw new ForbiddenError('Only the agency that shared the record can revoke the grant');
    }
    if (grant.revokedAt) throw new FailedPreconditionError('This grant has already been revoked');
    if (grant.expired) throw new FailedPreconditionError('This grant has already expired');
    const revoked = await this.repository.revokeGrant(manager, grantId, ctx.signedIn.actor.userId);
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
   * The grants on a child the viewer may see (sharing.visibility.ts). Who a child's record is shared with, and
   * why, is part of that record: reading it is audited as a read. A child the viewer does not reach is NOT_FOUND.
   */
  async grants(ctx: Scope, childId: string): Promise<AccessGrantType[]> {
    const view = await sharingView(ctx, childId);
    this.audit.recordRead(ctx, childId, view.access.route);
    return this.repository.grants(await ctx.manager(), childId, view);
  }

  /** A decision not to share, recorded as the information-sharing advice asks: who decided, for whom, why. */
  async refuse(ctx: Scope, input: RefuseAccessInput): Promise<AccessRefusalType> {
    const membership = sharingMembership(ctx);
    await this.checkAgencyAndExpiry(ctx, input.requestingAgencyId, 'input.requestingAgencyId', null);
    const access = await requireOnChild(ctx, 'share', input.childId);
    const refusal = await this.repository.insertRefusal(await ctx.manager(), {
      childId: access.childId,
      decidingAgencyId: membership.agencyId,
      decidedBy: ctx.signedIn.actor.userId,
      requestingAgencyId: input.requestingAgencyId,
      reason: input.reason.trim(),
    });
    this.audit.record(ctx, {
      action: 'refuseAccess',
      subjectType: 'AccessRefusal',
      subjectId: refusal.id,
      childId: access.childId,
      route: access.route,
      purpose: refusal.reason,
    });
    return refusal;
  }

  /** Recorded refusals on a child, seen by the same people as its grants, and audited the same way. */
  async refusals(ctx: Scope, childId: string): Promise<AccessRefusalType[]> {
    const view = await sharingView(ctx, childId);
    this.audit.recordRead(ctx, childId, view.access.route);
    return this.repository.refusals(await ctx.manager(), childId, view);
  }

  /** The other agency exists, is active and is not the actor's own; a grant's expiry is ahead, within a year. */
  private async checkAgencyAndExpiry(
    ctx: Scope,
    agencyId: string,
    field: string,
    expiresAt: Date | null,
  ): Promise<void> {
    const agency = await this.repository.counterpart(await ctx.manager(), agencyId, expiresAt);
    if (!agency || !agency.active) throw new NotFoundError('Agency', agencyId);
    if (agencyId === ctx.signedIn.actor.membership?.agencyId) {
      throw new BadUserInputError('Your own agency already holds this record', field);
    }
    if (expiresAt && !agency.ahead) throw new BadUserInputError('expiresAt must be in the future', 'input.expiresAt');
    if (expiresAt && !agency.withinYear) {
      throw new BadUserInputError('A grant lasts at most one year; decide again then', 'input.expiresAt');
    }
  }
}
