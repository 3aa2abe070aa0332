import { createClient, Client } from 'graphql-ws';
import WebSocket from 'ws';
import { SignedIn, TestApp } from '../libs/testing/src';
import { addMonths, addWorkingDays, dateInEnglandAndWales } from '../libs/working-days/src';
import { AgencyKind, Role } from '../src/common/enums/agencies';
import { Sensitivity } from '../src/common/enums/chronology';
import { LiveEvents } from '../src/live/live-events.service';

const CONFERENCE_UPDATED = `subscription ($id: ID!) {
  conferenceUpdated(conferenceId: $id) {
    id status version
    reports { agency { id } sensitivity }
    decision { recommendation actions { description } dissents { agency { id } } }
  }
}`;
const NOTIFICATION_ADDED = `subscription { notificationAdded { id kind message conferenceId childId } }`;
const NOTIFICATIONS = `query { notifications { id kind conferenceId } }`;
const CONVENE = `mutation ($input: ConveneConferenceInput!) { conveneConference(input: $input) { id version } }`;
const INVITATIONS = `query { conferenceInvitations(response: PENDING) { id conferenceId } }`;
const RESPOND = `mutation ($id: ID!) { respondToInvitation(invitationId: $id, response: ACCEPTED) { id } }`;
const REPORT = `mutation ($input: SubmitReportInput!) { submitConferenceReport(input: $input) { id } }`;
const START = `mutation ($id: ID!, $attendance: [AttendanceInput!]!) {
  startConference(id: $id, attendance: $attendance) { id version }
}`;
const DECIDE = `mutation ($input: DecideConferenceInput!) {
  decideConference(input: $input) { id version decision { actions { id version } } }
}`;
const UPDATE_ACTION = `mutation ($id: ID!, $status: ActionStatus!) { updatePlanAction(id: $id, status: $status) { id } }`;
const LOGOUT = `mutation { logout }`;

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
const today = () => dateInEnglandAndWales(new Date());
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `check` holds, polling: events cross replicas through the database, so they arrive a little later. */
async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await pause(25);
  }
}

interface Subscriber {
  events: any[];
  errors: unknown[];
  closed?: { code: number; reason: string };
  client: Client;
}

/** A graphql-ws client on `app`, as the holder of `token`, collecting what one subscription delivers. */
function subscribe(
  app: TestApp,
  token: string | undefined,
  query: string,
  variables: Record<string, unknown> = {},
): Subscriber {
  const subscriber: Subscriber = { events: [], errors: [], client: undefined as unknown as Client };
  subscriber.client = createClient({
    url: `${app.baseUrl.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    lazy: false,
    retryAttempts: 0,
    shouldRetry: () => false,
    onNonLazyError: () => undefined,
    on: {
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        subscriber.closed = { code, reason: String(reason) };
      },
    },
  });
  subscriber.client.subscribe(
    { query, variables },
    {
      next: (result) => subscriber.events.push(result.data ? Object.values(result.data)[0] : result),
      error: (error) => subscriber.errors.push(error),
      complete: () => undefined,
    },
  );
  return subscriber;
}

describe('live updates across replicas: subscriptions over graphql-ws, re-checked on every event', () => {
  let writer: TestApp;
  let reader: TestApp;
  let chair: SignedIn;
  let dsl: SignedIn;
  let officer: SignedIn;
  let youthWorker: SignedIn;
  let nurse: SignedIn;
  let nurseColleague: SignedIn;
  let childId: string;
  const subscribers: Subscriber[] = [];

  const track = (subscriber: Subscriber) => {
    subscribers.push(subscriber);
    return subscriber;
  };
  const live = () => reader.nest.get(LiveEvents) as unknown as { heard: NodeJS.EventEmitter };
  const listeners = () =>
    live()
      .heard.eventNames()
      .reduce((n, name) => n + live().heard.listenerCount(name), 0);
  /** Subscribes on the reading replica and waits until it listens there, so nothing sent afterwards is missed. */
  const listening = async (person: SignedIn, query: string, variables: Record<string, unknown> = {}) => {
    const name = variables.id ? `conference:${String(variables.id)}` : `notification:${person.user.id}`;
    const before = live().heard.listenerCount(name);
    const subscriber = track(subscribe(reader, person.token, query, variables));
    await until(() => live().heard.listenerCount(name) > before, 'the subscription to start');
    return subscriber;
  };
  const invitees = () => [dsl, officer, youthWorker, nurse];
  const convene = async () =>
    (
      await chair.client.ok(CONVENE, {
        input: {
          childId,
          kind: 'INITIAL_CHILD_PROTECTION',
          scheduledFor: inDays(7),
          chairId: chair.user.id,
          invitedAgencyIds: invitees().map((person) => person.agency!.id),
          strategyDiscussionOn: addWorkingDays(today(), -3),
        },
      })
    ).conveneConference;
  const accept = async (conferenceId: string, people: SignedIn[]) => {
    for (const person of people) {
      const { conferenceInvitations } = await person.client.ok(INVITATIONS);
      const invitation = conferenceInvitations.find((i: any) => i.conferenceId === conferenceId);
      await person.client.ok(RESPOND, { id: invitation.id });
    }
  };
  const present = (people: SignedIn[]) => people.map((person) => ({ userId: person.user.id, present: true }));
  const decision = (conference: { id: string; version: number }, extra: Record<string, unknown> = {}) => ({
    input: {
      conferenceId: conference.id,
      version: conference.version,
      recommendation: 'VICTIM_PROTECTION',
      rationale: 'Kai is being exploited by a county line; he is a victim first.',
      actions: [],
      ...extra,
    },
  });
  /** A conference decided with everyone invited present, and a plan with one action owned by the youth service. */
  const decided = async () => {
    const convened = await convene();
    await accept(convened.id, invitees());
    const started = (await chair.client.ok(START, { id: convened.id, attendance: present([chair, ...invitees()]) }))
      .startConference;
    const action = { description: 'Mentoring', ownerAgencyId: youthWorker.agency!.id, dueOn: addMonths(today(), 1) };
    return (await chair.client.ok(DECIDE, decision(started, { actions: [action] }))).decideConference;
  };

  beforeAll(async () => {
    writer = await TestApp.start();
    reader = await TestApp.start({ replicaOf: writer });
    const csc = await writer.factories.agency({ kind: AgencyKind.CHILDRENS_SOCIAL_CARE });
    chair = await writer.factories.signedIn({ agency: csc, roles: [Role.CONFERENCE_CHAIR] });
    dsl = await writer.factories.signedIn({ kind: AgencyKind.SCHOOL, roles: [Role.SAFEGUARDING_LEAD] });
    officer = await writer.factories.signedIn({ kind: AgencyKind.POLICE, roles: [Role.POLICE_OFFICER] });
    youthWorker = await writer.factories.signedIn({ kind: AgencyKind.YOUTH_SERVICE, roles: [Role.PRACTITIONER] });
    // A health agency that knows the child only through the conference: its nurse accepts, her colleague does not.
    nurse = await writer.factories.signedIn({ kind: AgencyKind.HEALTH, roles: [Role.PRACTITIONER] });
    nurseColleague = await writer.factories.signedIn({ agency: nurse.agency!, roles: [Role.PRACTITIONER] });
    childId = await writer.factories.children.child({
      givenName: 'Kai',
      familyName: 'Live',
      involved: [csc, dsl.agency!, officer.agency!, youthWorker.agency!],
    });
  });
  afterEach(async () => {
    for (const subscriber of subscribers.splice(0)) await subscriber.client.dispose();
    // An unsubscribed socket stops listening on the replica: nothing is left behind.
    await until(() => listeners() === 0, 'every listener to go');
  });
  afterAll(async () => {
    await reader?.stop();
    await writer?.stop();
  });

  it('refuses a socket without a valid token: none, a forged one, or one whose session has ended', async () => {
    const ended = await writer.factories.signedIn({ kind: AgencyKind.SCHOOL });
    await ended.client.ok(LOGOUT);
    for (const token of [undefined, 'not-a-token', ended.token]) {
      const refused = track(subscribe(reader, token, NOTIFICATION_ADDED));
      await until(() => refused.closed !== undefined, 'the socket to close');
      expect(refused.closed!.code).toBe(4403);
      expect(refused.events).toEqual([]);
    }
  });

  it('serves only subscriptions on the socket: queries and mutations go over HTTP', async () => {
    const asked = track(subscribe(reader, dsl.token, NOTIFICATIONS));
    await until(() => asked.errors.length > 0, 'the refusal');
    expect(JSON.stringify(asked.errors)).toContain('Only subscriptions are served over this socket');
    expect(asked.events).toEqual([]);
  });

  it('gives NOT_FOUND for a conference the subscriber does not see, as the query does', async () => {
    const conference = await convene();
    const outsider = await writer.factories.signedIn({ kind: AgencyKind.SCHOOL, roles: [Role.SAFEGUARDING_LEAD] });
    const refused = track(subscribe(reader, outsider.token, CONFERENCE_UPDATED, { id: conference.id }));
    await until(() => refused.events.length > 0, 'the refusal');
    expect(refused.events[0].errors.map((e: any) => e.extensions.code)).toEqual(['NOT_FOUND']);
  });

  it('walks the full path on one replica while every invited attendee hears it on the other', async () => {
    // Each invitee (and the colleague of the one whose agency knows the child only through the conference)
    // listens for their notifications on the reading replica; every change is made on the writing one.
    const told = new Map<SignedIn, Subscriber>();
    for (const person of [...invitees(), nurseColleague]) {
      told.set(person, await listening(person, NOTIFICATION_ADDED));
    }
    const convened = await convene();
    for (const person of [...invitees(), nurseColleague]) {
      await until(() => told.get(person)!.events.length === 1, 'the invitation');
      expect(told.get(person)!.events[0]).toMatchObject({ kind: 'CONFERENCE_INVITATION', conferenceId: convened.id });
    }

    await accept(convened.id, invitees());
    for (const person of invitees()) {
      await until(() => told.get(person)!.events.length === 2, 'the report asked for');
      expect(told.get(person)!.events[1]).toMatchObject({ kind: 'REPORT_DUE', conferenceId: convened.id });
    }
    const updates = new Map<SignedIn, Subscriber>();
    for (const person of invitees()) {
      updates.set(person, await listening(person, CONFERENCE_UPDATED, { id: convened.id }));
    }

    await dsl.client.ok(REPORT, {
      input: { conferenceId: convened.id, content: 'Waits at the gate for older boys.', sensitivity: 'STANDARD' },
    });
    await officer.client.ok(REPORT, {
      input: {
        conferenceId: convened.id,
        content: 'Phone linked to the Seaford line.',
        sensitivity: Sensitivity.POLICE_RESTRICTED,
      },
    });
    // Each delivery is the conference as its subscriber sees it: the school never sees the police report.
    await until(() => updates.get(officer)!.events.some((c) => c.reports.length === 2), 'both reports');
    await until(() => updates.get(dsl)!.events.length >= 2, 'both reports to reach the school');
    for (const delivered of updates.get(dsl)!.events) {
      expect(delivered.reports.map((r: any) => r.sensitivity)).toEqual(['STANDARD']);
    }

    const started = (await chair.client.ok(START, { id: convened.id, attendance: present([chair, ...invitees()]) }))
      .startConference;
    const dueOn = addMonths(today(), 1);
    await chair.client.ok(
      DECIDE,
      decision(started, {
        actions: [
          { description: 'Mentoring twice a week', ownerAgencyId: youthWorker.agency!.id, dueOn },
          { description: 'A safety plan for the gate', ownerAgencyId: dsl.agency!.id, dueOn },
          { description: 'Disrupt the line', ownerAgencyId: officer.agency!.id, dueOn },
        ],
        dissents: [{ agencyId: officer.agency!.id, note: 'The risk to other children calls for prosecution.' }],
      }),
    );

    for (const person of invitees()) {
      await until(
        () => updates.get(person)!.events.some((c) => c.status === 'DECIDED'),
        'the decision over the subscription',
      );
      const decidedConference = updates.get(person)!.events.find((c) => c.status === 'DECIDED');
      expect(decidedConference.decision.recommendation).toBe('VICTIM_PROTECTION');
      expect(decidedConference.decision.actions).toHaveLength(3);
      expect(decidedConference.decision.dissents).toEqual([{ agency: { id: officer.agency!.id } }]);

      await until(
        () => told.get(person)!.events.some((n) => n.kind === 'CONFERENCE_DECIDED'),
        'the decision notification',
      );
      const { notifications } = await person.client.ok(NOTIFICATIONS);
      expect(notifications).toContainEqual(
        expect.objectContaining({ kind: 'CONFERENCE_DECIDED', conferenceId: convened.id }),
      );
    }
    // The nurse's colleague does not see the conference (her agency knows the child only through it): she was
    // invited, so told of the invitation, and told nothing of what it decided.
    await pause(300);
    expect(told.get(nurseColleague)!.events.map((n) => n.kind)).toEqual(['CONFERENCE_INVITATION']);
    const colleagueTold = await writer.dataSource.query(
      `SELECT kind FROM notification WHERE user_id = $1 AND conference_id = $2 ORDER BY created_at`,
      [nurseColleague.user.id, convened.id],
    );
    expect(colleagueTold).toEqual([{ kind: 'CONFERENCE_INVITATION' }]);

    // Each delivery was an audited read of the child, by the person it was delivered to, on the reading replica.
    const audited = await writer.dataSource.query(
      `SELECT count(*)::int AS reads FROM audit_event WHERE user_id = $1 AND child_id = $2 AND action = 'read'`,
      [nurse.user.id, childId],
    );
    expect(audited[0].reads).toBeGreaterThanOrEqual(updates.get(nurse)!.events.length);
  });

  it('never delivers one person’s notification to another', async () => {
    const mine = await listening(dsl, NOTIFICATION_ADDED);
    const theirs = await listening(officer, NOTIFICATION_ADDED);
    const convened = await convene();
    await accept(convened.id, [dsl]);
    await until(() => mine.events.some((n) => n.kind === 'REPORT_DUE'), 'the school’s own notification');
    await until(() => theirs.events.length === 1, 'the police invitation');
    await pause(300);
    expect(theirs.events.map((n) => n.kind)).toEqual(['CONFERENCE_INVITATION']);
    const ownIds = (await officer.client.ok(NOTIFICATIONS)).notifications.map((n: any) => n.id);
    for (const event of theirs.events) expect(ownIds).toContain(event.id);
  });

  it('stops at once when the session ends: after logout the socket closes and nothing more is delivered', async () => {
    const conference = await decided();
    const leaving = await writer.factories.signIn(youthWorker.user, youthWorker.agency);
    const staying = await listening(youthWorker, CONFERENCE_UPDATED, { id: conference.id });
    const ending = await listening(leaving, CONFERENCE_UPDATED, { id: conference.id });
    await leaving.client.ok(LOGOUT);

    const [action] = conference.decision.actions;
    await youthWorker.client.ok(UPDATE_ACTION, { id: action.id, status: 'DONE' });
    await until(() => staying.events.length === 1, 'the change to reach the live session');
    await until(() => ending.closed !== undefined, 'the ended session’s socket to close');
    expect(ending.closed!.code).toBe(4401);
    expect(ending.events).toEqual([]);
  });

  it('stops at once when the route ends: 31 days after the decision an attendee without another route hears nothing', async () => {
    const conference = await decided();
    const attendee = await listening(nurse, CONFERENCE_UPDATED, { id: conference.id });
    const involved = await listening(youthWorker, CONFERENCE_UPDATED, { id: conference.id });
    const [action] = conference.decision.actions;
    await youthWorker.client.ok(UPDATE_ACTION, { id: action.id, status: 'DONE' });
    await until(() => attendee.events.length === 1 && involved.events.length === 1, 'the first change');

    // Moving the decisions back (this one's, and the earlier ones that also gave the nurse the route) is itself
    // a change to the conference: the involved agency hears it, and the next.
    await writer.dataSource.query(
      `UPDATE conference SET closed_at = now() - interval '31 days' WHERE child_id = $1 AND closed_at IS NOT NULL`,
      [childId],
    );
    await chair.client.ok(UPDATE_ACTION, { id: action.id, status: 'CANCELLED' });
    await until(() => involved.events.length === 3, 'the later changes to reach the involved agency');
    await pause(300);
    expect(attendee.events).toHaveLength(1);
    // The subscription stays open and says nothing: the conference answers as if it did not exist.
    expect(attendee.errors).toEqual([]);
    expect(attendee.closed).toBeUndefined();
  });
});
