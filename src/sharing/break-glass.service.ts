import { Injectable } from '@nestjs/common';
import { AccessRoute, loadChildAccess, viaBreakGlass } from '../access/child-access';
import { BREAK_GLASS_REVIEWING_ROLES } from '../access/roles';
import { requireMayBreakGlass, requireMayReview, requireRoleToBreakGlass } from '../access/sharing.visibility';
import { AuditLog } from '../audit/log/audit-log.service';
import {
  BadUserInputError,
  DomainError,
  FailedPreconditionError,
  ForbiddenError,
  NotFoundError,
} from '../common/errors';
import type { Scope } from '../access/scope';
import { NotificationKind } from '../notifications/notification.entity';
import { NotificationsService } from '../notifications/notifications.service';
import { characterCount } from '../common/text';
import { A_SENTENCE } from './sharing.inputs';
import { SharingRepository } from './sharing.repository';
import type { BreakGlassAccessType } from './sharing.types';

/** The list is worked through, not browsed: a reviewer sees the oldest first, at most this many. */
const REVIEW_LIST_LIMIT = 200;

/**
 * Emergency access (DESIGN §4): 60 minutes, for the person who asks only, with a reason; every read under it is
 * flagged in the audit log, and every use waits for review by the leads of each agency whose record was opened. Who may break
 * glass and who reviews is src/access/sharing.visibility.ts.
 */
@Injectable()
export class BreakGlassService {
  constructor(
    private readonly audit: AuditLog,
    private readonly notifications: NotificationsService,
    private readonly repository: SharingRepository,
  ) {}

  /**
   * Every refusal after the child is found (a role that may not break glass, no reason, already open) is audited
   * on the child: emergency access is what the involved agencies review, and a refused attempt is part of it.
   */
  async breakGlass(ctx: Scope, childId: string, reason: string): Promise<BreakGlassAccessType> {
    const { actor, ability } = ctx.signedIn;
    const agencyId = actor.membership?.agencyId;
    if (!agencyId) throw new ForbiddenError();
    const manager = await ctx.manager();
    const child = await this.repository.breakGlassTarget(manager, actor, childId);
    const attempt = { action: 'breakGlass', subjectType: 'BreakGlassAccess', childId, route: child?.route ?? null };
    let opening: { route: AccessRoute; involved: string[] };
    try {
      requireRoleToBreakGlass(ability);
      if (characterCount(reason) > 2000 || !A_SENTENCE.test(reason)) {
        throw new BadUserInputError('Say why you need emergency access, in at least 20 characters', 'reason');
      }
      // Break-glass exists for a child the person cannot otherwise see (found through matching), so any child will do.
      if (!child) throw new NotFoundError('Child', childId);
      opening = { route: requireMayBreakGlass(child.route), involved: child.involved };
    } catch (error) {
      if (child && error instanceof DomainError) this.audit.recordRefused(ctx, attempt, error);
      throw error;
    }
    const opened = await this.repository.openBreakGlass(manager, {
      childId,
      userId: actor.userId,
      agencyId,
      reason: reason.trim(),
    });
    await this.notifications.notifyAgencies(
      manager,
      { agencyIds: [agencyId, ...opening.involved], roles: BREAK_GLASS_REVIEWING_ROLES, except: actor.userId },
      {
        kind: NotificationKind.BREAK_GLASS_TO_REVIEW,
        message: `${actor.displayName} used emergency access to a child's record: ${opened.reason}`,
        childId,
      },
    );
    this.audit.record(ctx, {
      ...attempt,
      subjectId: opened.id,
      route: opening.route,
      purpose: opened.reason,
      breakGlass: viaBreakGlass(opening.route),
    });
    return opened;
  }

  /**
   * Uses waiting for the viewer's agency (its own review, or its staff's uses others have still to review), oldest
   * first. Each says which child's record was opened and
   * why, so the list is audited as a read of each child listed, with the viewer's own route to it if any (an
   * agency admin reviews without reaching the record).
   */
  async toReview(ctx: Scope): Promise<BreakGlassAccessType[]> {
    const uses = await this.repository.toReview(await ctx.manager(), ctx.signedIn.actor, REVIEW_LIST_LIMIT);
    const childIds = [...new Set(uses.map((use) => use.childId))];
    const access = await Promise.all(childIds.map((childId) => loadChildAccess(ctx, childId)));
    childIds.forEach((childId, index) => this.audit.recordRead(ctx, childId, access[index]?.route ?? null));
    return uses;
  }

  async review(ctx: Scope, id: string, outcome: string): Promise<BreakGlassAccessType> {
    const { actor } = ctx.signedIn;
    const trimmed = outcome.trim();
    if (trimmed.length === 0 || characterCount(trimmed) > 2000) {
      throw new BadUserInputError('Record the outcome of the review (at most 2000 characters)', 'outcome');
    }
    const manager = await ctx.manager();
    const found = await this.repository.breakGlassToAnswer(manager, actor, id);
    const agencyId = actor.membership?.agencyId;
    if (!found || !agencyId) throw new NotFoundError('BreakGlassAccess', id);
    requireMayReview(actor, found);
    const alreadyReviewed = 'Your agency has already reviewed this emergency access';
    if (found.reviewedAt) throw new FailedPreconditionError(alreadyReviewed);
    const reviewed = await this.repository.markReviewed(manager, {
      id,
      agencyId,
      reviewerId: actor.userId,
      outcome: trimmed,
    });
    if (!reviewed) throw new FailedPreconditionError(alreadyReviewed);
    this.audit.record(ctx, {
      action: 'reviewBreakGlass',
      subjectType: 'BreakGlassAccess',
      subjectId: id,
      childId: reviewed.childId,
      purpose: trimmed,
    });
    return reviewed;
  }
}
