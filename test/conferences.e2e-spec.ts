import { codeOf, SignedIn, TestApp } from '../libs/testing/src';
import { addMonths, addWorkingDays, dateInEnglandAndWales } from '../libs/working-days/src';
import { AgencyKind, Role } from '../src/common/enums/agencies';
import { Sensitivity } from '../src/common/enums/chronology';

const CONFERENCE_FIELDS = `
  id kind status dueBy scheduledAfterDue version quorumMet strategyDiscussionOn precedingConferenceId
  cancellationReason
  child { id flags }
  chair { id }
  invitations { id response agency { id } invitee { id } }
  reports { agency { id } author { id } sensitivity content }
  attendance { user { id } agency { id } present }
  decision {
    recommendation rationale nextReviewBy quorumOverrideReason decidedBy { id }
    actions { id description status dueOn ownerAgency { id } owner { id } version }
    dissents { agency { id } note }
  }`;
const CONVENE = `mutation ($input: ConveneConferenceInput!) { conveneConference(input: $input) { ${CONFERENCE_FIELDS} } }`;
const CONFERENCE = `query ($id: ID!) { conference(id: $id) { ${CONFERENCE_FIELDS} } }`;
const INVITATIONS = `query { conferenceInvitations(response: PENDING) { id conferenceId response agency { id } } }`;
const RESPOND = `mutation ($id: ID!, $response: InvitationResponse!) {
  respondToInvitation(invitationId: $id, response: $response) { id response invitee { id } }
}`;
const REPORT = `mutation ($input: SubmitReportInput!) { submitConferenceReport(input: $input) { id sensitivity } }`;
const START = `mutation ($id: ID!, $attendance: [AttendanceInput!]!, $version: Int) {
  startConference(id: $id, attendance: $attendance, version: $version) { ${CONFERENCE_FIELDS} }
}`;
const DECIDE = `mutation ($input: DecideConferenceInput!) { decideConference(input: $input) { ${CONFERENCE_FIELDS} } }`;
const CANCEL = `mutation ($id: ID!, $reason: String!, $version: Int) {
  cancelConference(id: $id, reason: $reason, version: $version) { id status cancellationReason version }
}`;
const UPDATE_ACTION = `mutation ($id: ID!, $status: ActionStatus!, $version: Int) {
  updatePlanAction(id: $id, status: $status, version: $version) { id status version }
}`;
const MINE = `query ($status: ConferenceStatus) { myConferences(status: $status) { id status } }`;
const CHILD_CONFERENCES = `query ($id: ID!) { child(id: $id) { id flags conferences { id kind } } }`;

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
const today = () => dateInEnglandAndWales(new Date());

describe('case conferences on statutory timescales', () => {
  let app: TestApp;
  let chair: SignedIn;
  let socialWorker: SignedIn;
  let dsl: SignedIn;
  let officer: SignedIn;
  let youthWorker: SignedIn;
  let childId: string;

  const invitees = () => [dsl, officer, youthWorker];
  const convene = (overrides: Record<string, unknown> = {}, who = chair) =>
    who.client.query(CONVENE, {
      input: {
        childId,
        kind: 'INITIAL_CHILD_PROTECTION',
        scheduledFor: inDays(7),
        chairId: chair.user.id,
        invitedAgencyIds: invitees().map((person) => person.agency!.id),
        strategyDiscussionOn: addWorkingDays(today(), -3),
        ...overrides,
      },
    });
  const conferenceAs = async (who: SignedIn, id: string) => (await who.client.ok(CONFERENCE, { id })).conference;
  const acceptAll = async (conferenceId: string, people = invitees()) => {
    for (const person of people) {
      const { conferenceInvitations } = await person.client.ok(INVITATIONS);
      const invitation = conferenceInvitations.find((i: any) => i.conferenceId === conferenceId);
      await person.client.ok(RESPOND, { id: invitation.id, response: 'ACCEPTED' });
    }
  };
  const presentAll = (people: SignedIn[]) => people.map((person) => ({ userId: person.user.id, present: true }));
  /** A conference in session with the chair, the school, the police and the youth service present. */
  const inSession = async (present = [chair, ...invitees()]) => {
    const convened = (await convene()).data!.conveneConference;
    await acceptAll(convened.id);
    return (await chair.client.ok(START, { id: convened.id, attendance: presentAll(present) })).startConference;
  };
  const decision = (conference: { id: string; version: number }, overrides: Record<string, unknown> = {}) => ({
    input: {
      conferenceId: conference.id,
      version: conference.version,
      recommendation: 'VICTIM_PROTECTION',
      rationale: 'Kai is being exploited by a county line; he is a victim first.',
      actions: [],
      ...overrides,
    },
  });

  beforeAll(async () => {
    app = await TestApp.start();
    const csc = await app.factories.agency({ kind: AgencyKind.CHILDRENS_SOCIAL_CARE });
    chair = await app.factories.signedIn({ agency: csc, roles: [Role.CONFERENCE_CHAIR] });
    socialWorker = await app.factories.signedIn({ agency: csc, roles: [Role.SOCIAL_WORKER] });
    dsl = await app.factories.signedIn({ kind: AgencyKind.SCHOOL, roles: [Role.SAFEGUARDING_LEAD] });
    officer = await app.factories.signedIn({ kind: AgencyKind.POLICE, roles: [Role.POLICE_OFFICER] });
    youthWorker = await app.factories.signedIn({ kind: AgencyKind.YOUTH_SERVICE, roles: [Role.PRACTITIONER] });
    childId = await app.factories.children.child({
      givenName: 'Kai',
      familyName: 'Conference',
      involved: [csc, dsl.agency!, officer.agency!, youthWorker.agency!],
    });
  });
  afterAll(() => app.stop());

  it('puts an initial conference after a strategy discussion on Wednesday 1 April 2026 on Friday 24 April 2026', async () => {
    const conference = (await convene({ strategyDiscussionOn: '2026-04-01' })).data!.conveneConference;
    expect(conference.dueBy).toBe('2026-04-24');
    // Scheduled now, months after it was due: allowed, and shown.
    expect(conference.scheduledAfterDue).toBe(true);
    await chair.client.ok(CANCEL, { id: conference.id, reason: 'Convened only to show the due date.' });
  });

  it('takes the due date from the rules, never the client, and flags nothing on time', async () => {
    const discussion = addWorkingDays(today(), -2);
    const conference = (await convene({ strategyDiscussionOn: discussion, scheduledFor: inDays(3) })).data!
      .conveneConference;
    expect(conference.dueBy).toBe(addWorkingDays(discussion, 15));
    expect(conference.scheduledAfterDue).toBe(false);
    expect(conference.status).toBe('CONVENED');
    expect(conference.invitations.map((i: any) => i.response)).toEqual(['PENDING', 'PENDING', 'PENDING']);
    await chair.client.ok(CANCEL, { id: conference.id, reason: 'Shown only.' });
  });

  it('walks the full path: invitations, reports in their tiers, attendance, a decision with a plan and a dissent', async () => {
    const convened = (await convene()).data!.conveneConference;
    // Invited agencies are told at once.
    const invited = await app.dataSource.query(
      `SELECT user_id FROM notification WHERE conference_id = $1 AND kind = 'CONFERENCE_INVITATION'`,
      [convened.id],
    );
    expect(invited.map((row: any) => row.user_id).sort()).toEqual(
      invitees()
        .map((p) => p.user.id)
        .sort(),
    );

    await acceptAll(convened.id);
    await dsl.client.ok(REPORT, {
      input: { conferenceId: convened.id, content: 'Waits at the gate for older boys.', sensitivity: 'STANDARD' },
    });
    await youthWorker.client.ok(REPORT, {
      input: { conferenceId: convened.id, content: 'Two missing weekends.', sensitivity: 'STANDARD' },
    });
    await officer.client.ok(REPORT, {
      input: {
        conferenceId: convened.id,
        content: 'Phone linked to the Seaford line.',
        sensitivity: Sensitivity.POLICE_RESTRICTED,
      },
    });

    // The school's attendee does not see the police report; the police see every report.
    const asSchool = await conferenceAs(dsl, convened.id);
    expect(asSchool.reports.map((r: any) => r.sensitivity)).toEqual(['STANDARD', 'STANDARD']);
    expect(asSchool.reports.some((r: any) => r.agency.id === officer.agency!.id)).toBe(false);
    const asPolice = await conferenceAs(officer, convened.id);
    expect(asPolice.reports.map((r: any) => r.sensitivity).sort()).toEqual([
      'POLICE_RESTRICTED',
      'STANDARD',
      'STANDARD',
    ]);

    const started = (
      await chair.client.ok(START, {
        id: convened.id,
        attendance: presentAll([chair, ...invitees()]),
        version: asSchool.version,
      })
    ).startConference;
    expect(started.status).toBe('IN_SESSION');
    expect(started.quorumMet).toBe(true);
    expect(started.attendance).toHaveLength(4);

    const decided = (
      await chair.client.ok(
        DECIDE,
        decision(started, {
          actions: [
            {
              description: 'Mentoring twice a week',
              ownerAgencyId: youthWorker.agency!.id,
              ownerUserId: youthWorker.user.id,
              dueOn: addMonths(today(), 1),
            },
            { description: 'A safety plan for the gate', ownerAgencyId: dsl.agency!.id, dueOn: addMonths(today(), 1) },
            { description: 'Disrupt the line', ownerAgencyId: officer.agency!.id, dueOn: addMonths(today(), 2) },
          ],
          dissents: [{ agencyId: officer.agency!.id, note: 'The risk to other children calls for prosecution.' }],
        }),
      )
    ).decideConference;
    expect(decided.status).toBe('DECIDED');
    expect(decided.decision.recommendation).toBe('VICTIM_PROTECTION');
    expect(decided.decision.decidedBy.id).toBe(chair.user.id);
    expect(decided.decision.actions.map((a: any) => a.description)).toEqual([
      'Mentoring twice a week',
      'A safety plan for the gate',
      'Disrupt the line',
    ]);
    expect(decided.decision.actions[0].owner.id).toBe(youthWorker.user.id);
    expect(decided.decision.dissents).toEqual([
      { agency: { id: officer.agency!.id }, note: 'The risk to other children calls for prosecution.' },
    ]);
    // A decided initial conference that keeps a plan is reviewed within three months.
    expect(decided.decision.nextReviewBy).toBe(addMonths(today(), 3));
    expect(decided.child.flags.sort()).toEqual(['POTENTIAL_VICTIM_OF_EXPLOITATION', 'UNDER_CHILD_PROTECTION_PLAN']);

    const told = await app.dataSource.query(
      `SELECT user_id FROM notification WHERE conference_id = $1 AND kind = 'CONFERENCE_DECIDED'`,
      [convened.id],
    );
    const toldIds = told.map((row: any) => row.user_id);
    for (const person of invitees()) expect(toldIds).toContain(person.user.id);
    expect(toldIds).not.toContain(chair.user.id);

    const audited = await app.dataSource.query(
      `SELECT action, route FROM audit_event WHERE subject_id = $1 ORDER BY seq`,
      [convened.id],
    );
    expect(audited.map((row: any) => row.action)).toEqual(['conveneConference', 'startConference', 'decideConference']);

    // The first review is due three months after the initial conference was decided.
    const review = (
      await convene({ kind: 'REVIEW_CHILD_PROTECTION', strategyDiscussionOn: null, precedingConferenceId: convened.id })
    ).data!.conveneConference;
    expect(review.dueBy).toBe(addMonths(today(), 3));
    expect(review.precedingConferenceId).toBe(convened.id);
    // One review per decision.
    const again = await convene({
      kind: 'REVIEW_CHILD_PROTECTION',
      strategyDiscussionOn: null,
      precedingConferenceId: convened.id,
    });
    expect(codeOf(again)).toBe('CONFLICT');

    // The owner marks an action done; the school may not mark the police's.
    const [mentoring, , disruption] = decided.decision.actions;
    expect(codeOf(await dsl.client.query(UPDATE_ACTION, { id: disruption.id, status: 'DONE' }))).toBe('FORBIDDEN');
    const done = (await youthWorker.client.ok(UPDATE_ACTION, { id: mentoring.id, status: 'DONE', version: 1 }))
      .updatePlanAction;
    expect(done).toMatchObject({ status: 'DONE', version: 2 });
    expect(codeOf(await chair.client.query(UPDATE_ACTION, { id: mentoring.id, status: 'CANCELLED', version: 1 }))).toBe(
      'CONFLICT',
    );

    // A review that keeps no plan ends it.
    await acceptAll(review.id);
    const reviewStarted = (
      await chair.client.ok(START, { id: review.id, attendance: presentAll([chair, ...invitees()]) })
    ).startConference;
    const reviewDecided = (
      await chair.client.ok(DECIDE, decision(reviewStarted, { recommendation: 'NO_FURTHER_ACTION' }))
    ).decideConference;
    expect(reviewDecided.decision.nextReviewBy).toBeNull();
    expect(reviewDecided.child.flags).toEqual(['POTENTIAL_VICTIM_OF_EXPLOITATION']);
  });

  it('lists the conferences one chairs or is invited to, and a child’s conferences to those who see them', async () => {
    const mine = (await dsl.client.ok(MINE, { status: 'DECIDED' })).myConferences;
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((c: any) => c.status === 'DECIDED')).toBe(true);
    const child = (await socialWorker.client.ok(CHILD_CONFERENCES, { id: childId })).child;
    expect(child.conferences.length).toBeGreaterThan(0);
    // The social worker's agency is involved: it sees the child's conferences, though it is not "my" conference.
    expect((await socialWorker.client.ok(MINE, {})).myConferences).toEqual([]);
  });

  describe('refuses, changing nothing', () => {
    const stateOf = async (id: string) =>
      (
        await app.dataSource.query(
          `SELECT c.status, c.version, c.recommendation, ch.flags
             FROM conference c JOIN child ch ON ch.id = c.child_id WHERE c.id = $1`,
          [id],
        )
      )[0];

    it('a decision without quorum (FAILED_PRECONDITION), and two agencies without a recorded reason', async () => {
      const conference = await inSession([chair, dsl]);
      expect(conference.quorumMet).toBe(false);
      const before = await stateOf(conference.id);
      const refused = await chair.client.query(DECIDE, decision(conference));
      expect(codeOf(refused)).toBe('FAILED_PRECONDITION');
      expect(await stateOf(conference.id)).toEqual(before);
      // The chair may proceed with two agencies, children's social care one, giving the reason.
      const decided = (
        await chair.client.ok(
          DECIDE,
          decision(conference, { quorumOverrideReason: 'Police called to an incident; the child is at risk tonight.' }),
        )
      ).decideConference;
      expect(decided.decision.quorumOverrideReason).toBe('Police called to an incident; the child is at risk tonight.');
    });

    it('a decision by anyone but the chair (FORBIDDEN), another chair of the same agency included', async () => {
      const conference = await inSession();
      const before = await stateOf(conference.id);
      const otherChair = await app.factories.signedIn({ agency: chair.agency!, roles: [Role.CONFERENCE_CHAIR] });
      for (const person of [dsl, socialWorker, otherChair]) {
        expect(codeOf(await person.client.query(DECIDE, decision(conference)))).toBe('FORBIDDEN');
      }
      expect(await stateOf(conference.id)).toEqual(before);
    });

    it('starting a cancelled conference (FAILED_PRECONDITION)', async () => {
      const convened = (await convene()).data!.conveneConference;
      const cancelled = (await chair.client.ok(CANCEL, { id: convened.id, reason: 'The family moved away.' }))
        .cancelConference;
      expect(cancelled).toMatchObject({ status: 'CANCELLED', cancellationReason: 'The family moved away.' });
      const before = await stateOf(convened.id);
      const refused = await chair.client.query(START, { id: convened.id, attendance: presentAll([chair]) });
      expect(codeOf(refused)).toBe('FAILED_PRECONDITION');
      expect(await stateOf(convened.id)).toEqual(before);
      const attendance = await app.dataSource.query(`SELECT 1 FROM conference_attendance WHERE conference_id = $1`, [
        convened.id,
      ]);
      expect(attendance).toEqual([]);
    });

    it('a stale version (CONFLICT)', async () => {
      const conference = await inSession();
      const before = await stateOf(conference.id);
      const refused = await chair.client.query(DECIDE, decision({ ...conference, version: conference.version - 1 }));
      expect(codeOf(refused)).toBe('CONFLICT');
      expect(await stateOf(conference.id)).toEqual(before);
      const convened = (await convene()).data!.conveneConference;
      const stale = await chair.client.query(START, {
        id: convened.id,
        attendance: presentAll([chair]),
        version: convened.version + 1,
      });
      expect(codeOf(stale)).toBe('CONFLICT');
      expect((await stateOf(convened.id)).status).toBe('CONVENED');
    });

    it('a chair who is not a conference chair, a convener without the role, and a second report', async () => {
      expect(codeOf(await convene({ chairId: socialWorker.user.id }))).toBe('BAD_USER_INPUT');
      expect(codeOf(await convene({}, socialWorker))).toBe('FORBIDDEN');
      expect(codeOf(await convene({ strategyDiscussionOn: null }))).toBe('BAD_USER_INPUT');
      const convened = (await convene()).data!.conveneConference;
      await acceptAll(convened.id);
      const report = { conferenceId: convened.id, content: 'First.', sensitivity: 'STANDARD' };
      await dsl.client.ok(REPORT, { input: report });
      expect(codeOf(await dsl.client.query(REPORT, { input: report }))).toBe('CONFLICT');
      // An agency writes in no tier its kind does not see.
      const restricted = { ...report, sensitivity: 'POLICE_RESTRICTED' };
      expect(codeOf(await youthWorker.client.query(REPORT, { input: restricted }))).toBe('FORBIDDEN');
    });
  });
});
