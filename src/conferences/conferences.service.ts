import { Injectable } from '@nestjs/common';
import { dateInEnglandAndWales } from '../../libs/working-days/src';
import { loadChildAccess } from '../access/child-access';
import { requireOnChild } from '../access/child-decisions';
import {
  CONFERENCE_AUDIENCE_ROLES,
  requireChair,
  requireMayChair,
  requireMayReport,
  requireMayRespond,
  requireMayUpdateAction,
} from '../access/conference.decisions';
import type { Scope } from '../access/scope';
import { requireSystem } from '../access/system-actor';
import { AuditLog } from '../audit/log/audit-log.service';
import { ChildrenService } from '../children/children.service';
import { ChildFlag } from '../common/enums/children';
import {
  ActionStatus,
  ConferenceKind,
  ConferenceRecommendation,
  ConferenceStatus,
  InvitationResponse,
} from '../common/enums/conferences';
import {
  BadUserInputError,
  ConflictError,
  FailedPreconditionError,
  ForbiddenError,
  NotFoundError,
} from '../common/errors';
import { LoaderKey } from '../common/loaders';
import { isUuid } from '../database/postgres';
import { ConferenceChanged, LiveEvents } from '../live/live-events.service';
import { NotificationKind } from '../notifications/notification.entity';
import { NotificationsService } from '../notifications/notifications.service';
import { ConferenceReminders } from './conference-reminders';
import { conferenceDueBy, mayKeepPlan, nextReviewDue } from './conference-timescales';
import type {
  AttendanceInput,
  ConveneConferenceInput,
  DecideConferenceInput,
  SubmitReportInput,
} from './conferences.inputs';
import {
  AttendanceRow,
  ConferenceRow,
  ConferenceSelection,
  ConferencesRepository,
  DissentRow,
  InvitationRow,
  LatestConferenceRow,
  PlanActionRow,
  ReportRow,
} from './conferences.repository';
import type { ConferenceInvitationType, ConferenceType, PlanActionType } from './conferences.types';
import { quorumOf } from './quorum';

const CONFERENCE_BY_ID = new LoaderKey<string, ConferenceType | null>('a conference by id');
const CONFERENCES_OF_CHILD = new LoaderKey<string, ConferenceType[]>("a child's conferences");
const INVITATIONS = new LoaderKey<string, InvitationRow[]>("a conference's invitations");
const REPORTS = new LoaderKey<ConferenceType, ReportRow[], string>("a conference's reports");
const ATTENDANCE = new LoaderKey<string, AttendanceRow[]>("a conference's attendance");
const ACTIONS = new LoaderKey<string, PlanActionRow[]>("a conference's plan actions");
const DISSENTS = new LoaderKey<string, DissentRow[]>("a conference's dissents");

/** Recommendations that treat the child first as a victim: the child is flagged so every prosecutor sees it. */
const VICTIM_RECOMMENDATIONS: readonly ConferenceRecommendation[] = [
  ConferenceRecommendation.VICTIM_PROTECTION,
  ConferenceRecommendation.DEFER_PENDING_NRM,
];

/** The statuses from which a conference may still be cancelled, or take reports. */
const OPEN_STATUSES: readonly ConferenceStatus[] = [ConferenceStatus.CONVENED, ConferenceStatus.IN_SESSION];

function today(): string {
  return dateInEnglandAndWales(new Date());
}

function toConference(row: ConferenceRow): ConferenceType {
  return {
    id: row.id,
    childId: row.childId,
    chairId: row.chairId,
    chairAgencyId: row.chairAgencyId,
    kind: row.kind,
    status: row.status,
    convenedAt: row.convenedAt,
    scheduledFor: row.scheduledFor,
    dueBy: row.dueBy,
    scheduledAfterDue: dateInEnglandAndWales(row.scheduledFor) > row.dueBy,
    strategyDiscussionOn: row.strategyDiscussionOn,
    precedingConferenceId: row.precedingConferenceId,
    cancellationReason: row.cancellationReason,
    decision:
      row.recommendation && row.rationale && row.decidedBy && row.decidedAt
        ? {
            conferenceId: row.id,
            recommendation: row.recommendation,
            rationale: row.rationale,
            decidedById: row.decidedBy,
            decidedAt: row.decidedAt,
            nextReviewBy: row.nextReviewBy,
            quorumOverrideReason: row.quorumOverrideReason,
          }
        : null,
    version: row.version,
    route: row.route,
  };
}

function wrongState(conference: ConferenceType, doing: string): FailedPreconditionError {
  return new FailedPreconditionError(`This conference is ${conference.status}: it cannot ${doing}`);
}

/**
 * Case conferences on statutory timescales (DESIGN §6): convening (the due date computed here, never taken from
 * the client), invitations, reports, attendance and quorum, the decision with its plan and dissents, and the
 * child's flags it sets. State moves only CONVENED -> IN_SESSION -> DECIDED, or to CANCELLED; every change is a
 * compare-and-set on the version the user read. Who sees and does what is src/access (conference.*.ts); every
 * read and write is audited against the child.
 */
@Injectable()
export class ConferencesService {
  constructor(
    private readonly audit: AuditLog,
    private readonly children: ChildrenService,
    private readonly notifications: NotificationsService,
    private readonly reminders: ConferenceReminders,
    private readonly repository: ConferencesRepository,
    private readonly live: LiveEvents,
  ) {}

  /** A conference the viewer sees, or null exactly as if it did not exist. */
  load(ctx: Scope, id: string): Promise<ConferenceType | null> {
    return ctx.loaders.get(CONFERENCE_BY_ID, (ids) => this.byIds(ctx, ids)).load(id);
  }

  /**
   * The changes to a conference the viewer sees, from now on (NOT_FOUND otherwise, like `conference`). Each one
   * is to be read afresh with `visibleNow`, in a scope of its own: the viewer may have lost the conference since.
   */
  async watch(ctx: Scope, id: string): Promise<AsyncIterableIterator<ConferenceChanged>> {
    const conference = await this.visible(ctx, id);
    return this.live.conferenceChanges(conference.id);
  }

  /** The conference as the viewer sees it now; NOT_FOUND, as if it did not exist, once they no longer do. */
  visibleNow(ctx: Scope, id: string): Promise<ConferenceType> {
    return this.visible(ctx, id);
  }

  /** The conferences the viewer chairs or their agency was invited to, soonest first. */
  async mine(ctx: Scope, status: ConferenceStatus | null): Promise<ConferenceType[]> {
    return this.fetch(ctx, { mine: true, status });
  }

  /** The child's conferences the viewer sees (the parent child is one the viewer reaches). */
  ofChild(ctx: Scope, childId: string): Promise<ConferenceType[]> {
    return ctx.loaders
      .get(CONFERENCES_OF_CHILD, async (childIds) => {
        const conferences = await this.fetch(ctx, { childIds: childIds.filter(isUuid) });
        return childIds.map((id) => conferences.filter((conference) => conference.childId === id));
      })
      .load(childId);
  }

  /**
   * The chair of the child's latest conference and the recommendation of its latest decision, for a decision about
   * the child made outside the conferences by someone who reaches the child (a prosecutor's non-punishment
   * assessment): all of the child's conferences count, not only those the decider was invited to, since the
   * conference's view is an input the CPS guidance asks for.
   */
  async latestOfChild(ctx: Scope, childId: string): Promise<LatestConferenceRow> {
    return this.repository.latestOfChild(await ctx.manager(), childId);
  }

  /** The invitations to the viewer's agency (to answer, or answered), whether or not the child is open to it. */
  async invitationsToMyAgency(ctx: Scope, response: InvitationResponse | null): Promise<ConferenceInvitationType[]> {
    return this.repository.ownInvitations(await ctx.manager(), ctx.actor, response);
  }

  invitationsOf(ctx: Scope, conferenceId: string): Promise<InvitationRow[]> {
    return this.batch(ctx, INVITATIONS, conferenceId, (manager, ids) => this.repository.invitations(manager, ids));
  }

  /** The conference's reports in the tiers the viewer may see. */
  reportsOf(ctx: Scope, conference: ConferenceType): Promise<ReportRow[]> {
    return ctx.loaders
      .get(
        REPORTS,
        async (conferences) => {
          const rows = await this.repository.reports(await ctx.manager(), ctx.actor, conferences);
          return conferences.map((c) => rows.filter((row) => row.conferenceId === c.id));
        },
        { cacheKeyFn: (c) => c.id },
      )
      .load(conference);
  }

  attendanceOf(ctx: Scope, conferenceId: string): Promise<AttendanceRow[]> {
    return this.batch(ctx, ATTENDANCE, conferenceId, (manager, ids) => this.repository.attendance(manager, ids));
  }

  async quorumMet(ctx: Scope, conferenceId: string): Promise<boolean> {
    return quorumOf(this.presentAgencies(await this.attendanceOf(ctx, conferenceId))).met;
  }

  actionsOf(ctx: Scope, conferenceId: string): Promise<PlanActionType[]> {
    return this.batch(ctx, ACTIONS, conferenceId, (manager, ids) => this.repository.actions(manager, ids, today()));
  }

  dissentsOf(ctx: Scope, conferenceId: string): Promise<DissentRow[]> {
    return this.batch(ctx, DISSENTS, conferenceId, (manager, ids) => this.repository.dissents(manager, ids));
  }

  /**
   * Convenes a conference on a child the chair's agency reaches by INVOLVED or GRANTED, chaired by a conference
   * chair of that agency, inviting agencies that are told at once. Due by the statutory timescale of its kind.
   */
  async convene(ctx: Scope, input: ConveneConferenceInput): Promise<ConferenceType> {
    const { access, agencyId, preceding, dueBy } = await this.checkConvening(ctx, input);
    const { actor } = ctx.signedIn;
    const manager = await ctx.manager();
    const strategyDiscussionOn = input.strategyDiscussionOn ?? null;
    const id = await this.repository.insertConference(manager, {
      childId: access.childId,
      kind: input.kind,
      chairId: input.chairId,
      chairAgencyId: agencyId,
      convenedBy: actor.userId,
      scheduledFor: input.scheduledFor,
      dueBy,
      strategyDiscussionOn,
      precedingConferenceId: preceding?.id ?? null,
    });
    await this.repository.insertInvitations(manager, id, input.invitedAgencyIds);
    await this.reminders.deadlineApproaching(manager, [{ id, dueBy }]);
    await this.notifications.notifyAgencies(
      manager,
      { agencyIds: input.invitedAgencyIds, roles: CONFERENCE_AUDIENCE_ROLES, except: actor.userId },
      {
        kind: NotificationKind.CONFERENCE_INVITATION,
        message: `Your agency is invited to a conference on ${dateInEnglandAndWales(input.scheduledFor)}`,
        childId: access.childId,
        conferenceId: id,
      },
    );
    this.audit.record(ctx, {
      action: 'conveneConference',
      subjectType: 'Conference',
      subjectId: id,
      childId: access.childId,
      route: access.route,
    });
    return this.reload(ctx, id);
  }

  /**
   * The day a conference convened with `input` would be due by, refused exactly as convening it would be: the
   * chair sees the statutory date before committing to it. Nothing is written.
   */
  async dueByIfConvened(ctx: Scope, input: ConveneConferenceInput): Promise<string> {
    return (await this.checkConvening(ctx, input)).dueBy;
  }

  private async checkConvening(ctx: Scope, input: ConveneConferenceInput) {
    const access = await requireOnChild(ctx, 'convene', input.childId);
    const agencyId = ctx.signedIn.actor.membership?.agencyId;
    if (!agencyId) throw new ForbiddenError();
    const manager = await ctx.manager();
    requireMayChair(await this.repository.activeRoles(manager, input.chairId, agencyId), 'input.chairId');
    const active = new Set((await this.repository.activeAgencies(manager, input.invitedAgencyIds)).map((a) => a.id));
    input.invitedAgencyIds.forEach((id, n) => {
      if (!active.has(id))
        throw new BadUserInputError(`There is no active agency ${id}`, `input.invitedAgencyIds[${n}]`);
    });
    if (input.scheduledFor.getTime() <= Date.now()) {
      throw new BadUserInputError('A conference is scheduled for a time still to come', 'input.scheduledFor');
    }
    const preceding = await this.precedingFor(ctx, input);
    const dueBy = conferenceDueBy(input.kind, {
      strategyDiscussionOn: input.strategyDiscussionOn ?? null,
      reviewDueFromPreceding: preceding?.decision?.nextReviewBy ?? null,
      scheduledOn: dateInEnglandAndWales(input.scheduledFor),
    });
    return { access, agencyId, preceding, dueBy };
  }

  /** A person of the invited agency accepts or declines for it, while the conference is still to be held. */
  async respond(ctx: Scope, invitationId: string, response: InvitationResponse): Promise<ConferenceInvitationType> {
    if (response === InvitationResponse.PENDING) {
      throw new BadUserInputError('Answer ACCEPTED or DECLINED', 'response');
    }
    const manager = await ctx.manager();
    const invitation = isUuid(invitationId)
      ? await this.repository.ownInvitation(manager, ctx.actor, invitationId)
      : null;
    if (!invitation) throw new NotFoundError('ConferenceInvitation', invitationId);
    const { actor } = ctx.signedIn;
    requireMayRespond(ctx, invitation);
    const state = await this.repository.state(manager, invitation.conferenceId);
    if (state.status !== ConferenceStatus.CONVENED) {
      throw new FailedPreconditionError(`This conference is ${state.status}: its invitations are closed`);
    }
    const answered = await this.repository.respond(manager, invitationId, actor.userId, response);
    if (!answered) throw new ConflictError('Someone else answered for your agency meanwhile');
    if (response === InvitationResponse.ACCEPTED) {
      // Whoever accepts writes the agency's report (requireMayReport): it goes on their list until the conference.
      await this.notifications.notifyPerson(manager, actor.userId, {
        kind: NotificationKind.REPORT_DUE,
        message: `Your agency's report to the conference on ${dateInEnglandAndWales(state.scheduledFor)} is due before it starts`,
        childId: state.childId,
        conferenceId: invitation.conferenceId,
      });
    }
    this.audit.record(ctx, {
      action: 'respondToInvitation',
      subjectType: 'ConferenceInvitation',
      subjectId: invitationId,
      childId: state.childId,
      route: (await loadChildAccess(ctx, state.childId))?.route ?? null,
    });
    return answered;
  }

  /** The invited agency's one report, by its invitee after accepting, in a tier its kind sees. */
  async submitReport(ctx: Scope, input: SubmitReportInput): Promise<ReportRow> {
    const conference = await this.visible(ctx, input.conferenceId);
    if (!OPEN_STATUSES.includes(conference.status)) throw wrongState(conference, 'take reports');
    const agencyId = ctx.signedIn.actor.membership?.agencyId;
    const invitation = (await this.invitationsOf(ctx, conference.id)).find((inv) => inv.agencyId === agencyId);
    const membership = requireMayReport(
      ctx,
      invitation ? { ...invitation, accepted: invitation.response === InvitationResponse.ACCEPTED } : null,
      input.sensitivity,
    );
    const report = await this.repository.insertReport(await ctx.manager(), {
      conferenceId: conference.id,
      agencyId: membership.agencyId,
      authorId: ctx.signedIn.actor.userId,
      content: input.content.trim(),
      sensitivity: input.sensitivity,
    });
    if (!report) throw new ConflictError('Your agency has already submitted its report to this conference');
    this.recordChange(ctx, 'submitConferenceReport', 'ConferenceReport', report.id, conference);
    return report;
  }

  /** The chair opens the conference with who is there: the chair, and people of the invited agencies. */
  async start(
    ctx: Scope,
    id: string,
    attendance: readonly AttendanceInput[],
    version: number | null,
  ): Promise<ConferenceType> {
    const conference = await this.visible(ctx, id);
    requireChair(ctx, conference, 'run');
    if (conference.status !== ConferenceStatus.CONVENED) throw wrongState(conference, 'start');
    this.requireVersion(conference, version);
    const manager = await ctx.manager();
    const userIds = attendance.map((a) => a.userId);
    userIds.forEach((userId, n) => {
      if (userIds.indexOf(userId) !== n)
        throw new BadUserInputError('Name each person once', `attendance[${n}].userId`);
    });
    const agencies = new Map(
      (await this.repository.attendingAgencies(manager, conference, userIds)).map((row) => [row.userId, row.agencyId]),
    );
    const rows = attendance.map((a, n) => {
      const agencyId = agencies.get(a.userId);
      if (!agencyId) {
        throw new BadUserInputError(
          'Only the chair and people of the invited agencies attend',
          `attendance[${n}].userId`,
        );
      }
      return { userId: a.userId, agencyId, present: a.present };
    });
    if (!(await this.repository.start(manager, id, conference.version))) throw this.stale();
    await this.repository.insertAttendance(manager, id, rows);
    this.recordChange(ctx, 'startConference', 'Conference', id, conference);
    return this.reload(ctx, id);
  }

  /**
   * Only the chair decides, only in session, only with quorum (or, with two agencies, a recorded reason). The
   * decision sets the child's flags: a victim-first recommendation flags a potential victim, a plan flags the
   * child as under a child protection plan until a review ends it.
   */
  async decide(ctx: Scope, input: DecideConferenceInput): Promise<ConferenceType> {
    const conference = await this.visible(ctx, input.conferenceId);
    const { actor } = ctx.signedIn;
    requireChair(ctx, conference, 'decide');
    if (conference.status !== ConferenceStatus.IN_SESSION) throw wrongState(conference, 'be decided');
    this.requireVersion(conference, input.version);
    const manager = await ctx.manager();
    const present = this.presentAgencies(await this.attendanceOf(ctx, conference.id));
    const quorum = quorumOf(present);
    const overrideReason = input.quorumOverrideReason?.trim() || null;
    if (quorum.met && overrideReason) {
      throw new BadUserInputError('Quorum is met: there is nothing to override', 'input.quorumOverrideReason');
    }
    if (!quorum.met && !(quorum.mayProceedExceptionally && overrideReason)) {
      throw new FailedPreconditionError(
        quorum.mayProceedExceptionally
          ? 'Quorum is not met: with two agencies present the chair proceeds only giving quorumOverrideReason'
          : 'Quorum is not met: at least three agencies present, children’s social care among them',
      );
    }
    const presentIds = new Set(present.map((agency) => agency.agencyId));
    const dissents = input.dissents ?? [];
    dissents.forEach((dissent, n) => {
      if (!presentIds.has(dissent.agencyId)) {
        throw new BadUserInputError('Only an agency present dissents', `input.dissents[${n}].agencyId`);
      }
      if (dissents.findIndex((other) => other.agencyId === dissent.agencyId) !== n) {
        throw new BadUserInputError('One dissent per agency', `input.dissents[${n}].agencyId`);
      }
    });
    const decidedOn = today();
    const owners = new Set([
      conference.chairAgencyId,
      ...(await this.invitationsOf(ctx, conference.id)).map((i) => i.agencyId),
    ]);
    for (const [n, action] of input.actions.entries()) {
      if (!owners.has(action.ownerAgencyId)) {
        throw new BadUserInputError(
          'An action is owned by an agency at the conference',
          `input.actions[${n}].ownerAgencyId`,
        );
      }
      if (
        action.ownerUserId &&
        !(await this.repository.activeRoles(manager, action.ownerUserId, action.ownerAgencyId))
      ) {
        throw new BadUserInputError('The owner is a person of the owning agency', `input.actions[${n}].ownerUserId`);
      }
      if (action.dueOn < decidedOn) {
        throw new BadUserInputError('An action is due today or later', `input.actions[${n}].dueOn`);
      }
    }
    const keepsPlan =
      mayKeepPlan(conference.kind) &&
      input.recommendation !== ConferenceRecommendation.NO_FURTHER_ACTION &&
      input.actions.length > 0;
    const decided = await this.repository.decide(manager, conference.id, input.version, {
      recommendation: input.recommendation,
      rationale: input.rationale.trim(),
      decidedBy: actor.userId,
      keepsPlan,
      nextReviewBy: keepsPlan ? nextReviewDue(conference.kind, decidedOn) : null,
      quorumOverrideReason: overrideReason,
    });
    if (!decided) throw this.stale();
    await this.repository.insertDissents(
      manager,
      conference.id,
      dissents.map((dissent) => ({ agencyId: dissent.agencyId, note: dissent.note.trim() })),
    );
    const actions = await this.repository.insertActions(
      manager,
      conference.id,
      input.actions.map((action) => ({
        description: action.description.trim(),
        ownerAgencyId: action.ownerAgencyId,
        ownerId: action.ownerUserId ?? null,
        dueOn: action.dueOn,
      })),
    );
    await this.reminders.actionOverdue(manager, actions);
    await this.children.changeFlags(ctx, conference.childId, {
      add: [
        ...(VICTIM_RECOMMENDATIONS.includes(input.recommendation) ? [ChildFlag.POTENTIAL_VICTIM_OF_EXPLOITATION] : []),
        ...(keepsPlan ? [ChildFlag.UNDER_CHILD_PROTECTION_PLAN] : []),
      ],
      // A review that keeps no plan ends it.
      remove:
        conference.kind === ConferenceKind.REVIEW_CHILD_PROTECTION && !keepsPlan
          ? [ChildFlag.UNDER_CHILD_PROTECTION_PLAN]
          : [],
    });
    // Told to those who see the conference: a colleague of an invitee who does not see it learns nothing of it.
    await this.notifications.notifyConference(
      manager,
      conference.id,
      {
        kind: NotificationKind.CONFERENCE_DECIDED,
        message: `The conference decided: ${input.recommendation}`,
        childId: conference.childId,
      },
      actor.userId,
    );
    this.recordChange(ctx, 'decideConference', 'Conference', conference.id, conference);
    return this.reload(ctx, conference.id);
  }

  /** The chair cancels a conference not yet decided, saying why. */
  async cancel(ctx: Scope, id: string, reason: string, version: number | null): Promise<ConferenceType> {
    const conference = await this.visible(ctx, id);
    requireChair(ctx, conference, 'cancel');
    if (!OPEN_STATUSES.includes(conference.status)) throw wrongState(conference, 'be cancelled');
    this.requireVersion(conference, version);
    const why = reason.trim();
    if (!why) throw new BadUserInputError('Say why the conference is cancelled', 'reason');
    if ([...why].length > 2000) throw new BadUserInputError('reason must be at most 2000 characters', 'reason');
    if (!(await this.repository.cancel(await ctx.manager(), id, conference.version, why))) throw this.stale();
    this.recordChange(ctx, 'cancelConference', 'Conference', id, conference);
    return this.reload(ctx, id);
  }

  /** Marks a plan action done (its agency, or the chair), or cancels or reopens it (the chair). */
  async updateAction(ctx: Scope, id: string, status: ActionStatus, version: number | null): Promise<PlanActionType> {
    if (status === ActionStatus.OVERDUE) {
      throw new BadUserInputError('An action becomes OVERDUE by its due date passing, not by being set', 'status');
    }
    const manager = await ctx.manager();
    const action = isUuid(id) ? await this.repository.action(manager, id, today()) : null;
    const conference = action ? await this.load(ctx, action.conferenceId) : null;
    if (!action || !conference) throw new NotFoundError('PlanAction', id);
    requireMayUpdateAction(ctx, action, conference, status);
    const stored = action.status === ActionStatus.OVERDUE ? ActionStatus.OPEN : action.status;
    if (stored === status) throw new FailedPreconditionError(`This action is already ${status}`);
    if (version !== null && version !== action.version) throw this.stale();
    const updated = await this.repository.updateAction(
      manager,
      id,
      action.version,
      status,
      ctx.signedIn.actor.userId,
      today(),
    );
    if (!updated) throw this.stale();
    this.recordChange(ctx, 'updatePlanAction', 'PlanAction', id, conference);
    return updated;
  }

  /**
   * A job of the reminders system actor: tells the chair and the accepted invitees that the conference is due in
   * two working days, if it is still to be held (a conference started, decided or cancelled since is told nothing).
   */
  async remindDeadline(ctx: Scope, conferenceId: string): Promise<void> {
    requireSystem(ctx, 'remind', 'Conference');
    const manager = await ctx.manager();
    const conference = await this.repository.reminderState(manager, conferenceId);
    if (conference?.status !== ConferenceStatus.CONVENED) return;
    for (const userId of await this.repository.deadlineAudience(manager, conferenceId)) {
      await this.notifications.notifyPerson(manager, userId, {
        kind: NotificationKind.DEADLINE_APPROACHING,
        message: `A conference you attend is due to be held by ${conference.dueBy}: two working days left`,
        childId: conference.childId,
        conferenceId,
      });
    }
    this.recordReminder(ctx, 'remindDeadline', 'Conference', conferenceId, conference.childId);
  }

  /**
   * A job of the reminders system actor: tells the action's owner (or, without one still active there, the people
   * of its owning agency) that it is overdue, if it still is: an action done or cancelled is told nothing.
   */
  async remindOverdue(ctx: Scope, actionId: string): Promise<void> {
    requireSystem(ctx, 'remind', 'PlanAction');
    const manager = await ctx.manager();
    const action = await this.repository.action(manager, actionId, today());
    if (action?.status !== ActionStatus.OVERDUE) return;
    const conference = await this.repository.reminderState(manager, action.conferenceId);
    if (!conference) return;
    const notice = {
      kind: NotificationKind.ACTION_OVERDUE,
      message: `A conference plan action ${action.ownerId ? 'you own' : 'your agency owns'} was due on ${action.dueOn} and is overdue`,
      childId: conference.childId,
      conferenceId: action.conferenceId,
    };
    if (action.ownerId && (await this.repository.activeRoles(manager, action.ownerId, action.ownerAgencyId))) {
      await this.notifications.notifyPerson(manager, action.ownerId, notice);
    } else {
      await this.notifications.notifyAgencies(
        manager,
        { agencyIds: [action.ownerAgencyId], roles: CONFERENCE_AUDIENCE_ROLES },
        { ...notice, message: `A conference plan action your agency owns was due on ${action.dueOn} and is overdue` },
      );
    }
    this.recordReminder(ctx, 'remindOverdue', 'PlanAction', actionId, conference.childId);
  }

  /**
   * A job of the reminders system actor: schedules the reminders of every conference still to be held and every
   * open action; those already scheduled (or sent) are kept as they are, so only what was missed is added.
   */
  async sweepReminders(ctx: Scope): Promise<void> {
    requireSystem(ctx, 'sweep', 'Conference');
    const manager = await ctx.manager();
    const open = await this.repository.openForReminders(manager, today());
    await this.reminders.deadlineApproaching(manager, open.conferences);
    await this.reminders.actionOverdue(manager, open.actions);
  }

  private async byIds(ctx: Scope, ids: readonly string[]): Promise<Array<ConferenceType | null>> {
    const found = new Map((await this.fetch(ctx, { ids: ids.filter(isUuid) })).map((c) => [c.id, c]));
    return ids.map((id) => found.get(id) ?? null);
  }

  /** Conferences as the viewer sees them; each read is a read of its child, audited through the viewer's route. */
  private async fetch(ctx: Scope, which: ConferenceSelection): Promise<ConferenceType[]> {
    const rows = await this.repository.conferences(await ctx.manager(), ctx.actor, which);
    rows.forEach((row) => this.audit.recordRead(ctx, row.childId, row.route));
    return rows.map(toConference);
  }

  /** The conference the viewer sees; NOT_FOUND otherwise, exactly as one that does not exist. */
  private async visible(ctx: Scope, id: string): Promise<ConferenceType> {
    const conference = await this.load(ctx, id);
    if (!conference) throw new NotFoundError('Conference', id);
    return conference;
  }

  /**
   * The conference after a change, read afresh (and for the rest of the request). Its relations are read only
   * after the change (the response's fields), so no loader holds them from before it.
   */
  private async reload(ctx: Scope, id: string): Promise<ConferenceType> {
    const [conference] = await this.fetch(ctx, { ids: [id] });
    if (!conference) throw new Error(`conference ${id} is not visible to the person who changed it`);
    ctx.loaders
      .get(CONFERENCE_BY_ID, (ids) => this.byIds(ctx, ids))
      .clear(id)
      .prime(id, conference);
    return conference;
  }

  private requireVersion(conference: ConferenceType, version: number | null): void {
    if (version !== null && version !== conference.version) throw this.stale();
  }

  private stale(): ConflictError {
    return new ConflictError('Someone changed this conference after you read it; reload it and try again');
  }

  private presentAgencies(attendance: readonly AttendanceRow[]) {
    return attendance.filter((a) => a.present).map((a) => ({ agencyId: a.agencyId, kind: a.agencyKind }));
  }

  /** The preceding conference of an initial (its strategy discussion) or review conference, per the kind's rules. */
  private async precedingFor(ctx: Scope, input: ConveneConferenceInput): Promise<ConferenceType | null> {
    const initial = input.kind === ConferenceKind.INITIAL_CHILD_PROTECTION;
    const review = input.kind === ConferenceKind.REVIEW_CHILD_PROTECTION;
    if (initial && !input.strategyDiscussionOn) {
      throw new BadUserInputError(
        'An initial conference needs the day of its strategy discussion',
        'input.strategyDiscussionOn',
      );
    }
    if (!initial && input.strategyDiscussionOn) {
      throw new BadUserInputError(
        'Only an initial conference follows a strategy discussion',
        'input.strategyDiscussionOn',
      );
    }
    if (initial && input.strategyDiscussionOn && input.strategyDiscussionOn > today()) {
      throw new BadUserInputError('The strategy discussion has to have taken place', 'input.strategyDiscussionOn');
    }
    if (review && !input.precedingConferenceId) {
      throw new BadUserInputError('A review names the conference it reviews', 'input.precedingConferenceId');
    }
    if (!input.precedingConferenceId) return null;
    if (!initial && !review) {
      throw new BadUserInputError('Only initial and review conferences follow another', 'input.precedingConferenceId');
    }
    const preceding = await this.load(ctx, input.precedingConferenceId);
    if (!preceding) throw new NotFoundError('Conference', input.precedingConferenceId);
    if (preceding.childId !== input.childId) {
      throw new BadUserInputError('That conference is about another child', 'input.precedingConferenceId');
    }
    if (initial) {
      if (preceding.kind !== ConferenceKind.STRATEGY_DISCUSSION) {
        throw new BadUserInputError(
          'An initial conference follows a strategy discussion',
          'input.precedingConferenceId',
        );
      }
      return preceding;
    }
    if (!preceding.decision?.nextReviewBy) {
      throw new FailedPreconditionError('That conference set no child protection plan to review');
    }
    if (await this.repository.reviewed(await ctx.manager(), preceding.id)) {
      throw new ConflictError('A review of that conference is already convened');
    }
    return preceding;
  }

  private async batch<V>(
    ctx: Scope,
    key: LoaderKey<string, V[]>,
    conferenceId: string,
    query: (
      manager: Awaited<ReturnType<Scope['manager']>>,
      ids: string[],
    ) => Promise<Array<V & { conferenceId: string }>>,
  ): Promise<V[]> {
    return ctx.loaders
      .get(key, async (ids) => {
        const rows = await query(await ctx.manager(), [...ids]);
        return ids.map((id) => rows.filter((row) => row.conferenceId === id));
      })
      .load(conferenceId);
  }

  private recordReminder(ctx: Scope, action: string, subjectType: string, id: string, childId: string): void {
    this.audit.record(ctx, { action, subjectType, subjectId: id, childId });
  }

  private recordChange(ctx: Scope, action: string, subjectType: string, id: string, conference: ConferenceType): void {
    this.audit.record(ctx, {
      action,
      subjectType,
      subjectId: id,
      childId: conference.childId,
      route: conference.route,
    });
  }
}
