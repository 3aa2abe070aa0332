import { Injectable } from '@nestjs/common';
import { AccessRoute, ChildAccessScope, loadChildAccess } from '../access/child-access';
import { Role } from '../agencies/agencies.enums';
import { isUuid } from '../database/postgres';
import { AuditLog } from '../audit/audit-log.service';
import { BadUserInputError, FailedPreconditionError, ForbiddenError, NotFoundError } from '../common/errors';
import type { Scope } from '../access/scope';
import { NotificationKind } from '../notifications/notification.entity';
import { NotificationsService } from '../notifications/notifications.service';
import { A_SENTENCE } from './sharing.inputs';
import type { BreakGlassAccessType } from './sharing.types';

const COLUMNS = `b.id, b.child_id AS "childId", b.user_id AS "userId", b.reason, b.started_at AS "startedAt",
  b.expires_at AS "expiresAt", b.reviewed_at AS "reviewedAt", b.review_outcome AS "reviewOutcome"`;

/** Who reviews a break-glass (sharing.rules.ts). */
const REVIEWERS: readonly Role[] = [Role.SAFEGUARDING_LEAD, Role.AGENCY_ADMIN];

/** The list is worked through, not browsed: a reviewer sees the oldest first, at most this many. */
const REVIEW_LIST_LIMIT = 200;

/**
 * Unreviewed break-glass uses `$1` (the viewer's agency) answers for: made by its staff, or opening a child it is
 * involved with. Never the viewer's own (`$2`): nobody reviews themself.
 */
const REVIEWABLE = `b.user_id <> $2 AND (b.agency_id = $1 OR EXISTS (
    SELECT 1 FROM involvement i
     WHERE i.child_id = b.child_id AND i.agency_id = $1 AND (i.until IS NULL OR i.until > current_date)))`;

/**
 * Emergency access (DESIGN §4): 60 minutes, for the person who asks only, with a reason; every read under it is
 * flagged in the audit log, and every use waits for review by the leads of the agencies concerned.
 */
@Injectable()
export class BreakGlassService {
  constructor(
    private readonly audit: AuditLog,
    private readonly notifications: NotificationsService,
  ) {}

  async breakGlass(ctx: Scope, childId: string, reason: string): Promise<BreakGlassAccessType> {
    const { actor } = ctx.signedIn;
    const agencyId = actor.membership?.agencyId;
    if (!agencyId) throw new ForbiddenError();
    if (reason.length > 2000 || !A_SENTENCE.test(reason)) {
      throw new BadUserInputError('Say why you need emergency access, in at least 20 characters', 'reason');
    }
    const manager = await ctx.manager();
    // Read fresh (not through the per-request loader): the answer changes within this request.
    const values: unknown[] = [childId];
    const access = ChildAccessScope.for(actor, { childIds: [childId] }).toPositional(values);
    const [child]: Array<{ route: AccessRoute | null; involved: string[] }> = isUuid(childId)
      ? await manager.query(
          `SELECT a.route, ARRAY(SELECT i.agency_id FROM involvement i
                                  WHERE i.child_id = c.id AND (i.until IS NULL OR i.until > current_date)) AS involved
             FROM child c LEFT JOIN (${access}) a ON a.child_id = c.id WHERE c.id = $1`,
          values,
        )
      : [];
    // Break-glass exists for a child the person cannot otherwise see (found through matching), so any child will do.
    if (!child) throw new NotFoundError('Child', childId);
    if (child.route === AccessRoute.INVOLVED) {
      throw new FailedPreconditionError('Your agency is involved with this child: you already see the record');
    }
    if (child.route === AccessRoute.BREAK_GLASS) {
      throw new FailedPreconditionError('Your emergency access to this record is still open');
    }
    const [opened]: BreakGlassAccessType[] = await manager.query(
      `INSERT INTO break_glass_access AS b (child_id, user_id, agency_id, reason, expires_at)
       VALUES ($1, $2, $3, $4, now() + interval '60 minutes') RETURNING ${COLUMNS}`,
      [childId, actor.userId, agencyId, reason.trim()],
    );
    await this.notifications.notifyAgencies(
      manager,
      { agencyIds: [agencyId, ...child.involved], roles: REVIEWERS, except: actor.userId },
      {
        kind: NotificationKind.BREAK_GLASS_TO_REVIEW,
        message: `${actor.displayName} used emergency access to a child's record: ${opened.reason}`,
        childId,
      },
    );
    this.audit.record(ctx, {
      action: 'breakGlass',
      subjectType: 'BreakGlassAccess',
      subjectId: opened.id,
      childId,
      route: AccessRoute.BREAK_GLASS,
      purpose: opened.reason,
      breakGlass: true,
    });
    return opened;
  }

  /**
   * Unreviewed uses the viewer's agency answers for, oldest first. Each says which child's record was opened and
   * why, so the list is audited as a read of each child listed, with the viewer's own route to it if any (an
   * agency admin reviews without reaching the record).
   */
  async toReview(ctx: Scope): Promise<BreakGlassAccessType[]> {
    const { actor } = ctx.signedIn;
    const uses: BreakGlassAccessType[] = await (
      await ctx.manager()
    ).query(
      `SELECT ${COLUMNS} FROM break_glass_access b
        WHERE b.reviewed_at IS NULL AND ${REVIEWABLE}
        ORDER BY b.started_at, b.id LIMIT ${REVIEW_LIST_LIMIT}`,
      [actor.membership?.agencyId ?? null, actor.userId],
    );
    const childIds = [...new Set(uses.map((use) => use.childId))];
    const access = await Promise.all(childIds.map((childId) => loadChildAccess(ctx, childId)));
    childIds.forEach((childId, index) => this.audit.recordRead(ctx, childId, access[index]?.route ?? null));
    return uses;
  }

  async review(ctx: Scope, id: string, outcome: string): Promise<BreakGlassAccessType> {
    const { actor } = ctx.signedIn;
    const trimmed = outcome.trim();
    if (trimmed.length === 0 || trimmed.length > 2000) {
      throw new BadUserInputError('Record the outcome of the review (at most 2000 characters)', 'outcome');
    }
    const manager = await ctx.manager();
    const params = [actor.membership?.agencyId ?? null, actor.userId, id];
    const [found]: BreakGlassAccessType[] = isUuid(id)
      ? await manager.query(
          `SELECT ${COLUMNS} FROM break_glass_access b
            WHERE b.id = $3 AND (${REVIEWABLE} OR b.user_id = $2)`,
          params,
        )
      : [];
    if (!found) throw new NotFoundError('BreakGlassAccess', id);
    if (found.userId === actor.userId) throw new ForbiddenError('Someone else must review your emergency access');
    if (found.reviewedAt) throw new FailedPreconditionError('This emergency access has already been reviewed');
    // An UPDATE answers [rows, count].
    const [[reviewed]]: [BreakGlassAccessType[], number] = await manager.query(
      `UPDATE break_glass_access b SET reviewed_at = now(), reviewed_by = $2, review_outcome = $3
        WHERE b.id = $1 AND b.reviewed_at IS NULL RETURNING ${COLUMNS}`,
      [id, actor.userId, trimmed],
    );
    if (!reviewed) throw new FailedPreconditionError('This emergency access has already been reviewed');
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
