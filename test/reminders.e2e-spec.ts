import { createTestDatabase, SignedIn, TestApp, TestDatabase } from '../libs/testing/src';
import { addWorkingDays, dateInEnglandAndWales, hourInEnglandAndWales } from '../libs/working-days/src';
import { AgencyKind, Role } from '../src/common/enums/agencies';

const CONVENE = `mutation ($input: ConveneConferenceInput!) { conveneConference(input: $input) { id dueBy version } }`;
const INVITATIONS = `query { conferenceInvitations(response: PENDING) { id conferenceId } }`;
const RESPOND = `mutation ($id: ID!, $response: InvitationResponse!) {
  respondToInvitation(invitationId: $id, response: $response) { id }
}`;
const START = `mutation ($id: ID!, $attendance: [AttendanceInput!]!) {
  startConference(id: $id, attendance: $attendance) { id version }
}`;
const DECIDE = `mutation ($input: DecideConferenceInput!) {
  decideConference(input: $input) { id decision { actions { id description } } }
}`;
const CANCEL = `mutation ($id: ID!, $reason: String!) { cancelConference(id: $id, reason: $reason) { id } }`;
const UPDATE_ACTION = `mutation ($id: ID!, $status: ActionStatus!) { updatePlanAction(id: $id, status: $status) { id } }`;
const NOTIFICATIONS = `{ notifications { kind message conferenceId childId } }`;

const DEADLINE_QUEUE = 'conference-deadline-approaching';
const OVERDUE_QUEUE = 'plan-action-overdue';

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
const today = () => dateInEnglandAndWales(new Date());
const yesterday = () => new Date(Date.parse(`${today()}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('reminders on the durable job queue', () => {
  let database: TestDatabase;
  let app: TestApp;
  let chair: SignedIn;
  let socialWorker: SignedIn;
  let dsl: SignedIn;
  let officer: SignedIn;
  let youthWorker: SignedIn;
  let childId: string;

  const query = <T = any>(sql: string, params: unknown[] = []) => app.ownerQuery<T>(sql, params);
  const jobOf = async (queue: string, key: 'conferenceId' | 'actionId', id: string) =>
    (
      await query<{ id: string; state: string; start_after: Date }>(
        `SELECT id, state, start_after FROM pgboss.job WHERE name = $1 AND data->>'${key}' = $2`,
        [queue, id],
      )
    )[0];
  /** Time control: the job falls due now, as if its day had come. */
  const dueNow = (queue: string, key: 'conferenceId' | 'actionId', id: string) =>
    query(`UPDATE pgboss.job SET start_after = now() WHERE name = $1 AND data->>'${key}' = $2`, [queue, id]);
  const done = (queue: string, key: 'conferenceId' | 'actionId', id: string) =>
    eventually(
      () => jobOf(queue, key, id),
      (job) => job?.state === 'completed',
    );
  const told = (kind: string, conferenceId: string) =>
    query<{ user_id: string }>(
      `SELECT user_id FROM notification WHERE kind = $1 AND conference_id = $2 ORDER BY user_id`,
      [kind, conferenceId],
    ).then((rows) => rows.map((row) => row.user_id));
  const ids = (...people: SignedIn[]) => people.map((person) => person.user.id).sort();

  const convene = async (scheduledInDays: number) =>
    (
      await chair.client.ok(CONVENE, {
        input: {
          childId,
          kind: 'EXPLOITATION_RISK',
          scheduledFor: inDays(scheduledInDays),
          chairId: chair.user.id,
          invitedAgencyIds: [dsl, officer, youthWorker].map((person) => person.agency!.id),
        },
      })
    ).conveneConference as { id: string; dueBy: string; version: number };
  const accept = async (conferenceId: string, people: SignedIn[]) => {
    for (const person of people) {
      const { conferenceInvitations } = await person.client.ok(INVITATIONS);
      const invitation = conferenceInvitations.find((i: any) => i.conferenceId === conferenceId);
      await person.client.ok(RESPOND, { id: invitation.id, response: 'ACCEPTED' });
    }
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await TestApp.start({ database, env: { JOBS_WORKERS: 'true' } });
    const csc = await app.factories.agency({ kind: AgencyKind.CHILDRENS_SOCIAL_CARE });
    chair = await app.factories.signedIn({ agency: csc, roles: [Role.CONFERENCE_CHAIR] });
    socialWorker = await app.factories.signedIn({ agency: csc, roles: [Role.SOCIAL_WORKER] });
    dsl = await app.factories.signedIn({ kind: AgencyKind.SCHOOL, roles: [Role.SAFEGUARDING_LEAD] });
    officer = await app.factories.signedIn({ kind: AgencyKind.POLICE, roles: [Role.POLICE_OFFICER] });
    youthWorker = await app.factories.signedIn({ kind: AgencyKind.YOUTH_SERVICE, roles: [Role.PRACTITIONER] });
    childId = await app.factories.children.child({
      givenName: 'Kai',
      familyName: 'Reminder',
      involved: [csc, dsl.agency!, officer.agency!, youthWorker.agency!],
    });
  });
  afterAll(async () => {
    await app?.stop();
    await database?.drop();
  });

  it('schedules the deadline reminder two working days before the conference is due, at 08:00 in London', async () => {
    const conference = await convene(20);
    const job = await jobOf(DEADLINE_QUEUE, 'conferenceId', conference.id);
    expect(job.state).toBe('created');
    expect(job.start_after.toISOString()).toBe(
      hourInEnglandAndWales(addWorkingDays(conference.dueBy, -2), 8).toISOString(),
    );
    await chair.client.ok(CANCEL, { id: conference.id, reason: 'Shown only.' });
  });

  it('tells a cancelled conference’s people nothing when its reminder comes', async () => {
    const conference = await convene(20);
    await accept(conference.id, [dsl]);
    await chair.client.ok(CANCEL, { id: conference.id, reason: 'The risk has passed.' });
    await dueNow(DEADLINE_QUEUE, 'conferenceId', conference.id);
    expect((await done(DEADLINE_QUEUE, 'conferenceId', conference.id)).state).toBe('completed');
    expect(await told('DEADLINE_APPROACHING', conference.id)).toEqual([]);
  });

  it('tells the owner of an action past its day that it is overdue, its agency when it has none, and nothing of a done one', async () => {
    const conference = await convene(20);
    await accept(conference.id, [dsl, officer]);
    const started = (
      await chair.client.ok(START, {
        id: conference.id,
        attendance: [chair, dsl, officer].map((person) => ({ userId: person.user.id, present: true })),
      })
    ).startConference;
    const action = (description: string, owner: SignedIn, named: boolean) => ({
      description,
      ownerAgencyId: owner.agency!.id,
      ownerUserId: named ? owner.user.id : null,
      dueOn: today(),
    });
    const decided = (
      await chair.client.ok(DECIDE, {
        input: {
          conferenceId: conference.id,
          version: started.version,
          recommendation: 'VICTIM_PROTECTION',
          rationale: 'A victim first.',
          actions: [
            action('Safety plan at school', dsl, true),
            action('Disrupt the line', officer, false),
            action('Tell the school nurse', dsl, false),
          ],
        },
      })
    ).decideConference;
    const [owned, agencyOwned, finished] = decided.decision.actions.map((a: { id: string }) => a.id);
    // Due today: their reminders wait for tomorrow's start.
    const scheduled = await jobOf(OVERDUE_QUEUE, 'actionId', owned);
    expect(scheduled.start_after.getTime()).toBeGreaterThan(Date.now());
    await dsl.client.ok(UPDATE_ACTION, { id: finished, status: 'DONE' });
    await query(`UPDATE plan_action SET due_on = due_on - 1 WHERE conference_id = $1`, [conference.id]);
    const before = await told('ACTION_OVERDUE', conference.id);
    for (const id of [owned, agencyOwned, finished]) await dueNow(OVERDUE_QUEUE, 'actionId', id);
    for (const id of [owned, agencyOwned, finished]) await done(OVERDUE_QUEUE, 'actionId', id);

    expect(before).toEqual([]);
    // The named owner for theirs, the police's people for the one it owns unnamed, no one for the one done.
    expect(await told('ACTION_OVERDUE', conference.id)).toEqual(ids(dsl, officer));
    const { notifications } = await dsl.client.ok(NOTIFICATIONS);
    expect(notifications.filter((n: any) => n.kind === 'ACTION_OVERDUE')).toEqual([
      {
        kind: 'ACTION_OVERDUE',
        message: `A conference plan action you own was due on ${yesterday()} and is overdue`,
        conferenceId: conference.id,
        childId,
      },
    ]);
  });

  it('fires a reminder scheduled before a restart after it, once, with two replicas working the queue', async () => {
    const conference = await convene(20);
    await accept(conference.id, [dsl, officer]);
    // Another, whose reminder was never scheduled (as the demo's rows): the replicas' sweep schedules it.
    const unscheduled = await convene(25);
    await query(`DELETE FROM pgboss.job WHERE name = $1 AND data->>'conferenceId' = $2`, [
      DEADLINE_QUEUE,
      unscheduled.id,
    ]);
    expect(await told('DEADLINE_APPROACHING', conference.id)).toEqual([]);

    await app.stop();
    app = await TestApp.start({ database, env: { JOBS_WORKERS: 'true' } });
    const replica = await TestApp.start({ replicaOf: app });
    try {
      await dueNow(DEADLINE_QUEUE, 'conferenceId', conference.id);
      await done(DEADLINE_QUEUE, 'conferenceId', conference.id);
      // Both replicas poll every two seconds: give the other one the time to run it a second time, if it could.
      await new Promise((resolve) => setTimeout(resolve, 4_500));

      // The chair and those who accepted; not the youth service, which did not answer, nor the social worker.
      expect(await told('DEADLINE_APPROACHING', conference.id)).toEqual(ids(chair, dsl, officer));
      const [audit] = await query(
        `SELECT user_id, agency_id, request_id, child_id FROM audit_event
          WHERE action = 'remindDeadline' AND subject_id = $1`,
        [conference.id],
      );
      expect(audit).toEqual({
        user_id: null,
        agency_id: null,
        request_id: `job:reminders:${(await jobOf(DEADLINE_QUEUE, 'conferenceId', conference.id)).id}`,
        child_id: childId,
      });

      const swept = await eventually(
        () => jobOf(DEADLINE_QUEUE, 'conferenceId', unscheduled.id),
        (job) => job !== undefined,
      );
      expect(swept.start_after.toISOString()).toBe(
        hourInEnglandAndWales(addWorkingDays(unscheduled.dueBy, -2), 8).toISOString(),
      );
      expect(await told('DEADLINE_APPROACHING', unscheduled.id)).toEqual([]);
      expect(await told('DEADLINE_APPROACHING', conference.id)).not.toContain(socialWorker.user.id);
    } finally {
      await replica.stop();
    }
  });
});
