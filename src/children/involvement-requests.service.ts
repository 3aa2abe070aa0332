import { Injectable } from '@nestjs/common';
import { type AccessRoute, loadChildAccess } from '../access/child-access';
import {
  DECIDING_ROLES,
  identifiersItMayRecord,
  requireMayDecide,
  requireMayWithdraw,
  requireNotInvolved,
  requireToRequest,
} from '../access/involvement-requests.decisions';
import type { ActingMembership } from '../access/actor';
import type { Scope } from '../access/scope';
import { AgenciesService } from '../agencies/agencies.service';
import { AuditLog } from '../audit/log/audit-log.service';
import type { InvolvementBasis } from '../common/enums/children';
import { BadUserInputError, FailedPreconditionError, NotFoundError } from '../common/errors';
import { isNote, isReason, REASON_LENGTH } from '../common/reasons';
import { isUuid } from '../database/postgres';
import { NotificationKind } from '../notifications/notification.entity';
import { NotificationsService } from '../notifications/notifications.service';
import { ChildrenRepository } from './children.repository';
import { recordIdentifiersAdded } from './identifier-audit';
import type { RequestInvolvementInput } from './children.inputs';
import type { NormalisedIdentifier } from './identifiers';
import { InvolvementRequestStatus } from './involvement-request.entity';
import { InvolvementRequestRow, InvolvementRequestsRepository } from './involvement-requests.repository';
import type { InvolvementRequestType } from './involvement-requests.types';

/** The list is worked through, not browsed: newest first, at most this many. */
const LIST_LIMIT = 200;

/** What a request says it is for; where it came from decides which field a bad reason is reported on. */
export interface RequestDetails {
  basis: InvolvementBasis;
  reason: string | null | undefined;
  /** The field the reason came in, for BAD_USER_INPUT. */
  reasonField: string;
  /** The operation that asks (`registerChild`, `requestInvolvement`): a refusal is audited as its attempt. */
  action: string;
  /** Identifiers given with it (normalised), to join the record if it is accepted. */
  identifiers: readonly NormalisedIdentifier[];
  /** What identified the child: `identifier:<SCHEME>` for a registration, `childId` for a direct request. */
  matchedOn: readonly string[];
}

function toType(row: InvolvementRequestRow): InvolvementRequestType {
  return {
    id: row.id,
    childId: row.childId,
    requestingAgencyId: row.requestingAgencyId,
    requestedById: row.requestedById,
    basis: row.basis,
    reason: row.reason,
    status: row.status,
    requestedAt: row.requestedAt,
    decidedById: row.decidedById,
    decidedAt: row.decidedAt,
    decisionNote: row.decisionNote,
    // The request names one child exactly: it matched on what `matchedOn` says.
    match: {
      childId: row.childId,
      score: 1,
      matchedOn: row.matchedOn,
      initials: row.initials,
      birthYear: row.birthYear,
      involvedAgencyIds: row.involvedAgencyIds,
    },
  };
}

/**
 * Involvement requests (DESIGN §4: knowing an identifier opens nothing). A request opens nothing: a lead of an
 * agency involved with the child accepts it (the requester becomes involved, its identifiers join the record) or
 * declines it with a note; the deciders are told of the request, the requester of the decision. Who decides and
 * who sees a request is src/access/involvement-requests.decisions.ts. Everything is audited on the child.
 */
@Injectable()
export class InvolvementRequestsService {
  constructor(
    private readonly audit: AuditLog,
    private readonly notifications: NotificationsService,
    private readonly agencies: AgenciesService,
    private readonly repository: InvolvementRequestsRepository,
    private readonly children: ChildrenRepository,
  ) {}

  /** `requestInvolvement`: for a child found by a match, or reached some other way (a grant, break-glass). */
  async request(ctx: Scope, input: RequestInvolvementInput): Promise<InvolvementRequestType> {
    const membership = requireToRequest(ctx);
    if (!(await this.repository.childExists(await ctx.manager(), input.childId))) {
      throw new NotFoundError('Child', input.childId);
    }
    requireNotInvolved(await loadChildAccess(ctx, input.childId));
    return this.file(ctx, membership, input.childId, {
      basis: input.basis,
      reason: input.reason,
      reasonField: 'input.reason',
      action: 'requestInvolvement',
      identifiers: [],
      matchedOn: ['childId'],
    });
  }

  /**
   * Files the agency's request for a known child that it is not involved with. One pending request per child and
   * agency: asking again answers the pending request as it stands (its leads are not asked twice), and the
   * attempt is audited all the same. Refused for its reason, the attempt is audited on the child although it rolls
   * back: a registration refused because its identifier matched would otherwise test unseen whether a child holds
   * the identifier.
   */
  async file(
    ctx: Scope,
    membership: ActingMembership,
    childId: string,
    details: RequestDetails,
  ): Promise<InvolvementRequestType> {
    const { actor } = ctx.signedIn;
    if (!isReason(details.reason)) {
      const refusal = new BadUserInputError(
        `This child already has a record: say why your agency is involved, in ${REASON_LENGTH.min} to ` +
          `${REASON_LENGTH.max} characters, to ask the agencies involved`,
        details.reasonField,
      );
      this.audit.recordRefused(
        ctx,
        {
          action: details.action,
          subjectType: 'Child',
          subjectId: childId,
          childId,
          route: (await loadChildAccess(ctx, childId))?.route ?? null,
        },
        refusal,
      );
      throw refusal;
    }
    const reason = details.reason.trim();
    const manager = await ctx.manager();
    const filed = await this.repository.insert(manager, {
      childId,
      requestingAgencyId: membership.agencyId,
      requestedBy: actor.userId,
      basis: details.basis,
      reason,
      identifiers: details.identifiers,
      matchedOn: details.matchedOn,
    });
    const id = filed ?? (await this.repository.pendingOf(manager, childId, membership.agencyId));
    if (!id) throw new Error(`no pending involvement request of ${membership.agencyId} for ${childId}`);
    if (filed) {
      const requester = await this.agencies.load(ctx, membership.agencyId);
      await this.notifications.notifyAgencies(
        manager,
        { agencyIds: await this.repository.deciders(manager, id), roles: DECIDING_ROLES, except: actor.userId },
        {
          kind: NotificationKind.INVOLVEMENT_REQUESTED,
          // The reason stays on the request, which the deciders read: a message has no room for 2000 characters.
          message: `${requester.name} asks to become involved with a child your agency works with (${details.basis})`,
          childId,
        },
      );
    }
    this.audit.record(ctx, {
      action: 'requestInvolvement',
      subjectType: 'InvolvementRequest',
      subjectId: id,
      childId,
      route: (await loadChildAccess(ctx, childId))?.route ?? null,
      purpose: reason,
    });
    return this.one(ctx, id);
  }

  async decide(ctx: Scope, id: string, accept: boolean, note: string): Promise<InvolvementRequestType> {
    const { actor } = ctx.signedIn;
    const trimmed = note.trim();
    if (accept ? [...trimmed].length > REASON_LENGTH.max : !isNote(note)) {
      throw new BadUserInputError(
        accept
          ? `A note is at most ${REASON_LENGTH.max} characters`
          : `Say why you decline, in at most ${REASON_LENGTH.max} characters`,
        'note',
      );
    }
    const request = await this.visibleOne(ctx, id);
    requireMayDecide(ctx, request);
    const agencyId = actor.membership?.agencyId ?? null;
    const status = accept ? InvolvementRequestStatus.ACCEPTED : InvolvementRequestStatus.DECLINED;
    const manager = await ctx.manager();
    const closed = await this.repository.close(manager, {
      id,
      status,
      by: actor.userId,
      agencyId,
      note: trimmed || null,
    });
    if (!closed) throw new FailedPreconditionError(`This request is already ${request.status.toLowerCase()}`);
    const route = (await loadChildAccess(ctx, request.childId))?.route ?? null;
    // The action says what was decided and the purpose is the note, as it was given: a note at its 2000-character
    // limit fits the purpose's CHECK, where the decision written in front of it would not.
    this.audit.record(ctx, {
      action: accept ? 'acceptInvolvementRequest' : 'declineInvolvementRequest',
      subjectType: 'InvolvementRequest',
      subjectId: id,
      childId: request.childId,
      route,
      purpose: trimmed || null,
    });
    if (accept) await this.involve(ctx, request, route);
    await this.notifications.notifyPerson(manager, request.requestedById, {
      kind: NotificationKind.INVOLVEMENT_DECIDED,
      message: `Your agency's request to become involved with ${request.initials} was ${status.toLowerCase()}`,
      childId: request.childId,
    });
    return this.one(ctx, id);
  }

  async withdraw(ctx: Scope, id: string): Promise<InvolvementRequestType> {
    const request = await this.visibleOne(ctx, id);
    requireMayWithdraw(ctx, request);
    const closed = await this.repository.close(await ctx.manager(), {
      id,
      status: InvolvementRequestStatus.WITHDRAWN,
      by: ctx.signedIn.actor.userId,
      agencyId: null,
      note: null,
    });
    if (!closed) throw new FailedPreconditionError(`This request is already ${request.status.toLowerCase()}`);
    this.audit.record(ctx, {
      action: 'withdrawInvolvementRequest',
      subjectType: 'InvolvementRequest',
      subjectId: id,
      childId: request.childId,
      route: (await loadChildAccess(ctx, request.childId))?.route ?? null,
    });
    return this.one(ctx, id);
  }

  /**
   * The requests the viewer is party to, newest first. Each discloses something of a child (at least what a match
   * does), so listing them is audited: one event per request, on its child, with the viewer's route if any.
   */
  async list(ctx: Scope, status: InvolvementRequestStatus | null): Promise<InvolvementRequestType[]> {
    const rows = await this.rows(ctx, { status, limit: LIST_LIMIT });
    for (const row of rows) {
      this.audit.record(ctx, {
        action: 'involvementRequests',
        subjectType: 'InvolvementRequest',
        subjectId: row.id,
        childId: row.childId,
        route: (await loadChildAccess(ctx, row.childId))?.route ?? null,
      });
    }
    return rows.map(toType);
  }

  /**
   * The requester's agency becomes involved on the basis it asked for, from today, and the identifiers it gave in
   * the schemes it may record join the record (one another child holds since is left where it is), each audited
   * as an agency already involved adding one would be; the decider acts, so the events are the decider's.
   */
  private async involve(ctx: Scope, request: InvolvementRequestRow, route: AccessRoute | null): Promise<void> {
    const manager = await ctx.manager();
    const involvementId = await this.children.openInvolvement(manager, {
      childId: request.childId,
      agencyId: request.requestingAgencyId,
      basis: request.basis,
      since: null,
      createdBy: request.requestedById,
    });
    const requester = await this.agencies.load(ctx, request.requestingAgencyId);
    const identifiers = identifiersItMayRecord(requester.kind, request.identifiers);
    const added = await this.children.addIdentifiers(manager, request.childId, identifiers, request.requestingAgencyId);
    recordIdentifiersAdded(this.audit, ctx, request.childId, route, added);
    if (involvementId) {
      this.audit.record(ctx, {
        action: 'acceptInvolvement',
        subjectType: 'Involvement',
        subjectId: involvementId,
        childId: request.childId,
        route,
        purpose: request.reason,
      });
    }
  }

  /** A request the viewer is party to; NOT_FOUND otherwise, as if it did not exist. */
  private async visibleOne(ctx: Scope, id: string): Promise<InvolvementRequestRow> {
    const [row] = isUuid(id) ? await this.rows(ctx, { ids: [id], limit: 1 }) : [];
    if (!row) throw new NotFoundError('InvolvementRequest', id);
    return row;
  }

  private async one(ctx: Scope, id: string): Promise<InvolvementRequestType> {
    return toType(await this.visibleOne(ctx, id));
  }

  private async rows(
    ctx: Scope,
    query: { ids?: readonly string[]; status?: InvolvementRequestStatus | null; limit: number },
  ): Promise<InvolvementRequestRow[]> {
    const { actor } = ctx.signedIn;
    const kind = actor.membership?.agencyKind;
    if (!kind) return [];
    return this.repository.visible(await ctx.manager(), actor, kind, query);
  }
}
