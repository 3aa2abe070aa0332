import { codeOf, SignedIn, TestApp } from '../libs/testing/src';
import { addWorkingDays, dateInEnglandAndWales } from '../libs/working-days/src';
import { AgencyKind, Role } from '../src/common/enums/agencies';
import { Sensitivity } from '../src/common/enums/chronology';

const CONVENE = `mutation ($input: ConveneConferenceInput!) {
  conveneConference(input: $input) { id version invitations { id agency { id } } }
}`;
const CONFERENCE = `query ($id: ID!) {
  conference(id: $id) { id status reports { agency { id } sensitivity } child { id accessRoute } }
}`;
const INVITATIONS = `query { conferenceInvitations { id conferenceId response } }`;
const RESPOND = `mutation ($id: ID!, $response: InvitationResponse!) {
  respondToInvitation(invitationId: $id, response: $response) { id response }
}`;
const REPORT = `mutation ($input: SubmitReportInput!) { submitConferenceReport(input: $input) { id } }`;
const START = `mutation ($id: ID!, $attendance: [AttendanceInput!]!) { startConference(id: $id, attendance: $attendance) { id version } }`;
const DECIDE = `mutation ($input: DecideConferenceInput!) { decideConference(input: $input) { id status } }`;
const CHILD = `query ($id: ID!) {
  child(id: $id) {
    id accessRoute address givenName
    involvements { agency { id } }
    concerns(first: 20) { edges { node { sensitivity narrative } } }
    conferences { id }
  }
}`;
const CHILDREN = `query { children(first: 50) { edges { node { id accessRoute } } } }`;

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

/**
 * The CONFERENCE route (DESIGN §4): the chair and the people of invited agencies who accepted reach the child
 * through the conference until 30 days after its decision: identity without the address, STANDARD entries, and
 * that conference's reports in the tiers they may see. Nobody else reaches it that way.
 */
describe('the CONFERENCE route to a child', () => {
  let app: TestApp;
  let chair: SignedIn;
  let officer: SignedIn;
  let dsl: SignedIn;
  let dslColleague: SignedIn;
  let youthWorker: SignedIn;
  let outsider: SignedIn;
  let childId: string;
  let conferenceId: string;

  const childAs = async (who: SignedIn) => (await who.client.ok(CHILD, { id: childId })).child;
  const listed = async (who: SignedIn) =>
    (await who.client.ok(CHILDREN)).children.edges.map((edge: any) => edge.node.id) as string[];

  beforeAll(async () => {
    app = await TestApp.start();
    const csc = await app.factories.agency({ kind: AgencyKind.CHILDRENS_SOCIAL_CARE });
    chair = await app.factories.signedIn({ agency: csc, roles: [Role.CONFERENCE_CHAIR] });
    officer = await app.factories.signedIn({ kind: AgencyKind.POLICE, roles: [Role.POLICE_OFFICER] });
    dsl = await app.factories.signedIn({ kind: AgencyKind.SCHOOL, roles: [Role.SAFEGUARDING_LEAD] });
    dslColleague = await app.factories.signedIn({ agency: dsl.agency!, roles: [Role.PRACTITIONER] });
    youthWorker = await app.factories.signedIn({ kind: AgencyKind.YOUTH_SERVICE, roles: [Role.PRACTITIONER] });
    outsider = await app.factories.signedIn({ kind: AgencyKind.HEALTH, roles: [Role.PRACTITIONER] });
    // Known to children's social care and the police only: the school and the youth service are invited in.
    childId = await app.factories.children.child({
      givenName: 'Kai',
      familyName: 'Route',
      address: '12 Canal Street',
      involved: [csc, officer.agency!],
    });
    await app.factories.concern({ childId, by: chair, narrative: 'Strategy discussion held.' });
    await app.factories.concern({
      childId,
      by: officer,
      sensitivity: Sensitivity.POLICE_RESTRICTED,
      narrative: 'Phone linked to a county line.',
    });
    const today = dateInEnglandAndWales(new Date());
    conferenceId = (
      await chair.client.ok(CONVENE, {
        input: {
          childId,
          kind: 'INITIAL_CHILD_PROTECTION',
          scheduledFor: inDays(5),
          chairId: chair.user.id,
          invitedAgencyIds: [dsl.agency!.id, officer.agency!.id, youthWorker.agency!.id],
          strategyDiscussionOn: addWorkingDays(today, -1),
        },
      })
    ).conveneConference.id;
  });
  afterAll(() => app.stop());

  const accept = async (who: SignedIn) => {
    const invitation = (await who.client.ok(INVITATIONS)).conferenceInvitations.find(
      (i: any) => i.conferenceId === conferenceId,
    );
    return who.client.ok(RESPOND, { id: invitation.id, response: 'ACCEPTED' });
  };

  it('opens nothing before the invitation is accepted: the invitee sees the invitation, not the child', async () => {
    const invitations = (await dsl.client.ok(INVITATIONS)).conferenceInvitations;
    expect(invitations.map((i: any) => i.conferenceId)).toContain(conferenceId);
    expect(await childAs(dsl)).toBeNull();
    expect((await dsl.client.ok(CONFERENCE, { id: conferenceId })).conference).toBeNull();
  });

  it('opens identity without the address and STANDARD entries to the person who accepted, audited as CONFERENCE', async () => {
    await accept(dsl);
    const child = await childAs(dsl);
    expect(child).toMatchObject({ id: childId, accessRoute: 'CONFERENCE', givenName: 'Kai', address: null });
    expect(child.concerns.edges.map((edge: any) => edge.node.sensitivity)).toEqual(['STANDARD']);
    // The police involvement is not disclosed through the route; the conference is.
    expect(child.involvements.map((i: any) => i.agency.id)).not.toContain(officer.agency!.id);
    expect(child.conferences.map((c: any) => c.id)).toEqual([conferenceId]);
    expect(await listed(dsl)).toContain(childId);
    const reads = await app.dataSource.query(
      `SELECT route FROM audit_event WHERE child_id = $1 AND user_id = $2 AND action = 'read'`,
      [childId, dsl.user.id],
    );
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((row: any) => row.route === 'CONFERENCE')).toBe(true);
  });

  it('opens the route to that person only: a colleague of the same agency does not reach the child', async () => {
    expect(await childAs(dslColleague)).toBeNull();
    expect(await listed(dslColleague)).not.toContain(childId);
  });

  it('shows the conference’s reports in the tiers each attendee may see', async () => {
    await accept(youthWorker);
    await accept(officer);
    await officer.client.ok(REPORT, {
      input: { conferenceId, content: 'Intelligence on the line.', sensitivity: 'POLICE_RESTRICTED' },
    });
    await youthWorker.client.ok(REPORT, {
      input: { conferenceId, content: 'Missing weekends.', sensitivity: 'STANDARD' },
    });
    const asSchool = (await dsl.client.ok(CONFERENCE, { id: conferenceId })).conference;
    expect(asSchool.child.accessRoute).toBe('CONFERENCE');
    expect(asSchool.reports.map((r: any) => r.sensitivity)).toEqual(['STANDARD']);
    const asPolice = (await officer.client.ok(CONFERENCE, { id: conferenceId })).conference;
    expect(asPolice.reports.map((r: any) => r.sensitivity).sort()).toEqual(['POLICE_RESTRICTED', 'STANDARD']);
  });

  it('is NOT_FOUND, conference and child alike, to a person of an agency that was not invited', async () => {
    expect((await outsider.client.ok(CONFERENCE, { id: conferenceId })).conference).toBeNull();
    expect(await childAs(outsider)).toBeNull();
    const report = await outsider.client.query(REPORT, {
      input: { conferenceId, content: 'Not ours to write.', sensitivity: 'STANDARD' },
    });
    expect(codeOf(report)).toBe('NOT_FOUND');
    expect(await listed(outsider)).not.toContain(childId);
  });

  it('lasts 30 days after the decision: on day 31 an attendee without another route loses it', async () => {
    const started = (
      await chair.client.ok(START, {
        id: conferenceId,
        attendance: [chair, dsl, officer, youthWorker].map((p) => ({ userId: p.user.id, present: true })),
      })
    ).startConference;
    await chair.client.ok(DECIDE, {
      input: {
        conferenceId,
        version: started.version,
        recommendation: 'VICTIM_PROTECTION',
        rationale: 'A victim first.',
        actions: [],
      },
    });
    await app.dataSource.query(`UPDATE conference SET closed_at = now() - interval '29 days' WHERE id = $1`, [
      conferenceId,
    ]);
    expect((await childAs(dsl)).accessRoute).toBe('CONFERENCE');

    await app.dataSource.query(`UPDATE conference SET closed_at = now() - interval '31 days' WHERE id = $1`, [
      conferenceId,
    ]);
    expect(await childAs(dsl)).toBeNull();
    expect((await dsl.client.ok(CONFERENCE, { id: conferenceId })).conference).toBeNull();
    expect(await listed(dsl)).not.toContain(childId);
    expect(await childAs(youthWorker)).toBeNull();
    // Those with another route keep it: the police are involved, the chair's agency too.
    expect((await childAs(officer)).accessRoute).toBe('INVOLVED');
    expect((await childAs(chair)).accessRoute).toBe('INVOLVED');
  });
});
