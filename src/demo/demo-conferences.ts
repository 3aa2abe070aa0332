import type { EntityManager } from 'typeorm';
import { addMonths, addWorkingDays } from '../../libs/working-days/src';
import { Sensitivity } from '../common/enums/chronology';
import { ChildFlag } from '../common/enums/children';
import { ConferenceKind, ConferenceRecommendation, InvitationResponse } from '../common/enums/conferences';
import type { DemoChildren } from './demo-children';
import type { DemoPeople } from './demo-people';

/**
 * Kai's conferences (reference/demo-story.md, steps 5 and 6), invented like the rest of the demo: Children's
 * Services' strategy discussion, the initial child protection conference within 15 working days of it (reports,
 * attendance, a VICTIM_PROTECTION decision with three actions and the police's dissent), and the first review,
 * scheduled within three months of it. The due dates come from the same working-day calendar as the service's.
 */

const CHAIR = 'chair@childrens-services.demo';
const STRATEGY_DISCUSSION_ON = '2026-11-10';
const INITIAL_HELD_AT = '2026-11-26T10:00:00Z';
const INITIAL_DECIDED_ON = '2026-11-26';
const REVIEW_SCHEDULED_FOR = '2027-02-18T10:00:00Z';

interface DemoInvitee {
  /** The person who answered for the agency (their email names it). */
  email: string;
  response: InvitationResponse;
  report?: { content: string; sensitivity: Sensitivity };
  present?: boolean;
}

const INITIAL_INVITEES: readonly DemoInvitee[] = [
  {
    email: 'dsl@academy.demo',
    response: InvitationResponse.ACCEPTED,
    present: true,
    report: {
      content:
        'Attendance down to 71% this term. New trainers and a second phone; waits at the gate after school for older ' +
        'boys in a car. Kai says they are "cousins".',
      sensitivity: Sensitivity.STANDARD,
    },
  },
  {
    email: 'practitioner@youth-service.demo',
    response: InvitationResponse.ACCEPTED,
    present: true,
    report: {
      content:
        'Two missing weekends in October, a used train ticket to Seaford. Kai still comes to the Thursday session and ' +
        'trusts the team.',
      sensitivity: Sensitivity.STANDARD,
    },
  },
  {
    email: 'officer@police.demo',
    response: InvitationResponse.ACCEPTED,
    present: true,
    report: {
      content:
        'Stopped 80 miles away with wraps and cash on 2 November. The second phone is the line phone of a county ' +
        'line run from Northbridge; two adults are under investigation.',
      sensitivity: Sensitivity.POLICE_RESTRICTED,
    },
  },
  {
    email: 'practitioner@health.demo',
    response: InvitationResponse.ACCEPTED,
    present: true,
    report: {
      content: 'Treated at A&E on 4 November for a cut hand he would not explain; consistent with a blade.',
      sensitivity: Sensitivity.HEALTH_CONFIDENTIAL,
    },
  },
  { email: 'prosecutor@cps.demo', response: InvitationResponse.ACCEPTED, present: false },
];

const INITIAL_ACTIONS = [
  { description: 'Mentoring with his youth worker twice a week', owner: 'practitioner@youth-service.demo', months: 3 },
  { description: 'School safety plan for the gate at home time', owner: 'dsl@academy.demo', months: 1 },
  { description: 'Disrupt the county line that uses Kai', owner: 'officer@police.demo', months: 2 },
];

function person(people: DemoPeople, email: string): { userId: string; agencyId: string } {
  const userId = people.users[email];
  const agencyId = people.agencies[email.slice(email.indexOf('@') + 1, -'.demo'.length)];
  if (!userId || !agencyId) throw new Error(`demo conferences: no demo person ${email}`);
  return { userId, agencyId };
}

async function insertConference(manager: EntityManager, values: Record<string, unknown>): Promise<string> {
  const columns = Object.keys(values);
  const [row] = await manager.query(
    `INSERT INTO conference (${columns.join(', ')}) VALUES (${columns.map((_, n) => `$${n + 1}`).join(', ')})
     RETURNING id`,
    Object.values(values),
  );
  return row.id;
}

async function invite(
  manager: EntityManager,
  conferenceId: string,
  people: DemoPeople,
  invitee: DemoInvitee,
  respondedAt: Date,
) {
  const { userId, agencyId } = person(people, invitee.email);
  const answered = invitee.response !== InvitationResponse.PENDING;
  await manager.query(
    `INSERT INTO conference_invitation (conference_id, agency_id, invitee_id, response, responded_at)
     VALUES ($1, $2, $3, $4, $5)`,
    [conferenceId, agencyId, answered ? userId : null, invitee.response, answered ? respondedAt : null],
  );
  return { userId, agencyId };
}

/** Inserts Kai's strategy discussion, initial conference and scheduled review, and the flags the decision set. */
export async function seedDemoConferences(
  manager: EntityManager,
  people: DemoPeople,
  children: DemoChildren,
): Promise<void> {
  const kai = children['kai'];
  if (!kai) throw new Error('demo conferences: no demo child kai');
  const chair = person(people, CHAIR);
  const heldAt = new Date(INITIAL_HELD_AT);
  const chairing = {
    child_id: kai,
    chair_id: chair.userId,
    chair_agency_id: chair.agencyId,
    convened_by: chair.userId,
  };

  const discussionAt = new Date(`${STRATEGY_DISCUSSION_ON}T14:00:00Z`);
  const discussion = await insertConference(manager, {
    ...chairing,
    kind: ConferenceKind.STRATEGY_DISCUSSION,
    status: 'DECIDED',
    convened_at: new Date(`${STRATEGY_DISCUSSION_ON}T09:00:00Z`),
    scheduled_for: discussionAt,
    due_by: STRATEGY_DISCUSSION_ON,
    started_at: discussionAt,
    closed_at: discussionAt,
    recommendation: ConferenceRecommendation.VICTIM_PROTECTION,
    rationale: 'Section 47 enquiry opened; an initial child protection conference to follow.',
    decided_by: chair.userId,
    decided_at: discussionAt,
    keeps_plan: false,
  });
  for (const email of ['officer@police.demo', 'dsl@academy.demo']) {
    const invitee = await invite(
      manager,
      discussion,
      people,
      { email, response: InvitationResponse.ACCEPTED },
      discussionAt,
    );
    await manager.query(
      `INSERT INTO conference_attendance (conference_id, user_id, agency_id, present) VALUES ($1, $2, $3, true)`,
      [discussion, invitee.userId, invitee.agencyId],
    );
  }
  await manager.query(
    `INSERT INTO conference_attendance (conference_id, user_id, agency_id, present) VALUES ($1, $2, $3, true)`,
    [discussion, chair.userId, chair.agencyId],
  );

  const nextReviewBy = addMonths(INITIAL_DECIDED_ON, 3);
  const initial = await insertConference(manager, {
    ...chairing,
    kind: ConferenceKind.INITIAL_CHILD_PROTECTION,
    status: 'DECIDED',
    convened_at: new Date(`${STRATEGY_DISCUSSION_ON}T16:00:00Z`),
    scheduled_for: heldAt,
    due_by: addWorkingDays(STRATEGY_DISCUSSION_ON, 15),
    strategy_discussion_on: STRATEGY_DISCUSSION_ON,
    preceding_conference_id: discussion,
    started_at: heldAt,
    closed_at: new Date(heldAt.getTime() + 2 * 3600_000),
    recommendation: ConferenceRecommendation.VICTIM_PROTECTION,
    rationale:
      'Kai is a 13-year-old drawn into a county line with drugs as payment: a victim of criminal exploitation first. ' +
      'A child protection plan under the category of emotional abuse, with the police referring him to the NRM.',
    decided_by: chair.userId,
    decided_at: new Date(heldAt.getTime() + 2 * 3600_000),
    keeps_plan: true,
    next_review_by: nextReviewBy,
  });
  await manager.query(
    `INSERT INTO conference_attendance (conference_id, user_id, agency_id, present) VALUES ($1, $2, $3, true)`,
    [initial, chair.userId, chair.agencyId],
  );
  for (const invitee of INITIAL_INVITEES) {
    const { userId, agencyId } = await invite(
      manager,
      initial,
      people,
      invitee,
      new Date(heldAt.getTime() - 72 * 3600_000),
    );
    await manager.query(
      `INSERT INTO conference_attendance (conference_id, user_id, agency_id, present) VALUES ($1, $2, $3, $4)`,
      [initial, userId, agencyId, invitee.present ?? false],
    );
    if (invitee.report) {
      await manager.query(
        `INSERT INTO conference_report (conference_id, agency_id, author_id, submitted_at, content, sensitivity)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [
          initial,
          agencyId,
          userId,
          new Date(heldAt.getTime() - 48 * 3600_000),
          invitee.report.content,
          invitee.report.sensitivity,
        ],
      );
    }
  }
  for (const [n, action] of INITIAL_ACTIONS.entries()) {
    const owner = person(people, action.owner);
    await manager.query(
      `INSERT INTO plan_action (conference_id, position, description, owner_agency_id, owner_id, due_on)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [initial, n + 1, action.description, owner.agencyId, owner.userId, addMonths(INITIAL_DECIDED_ON, action.months)],
    );
  }
  await manager.query(`INSERT INTO conference_dissent (conference_id, agency_id, note) VALUES ($1, $2, $3)`, [
    initial,
    person(people, 'officer@police.demo').agencyId,
    'The line puts other children at risk; the police would keep prosecution open for the adults and for Kai.',
  ]);

  const review = await insertConference(manager, {
    ...chairing,
    kind: ConferenceKind.REVIEW_CHILD_PROTECTION,
    convened_at: new Date(heldAt.getTime() + 3 * 3600_000),
    scheduled_for: new Date(REVIEW_SCHEDULED_FOR),
    due_by: nextReviewBy,
    preceding_conference_id: initial,
  });
  for (const email of ['dsl@academy.demo', 'practitioner@youth-service.demo', 'officer@police.demo']) {
    await invite(manager, review, people, { email, response: InvitationResponse.PENDING }, heldAt);
  }
  await manager.query(`UPDATE child SET flags = $2 WHERE id = $1`, [
    kai,
    [ChildFlag.POTENTIAL_VICTIM_OF_EXPLOITATION, ChildFlag.UNDER_CHILD_PROTECTION_PLAN],
  ]);
}
