import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../access/actor';
import { type AccessRoute, ChildAccessScope } from '../access/child-access';
import {
  deadlineReminderAudience,
  ownAgencyInvitation,
  visibleConference,
  visibleReport,
} from '../access/conference.visibility';
import type { AgencyKind, Role } from '../common/enums/agencies';
import type { Sensitivity } from '../common/enums/chronology';
import type {
  ActionStatus,
  ConferenceKind,
  ConferenceRecommendation,
  InvitationResponse,
} from '../common/enums/conferences';
import { ConferenceStatus } from '../common/enums/conferences';

/** A conference as the viewer sees it, with their route to its child. */
export interface ConferenceRow {
  id: string;
  childId: string;
  kind: ConferenceKind;
  status: ConferenceStatus;
  chairId: string;
  chairAgencyId: string;
  convenedAt: Date;
  scheduledFor: Date;
  dueBy: string;
  strategyDiscussionOn: string | null;
  precedingConferenceId: string | null;
  startedAt: Date | null;
  closedAt: Date | null;
  cancellationReason: string | null;
  recommendation: ConferenceRecommendation | null;
  rationale: string | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  keepsPlan: boolean | null;
  nextReviewBy: string | null;
  quorumOverrideReason: string | null;
  version: number;
  route: AccessRoute;
}

const CONFERENCE_COLUMNS = `conf.id, conf.child_id AS "childId", conf.kind, conf.status, conf.chair_id AS "chairId",
  conf.chair_agency_id AS "chairAgencyId", conf.convened_at AS "convenedAt", conf.scheduled_for AS "scheduledFor",
  conf.due_by::text AS "dueBy", conf.strategy_discussion_on::text AS "strategyDiscussionOn",
  conf.preceding_conference_id AS "precedingConferenceId", conf.started_at AS "startedAt", conf.closed_at AS "closedAt",
  conf.cancellation_reason AS "cancellationReason", conf.recommendation, conf.rationale, conf.decided_by AS "decidedBy",
  conf.decided_at AS "decidedAt", conf.keeps_plan AS "keepsPlan", conf.next_review_by::text AS "nextReviewBy",
  conf.quorum_override_reason AS "quorumOverrideReason", conf.version`;

/** What a decision made outside the conferences takes from the child's latest ones. */
export interface LatestConferenceRow {
  chairId: string | null;
  recommendation: ConferenceRecommendation | null;
  decidedAt: Date | null;
}

export interface InvitationRow {
  id: string;
  conferenceId: string;
  agencyId: string;
  inviteeId: string | null;
  response: InvitationResponse;
}

const INVITATION_COLUMNS = `inv.id, inv.conference_id AS "conferenceId", inv.agency_id AS "agencyId",
  inv.invitee_id AS "inviteeId", inv.response`;

export interface ReportRow {
  id: string;
  conferenceId: string;
  agencyId: string;
  authorId: string;
  submittedAt: Date;
  content: string;
  sensitivity: Sensitivity;
}

const REPORT_COLUMNS = `r.id, r.conference_id AS "conferenceId", r.agency_id AS "agencyId", r.author_id AS "authorId",
  r.submitted_at AS "submittedAt", r.content, r.sensitivity`;

export interface AttendanceRow {
  conferenceId: string;
  userId: string;
  agencyId: string;
  agencyKind: AgencyKind;
  present: boolean;
}

export interface PlanActionRow {
  id: string;
  conferenceId: string;
  description: string;
  ownerAgencyId: string;
  ownerId: string | null;
  dueOn: string;
  status: ActionStatus;
  version: number;
}

/** `status` as shown: an OPEN action whose day has passed ($today) is OVERDUE. */
function actionColumns(today: string): string {
  return `pa.id, pa.conference_id AS "conferenceId", pa.description, pa.owner_agency_id AS "ownerAgencyId",
    pa.owner_id AS "ownerId", pa.due_on::text AS "dueOn",
    CASE WHEN pa.status = 'OPEN' AND pa.due_on < ${today}::date THEN 'OVERDUE' ELSE pa.status END AS status,
    pa.version`;
}

export interface DissentRow {
  conferenceId: string;
  agencyId: string;
  note: string;
}

export interface NewConference {
  childId: string;
  kind: ConferenceKind;
  chairId: string;
  chairAgencyId: string;
  convenedBy: string;
  scheduledFor: Date;
  dueBy: string;
  strategyDiscussionOn: string | null;
  precedingConferenceId: string | null;
}

export interface Decision {
  recommendation: ConferenceRecommendation;
  rationale: string;
  decidedBy: string;
  keepsPlan: boolean;
  nextReviewBy: string | null;
  quorumOverrideReason: string | null;
}

export interface NewPlanAction {
  description: string;
  ownerAgencyId: string;
  ownerId: string | null;
  dueOn: string;
}

/** Which conferences: these ids, those of these children, or the viewer's own (chaired or invited to). */
export type ConferenceSelection =
  { ids: readonly string[] } | { childIds: readonly string[] } | { mine: true; status: ConferenceStatus | null };

/**
 * The rows an UPDATE ... RETURNING returned. TypeORM's `query` answers an UPDATE with `[rows, rowCount]`, so the
 * statement is wrapped in a CTE to come back as a plain SELECT result.
 */
function updateReturning<T>(manager: EntityManager, sql: string, values: unknown[]): Promise<T[]> {
  return manager.query(`WITH changed AS (${sql}) SELECT * FROM changed`, values);
}

/**
 * The SQL of conferences. Every read of a conference joins the viewer's `ChildAccessScope` on its child and the
 * conditions of conference.visibility.ts; writes change state only by compare-and-set on the version and the
 * state they start from.
 */
@Injectable()
export class ConferencesRepository {
  /**
   * The chair of the child's latest conference not cancelled, and the recommendation of its latest decided one
   * (with when it was decided), whoever may see them: for a decision about the child made outside the conference.
   */
  async latestOfChild(manager: EntityManager, childId: string): Promise<LatestConferenceRow> {
    const [row]: LatestConferenceRow[] = await manager.query(
      `SELECT (SELECT conf.chair_id FROM conference conf
                WHERE conf.child_id = $1 AND conf.status <> '${ConferenceStatus.CANCELLED}'
                ORDER BY conf.convened_at DESC, conf.id DESC LIMIT 1) AS "chairId",
              decided.recommendation, decided.decided_at AS "decidedAt"
         FROM (SELECT 1) one
         LEFT JOIN LATERAL (SELECT conf.recommendation, conf.decided_at FROM conference conf
                             WHERE conf.child_id = $1 AND conf.status = '${ConferenceStatus.DECIDED}'
                             ORDER BY conf.decided_at DESC, conf.id DESC LIMIT 1) decided ON TRUE`,
      [childId],
    );
    return row;
  }

  /** The conferences selected that the actor sees, soonest scheduled first. */
  conferences(manager: EntityManager, actor: Actor | null, which: ConferenceSelection): Promise<ConferenceRow[]> {
    const values: unknown[] = [];
    const byChild = 'childIds' in which;
    const scope = ChildAccessScope.for(
      actor,
      byChild ? { childIds: which.childIds } : { childIdColumn: 'conf.child_id' },
    );
    const access = byChild ? `JOIN (${scope.toPositional(values)}) a ON a.child_id = conf.child_id` : '';
    const lateral = byChild ? '' : `CROSS JOIN LATERAL (${scope.toPositional(values)}) a`;
    const mine = 'mine' in which;
    const visible = visibleConference(actor, { conference: 'conf', access: 'a' }, values, mine);
    if (!visible) return Promise.resolve([]);
    const where = [visible];
    if ('ids' in which) {
      values.push(which.ids);
      where.push(`conf.id = ANY($${values.length}::uuid[])`);
    } else if (byChild) {
      values.push(which.childIds);
      where.push(`conf.child_id = ANY($${values.length}::uuid[])`);
    } else if (which.status) {
      values.push(which.status);
      where.push(`conf.status = $${values.length}`);
    }
    return manager.query(
      `SELECT ${CONFERENCE_COLUMNS}, a.route
         FROM conference conf ${access} ${lateral}
        WHERE ${where.join(' AND ')}
        ORDER BY conf.scheduled_for, conf.id`,
      values,
    );
  }

  /**
   * The state and child of a conference, whoever asks: an invitee answers before the child is open to them, and
   * learns only that the invitation is closed.
   */
  async state(
    manager: EntityManager,
    id: string,
  ): Promise<{ status: ConferenceStatus; childId: string; scheduledFor: Date }> {
    const [row] = await manager.query(
      `SELECT status, child_id AS "childId", scheduled_for AS "scheduledFor" FROM conference WHERE id = $1`,
      [id],
    );
    return row;
  }

  async insertConference(manager: EntityManager, conference: NewConference): Promise<string> {
    const [row]: Array<{ id: string }> = await manager.query(
      `INSERT INTO conference (child_id, kind, chair_id, chair_agency_id, convened_by, scheduled_for, due_by,
                               strategy_discussion_on, preceding_conference_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [
        conference.childId,
        conference.kind,
        conference.chairId,
        conference.chairAgencyId,
        conference.convenedBy,
        conference.scheduledFor,
        conference.dueBy,
        conference.strategyDiscussionOn,
        conference.precedingConferenceId,
      ],
    );
    return row.id;
  }

  async insertInvitations(manager: EntityManager, conferenceId: string, agencyIds: readonly string[]): Promise<void> {
    await manager.query(`INSERT INTO conference_invitation (conference_id, agency_id) SELECT $1, unnest($2::uuid[])`, [
      conferenceId,
      agencyIds,
    ]);
  }

  /** Whether another review of `precedingId` is under way (not cancelled). */
  async reviewed(manager: EntityManager, precedingId: string): Promise<boolean> {
    const rows = await manager.query(
      `SELECT 1 FROM conference WHERE preceding_conference_id = $1 AND kind = 'REVIEW_CHILD_PROTECTION'
          AND status <> 'CANCELLED'`,
      [precedingId],
    );
    return rows.length > 0;
  }

  /** The roles the person holds in the agency, if an active person with an active membership there. */
  async activeRoles(manager: EntityManager, userId: string, agencyId: string): Promise<Role[] | null> {
    const [row]: Array<{ roles: Role[] }> = await manager.query(
      `SELECT m.roles FROM membership m JOIN app_user u ON u.id = m.user_id
        WHERE m.user_id = $1 AND m.agency_id = $2 AND m.active AND u.active`,
      [userId, agencyId],
    );
    return row?.roles ?? null;
  }

  /** The active agencies among `ids`, with their kinds. */
  activeAgencies(manager: EntityManager, ids: readonly string[]): Promise<Array<{ id: string; kind: AgencyKind }>> {
    return manager.query(`SELECT id, kind FROM agency WHERE id = ANY($1::uuid[]) AND active`, [ids]);
  }

  invitations(manager: EntityManager, conferenceIds: readonly string[]): Promise<InvitationRow[]> {
    return manager.query(
      `SELECT ${INVITATION_COLUMNS} FROM conference_invitation inv JOIN agency g ON g.id = inv.agency_id
        WHERE inv.conference_id = ANY($1::uuid[]) ORDER BY g.name, inv.id`,
      [conferenceIds],
    );
  }

  /** An invitation to the actor's agency (its people see it before the child is open to them). */
  async ownInvitation(manager: EntityManager, actor: Actor | null, id: string): Promise<InvitationRow | null> {
    const values: unknown[] = [id];
    const own = ownAgencyInvitation(actor, 'inv', values);
    if (!own) return null;
    const [row] = await manager.query(
      `SELECT ${INVITATION_COLUMNS} FROM conference_invitation inv WHERE inv.id = $1 AND ${own}`,
      values,
    );
    return row ?? null;
  }

  /** The invitations of the actor's agency, newest conference first, answered or not. */
  async ownInvitations(
    manager: EntityManager,
    actor: Actor | null,
    response: InvitationResponse | null,
  ): Promise<InvitationRow[]> {
    const values: unknown[] = [response];
    const own = ownAgencyInvitation(actor, 'inv', values);
    if (!own) return [];
    return manager.query(
      `SELECT ${INVITATION_COLUMNS} FROM conference_invitation inv JOIN conference conf ON conf.id = inv.conference_id
        WHERE ${own} AND ($1::text IS NULL OR inv.response = $1)
        ORDER BY conf.scheduled_for DESC, inv.id`,
      values,
    );
  }

  /** The answer, by `userId`; null when someone else answered first. */
  async respond(
    manager: EntityManager,
    id: string,
    userId: string,
    response: InvitationResponse,
  ): Promise<InvitationRow | null> {
    const [row] = await updateReturning<InvitationRow>(
      manager,
      `UPDATE conference_invitation inv SET response = $3, invitee_id = $2, responded_at = now()
        WHERE inv.id = $1 AND (inv.invitee_id IS NULL OR inv.invitee_id = $2)
        RETURNING ${INVITATION_COLUMNS}`,
      [id, userId, response],
    );
    return row ?? null;
  }

  /** The reports of these conferences the actor may see. */
  reports(
    manager: EntityManager,
    actor: Actor | null,
    conferences: readonly { id: string; childId: string }[],
  ): Promise<ReportRow[]> {
    const values: unknown[] = [];
    const access = ChildAccessScope.for(actor, { childIds: conferences.map((c) => c.childId) }).toPositional(values);
    const visible = visibleReport(actor, { report: 'r', access: 'a' }, values);
    if (!visible) return Promise.resolve([]);
    values.push(conferences.map((c) => c.id));
    return manager.query(
      `SELECT ${REPORT_COLUMNS}
         FROM conference_report r
         JOIN conference conf ON conf.id = r.conference_id
         JOIN (${access}) a ON a.child_id = conf.child_id
        WHERE r.conference_id = ANY($${values.length}::uuid[]) AND ${visible}
        ORDER BY r.submitted_at, r.id`,
      values,
    );
  }

  /** The agency's report; null when it has one already (one per agency). */
  async insertReport(manager: EntityManager, report: Omit<ReportRow, 'id' | 'submittedAt'>): Promise<ReportRow | null> {
    const [row] = await manager.query(
      `INSERT INTO conference_report AS r (conference_id, agency_id, author_id, content, sensitivity)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (conference_id, agency_id) DO NOTHING RETURNING ${REPORT_COLUMNS}`,
      [report.conferenceId, report.agencyId, report.authorId, report.content, report.sensitivity],
    );
    return row ?? null;
  }

  attendance(manager: EntityManager, conferenceIds: readonly string[]): Promise<AttendanceRow[]> {
    return manager.query(
      `SELECT att.conference_id AS "conferenceId", att.user_id AS "userId", att.agency_id AS "agencyId",
              g.kind AS "agencyKind", att.present
         FROM conference_attendance att JOIN agency g ON g.id = att.agency_id JOIN app_user u ON u.id = att.user_id
        WHERE att.conference_id = ANY($1::uuid[]) ORDER BY g.name, u.display_name, att.user_id`,
      [conferenceIds],
    );
  }

  /**
   * For each person, the agency they attend for: the chair for the chairing agency, anyone else for an agency
   * invited to the conference they are an active member of (one that accepted first). Absent: neither.
   */
  attendingAgencies(
    manager: EntityManager,
    conference: { id: string; chairId: string; chairAgencyId: string },
    userIds: readonly string[],
  ): Promise<Array<{ userId: string; agencyId: string }>> {
    return manager.query(
      `SELECT DISTINCT ON (p.id) p.id AS "userId", m.agency_id AS "agencyId"
         FROM unnest($1::uuid[]) AS p (id)
         JOIN app_user u ON u.id = p.id AND u.active
         JOIN membership m ON m.user_id = p.id AND m.active
         LEFT JOIN conference_invitation inv ON inv.conference_id = $2 AND inv.agency_id = m.agency_id
        WHERE (p.id = $3 AND m.agency_id = $4) OR inv.id IS NOT NULL
        ORDER BY p.id, (p.id = $3 AND m.agency_id = $4) DESC, (inv.response = 'ACCEPTED') DESC, m.agency_id`,
      [userIds, conference.id, conference.chairId, conference.chairAgencyId],
    );
  }

  async insertAttendance(
    manager: EntityManager,
    conferenceId: string,
    attendance: ReadonlyArray<{ userId: string; agencyId: string; present: boolean }>,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO conference_attendance (conference_id, user_id, agency_id, present)
       SELECT $1, * FROM unnest($2::uuid[], $3::uuid[], $4::boolean[])`,
      [
        conferenceId,
        attendance.map((a) => a.userId),
        attendance.map((a) => a.agencyId),
        attendance.map((a) => a.present),
      ],
    );
  }

  /** CONVENED -> IN_SESSION at `version`; false when the conference changed since (or is not CONVENED). */
  async start(manager: EntityManager, id: string, version: number): Promise<boolean> {
    const rows = await updateReturning(
      manager,
      `UPDATE conference SET status = 'IN_SESSION', started_at = now(), version = version + 1
        WHERE id = $1 AND version = $2 AND status = 'CONVENED' RETURNING id`,
      [id, version],
    );
    return rows.length > 0;
  }

  /** IN_SESSION -> DECIDED at `version`; false when the conference changed since. */
  async decide(manager: EntityManager, id: string, version: number, decision: Decision): Promise<boolean> {
    const rows = await updateReturning(
      manager,
      `UPDATE conference SET status = 'DECIDED', recommendation = $3, rationale = $4, decided_by = $5,
              decided_at = now(), closed_at = now(), keeps_plan = $6, next_review_by = $7, quorum_override_reason = $8,
              version = version + 1
        WHERE id = $1 AND version = $2 AND status = 'IN_SESSION' RETURNING id`,
      [
        id,
        version,
        decision.recommendation,
        decision.rationale,
        decision.decidedBy,
        decision.keepsPlan,
        decision.nextReviewBy,
        decision.quorumOverrideReason,
      ],
    );
    return rows.length > 0;
  }

  /** CONVENED or IN_SESSION -> CANCELLED at `version`; false when the conference changed since. */
  async cancel(manager: EntityManager, id: string, version: number, reason: string): Promise<boolean> {
    const rows = await updateReturning(
      manager,
      `UPDATE conference SET status = 'CANCELLED', cancellation_reason = $3, closed_at = now(), version = version + 1
        WHERE id = $1 AND version = $2 AND status IN ('CONVENED', 'IN_SESSION') RETURNING id`,
      [id, version, reason],
    );
    return rows.length > 0;
  }

  async insertDissents(
    manager: EntityManager,
    conferenceId: string,
    dissents: readonly Omit<DissentRow, 'conferenceId'>[],
  ): Promise<void> {
    if (dissents.length === 0) return;
    await manager.query(
      `INSERT INTO conference_dissent (conference_id, agency_id, note) SELECT $1, * FROM unnest($2::uuid[], $3::text[])`,
      [conferenceId, dissents.map((d) => d.agencyId), dissents.map((d) => d.note)],
    );
  }

  dissents(manager: EntityManager, conferenceIds: readonly string[]): Promise<DissentRow[]> {
    return manager.query(
      `SELECT d.conference_id AS "conferenceId", d.agency_id AS "agencyId", d.note
         FROM conference_dissent d JOIN agency g ON g.id = d.agency_id
        WHERE d.conference_id = ANY($1::uuid[]) ORDER BY g.name`,
      [conferenceIds],
    );
  }

  /** The actions inserted, with the days they are due (their reminders are scheduled on them). */
  async insertActions(
    manager: EntityManager,
    conferenceId: string,
    actions: readonly NewPlanAction[],
  ): Promise<Array<{ id: string; dueOn: string }>> {
    if (actions.length === 0) return [];
    return manager.query(
      `INSERT INTO plan_action (conference_id, position, description, owner_agency_id, owner_id, due_on)
       SELECT $1, x.position, x.description, x.owner_agency_id, x.owner_id, x.due_on
         FROM unnest($2::int[], $3::text[], $4::uuid[], $5::uuid[], $6::date[])
              AS x (position, description, owner_agency_id, owner_id, due_on)
       RETURNING id, due_on::text AS "dueOn"`,
      [
        conferenceId,
        actions.map((_, n) => n + 1),
        actions.map((a) => a.description),
        actions.map((a) => a.ownerAgencyId),
        actions.map((a) => a.ownerId),
        actions.map((a) => a.dueOn),
      ],
    );
  }

  /** Actions of these conferences, in the chair's order, as shown on `today`. */
  actions(manager: EntityManager, conferenceIds: readonly string[], today: string): Promise<PlanActionRow[]> {
    return manager.query(
      `SELECT ${actionColumns('$2')} FROM plan_action pa
        WHERE pa.conference_id = ANY($1::uuid[]) ORDER BY pa.conference_id, pa.position`,
      [conferenceIds, today],
    );
  }

  /** One action, whoever asks: the service shows it only through a conference the viewer sees. */
  async action(manager: EntityManager, id: string, today: string): Promise<PlanActionRow | null> {
    const [row] = await manager.query(`SELECT ${actionColumns('$2')} FROM plan_action pa WHERE pa.id = $1`, [
      id,
      today,
    ]);
    return row ?? null;
  }

  /** What a reminder reads of a conference, whoever asks (the reminders system actor): null if there is none. */
  async reminderState(
    manager: EntityManager,
    id: string,
  ): Promise<{ status: ConferenceStatus; childId: string; dueBy: string } | null> {
    const [row] = await manager.query(
      `SELECT status, child_id AS "childId", due_by::text AS "dueBy" FROM conference WHERE id = $1`,
      [id],
    );
    return row ?? null;
  }

  /** The people told that the conference's deadline approaches (src/access: deadlineReminderAudience). */
  async deadlineAudience(manager: EntityManager, conferenceId: string): Promise<string[]> {
    const rows: Array<{ userId: string }> = await manager.query(deadlineReminderAudience('$1::uuid'), [conferenceId]);
    return rows.map((row) => row.userId);
  }

  /** Conferences still to be held by a day to come, and open actions: what a reminder may still be due for. */
  async openForReminders(
    manager: EntityManager,
    today: string,
  ): Promise<{ conferences: Array<{ id: string; dueBy: string }>; actions: Array<{ id: string; dueOn: string }> }> {
    const conferences = await manager.query(
      `SELECT id, due_by::text AS "dueBy" FROM conference WHERE status = 'CONVENED' AND due_by >= $1::date`,
      [today],
    );
    const actions = await manager.query(
      `SELECT pa.id, pa.due_on::text AS "dueOn" FROM plan_action pa WHERE pa.status = 'OPEN'`,
    );
    return { conferences, actions };
  }

  /** Compare-and-set on the action's version; null when it changed since. */
  async updateAction(
    manager: EntityManager,
    id: string,
    version: number,
    status: ActionStatus,
    userId: string,
    today: string,
  ): Promise<PlanActionRow | null> {
    const [row] = await updateReturning<PlanActionRow>(
      manager,
      `UPDATE plan_action pa SET status = $3, version = version + 1, updated_by = $4, updated_at = now()
        WHERE pa.id = $1 AND pa.version = $2 RETURNING ${actionColumns('$5')}`,
      [id, version, status, userId, today],
    );
    return row ?? null;
  }
}
