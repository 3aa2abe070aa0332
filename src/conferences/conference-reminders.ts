import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { addWorkingDays, hourInEnglandAndWales, IsoDate } from '../../libs/working-days/src';
import { JobQueue } from '../jobs/job-queue';

/** Reminders that a conference's deadline approaches: data `{ conferenceId }`. */
export const DEADLINE_APPROACHING_QUEUE = 'conference-deadline-approaching';
/** Reminders that a plan action is overdue: data `{ actionId }`. */
export const ACTION_OVERDUE_QUEUE = 'plan-action-overdue';
/** Finds what is open and has no reminder yet (rows written without one: the demo's, those from before reminders). */
export const REMINDERS_SWEEP_QUEUE = 'conference-reminders-sweep';

/** Working days' notice of a conference's deadline (issue 10: two working days before `dueBy`). */
const DEADLINE_NOTICE_WORKING_DAYS = 2;
/** The hour, in England and Wales, the notice goes out: the start of the working day. */
const NOTICE_HOUR = 8;

/** The namespace of reminder ids (a name-based UUID, RFC 4122 version 5). */
const REMINDER_NAMESPACE = Buffer.from('6f1c5a52e0d84c7f9a3b2d4e5f607182', 'hex');

/**
 * One id per reminder of one subject, whoever sends it: the queue keeps a job it already has, so scheduling
 * again (a sweep) never reminds twice. A name-based UUID, so the same subject always gives the same id.
 */
function reminderId(kind: string, subjectId: string): string {
  const bytes = createHash('sha1').update(REMINDER_NAMESPACE).update(`${kind}:${subjectId}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function dayAfter(date: IsoDate): IsoDate {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/**
 * When each reminder is due, and scheduling it in the unit of work of the write it follows from: a conference
 * convened is reminded two working days before it is due, at the start of that day; a plan action at the start of
 * the day after its due day, when it shows OVERDUE. A reminder whose time has passed goes at once.
 */
@Injectable()
export class ConferenceReminders {
  constructor(private readonly jobs: JobQueue) {}

  deadlineApproaching(manager: EntityManager, conferences: ReadonlyArray<{ id: string; dueBy: IsoDate }>) {
    return this.jobs.send(
      manager,
      DEADLINE_APPROACHING_QUEUE,
      conferences.map((conference) => ({
        id: reminderId('deadline', conference.id),
        data: { conferenceId: conference.id },
        startAfter: hourInEnglandAndWales(addWorkingDays(conference.dueBy, -DEADLINE_NOTICE_WORKING_DAYS), NOTICE_HOUR),
      })),
    );
  }

  actionOverdue(manager: EntityManager, actions: ReadonlyArray<{ id: string; dueOn: IsoDate }>) {
    return this.jobs.send(
      manager,
      ACTION_OVERDUE_QUEUE,
      actions.map((action) => ({
        id: reminderId('overdue', action.id),
        data: { actionId: action.id },
        startAfter: hourInEnglandAndWales(dayAfter(action.dueOn), 0),
      })),
    );
  }
}
