import { codeOf, SignedIn, TestApp } from '../libs/testing/src';
import { AgencyKind, Role } from '../src/common/enums/agencies';
import { upnCheckLetter } from '../src/children/identifiers';

/**
 * An adversarial review of the child-record access model as built: each case is a way a viewer could learn
 * more than its route opens, or an answer that would betray a record's existence, or a change that would
 * escape its audit record.
 */

const REGISTER = `mutation ($input: RegisterChildInput!) {
  registerChild(input: $input) { child { id } involvementRequest { id status child { id } } }
}`;
const RECORD = `mutation ($input: RecordConcernInput!) { recordConcern(input: $input) { id } }`;
const UPDATE = `mutation ($input: UpdateChildInput!) { updateChild(input: $input) { id version } }`;
const END = `mutation ($id: ID!, $until: Date!) { endInvolvement(involvementId: $id, until: $until) { id until } }`;
const GRANT = `mutation ($input: GrantAccessInput!) { grantAccess(input: $input) { id } }`;
const GRANTS = `query ($childId: ID!) { accessGrants(childId: $childId) { id purpose } }`;
const BREAK_GLASS = `mutation ($childId: ID!, $reason: String!) { breakGlass(childId: $childId, reason: $reason) { id } }`;
const CHILD_LINKS = `query ($id: ID!) {
  child(id: $id) {
    id version
    involvements { id agency { id } }
    concerns(first: 50) { edges { node { id sensitivity amends { id } amendedBy { id } } } }
  }
}`;
const CONCERN_PAGE = `query ($id: ID!, $after: String) { child(id: $id) { concerns(first: 5, after: $after) { edges { node { id } } } } }`;
const CHILDREN = `query ($filter: ChildFilter, $first: Int, $after: String) {
  children(filter: $filter, first: $first, after: $after) { edges { node { id } } }
}`;

const PURPOSE = 'Youth workers see him at the station most evenings and need the school concerns to plan outreach.';
const REASON = 'Found at 2am in a trap house with an adult suspect; need known risks and contacts now.';
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
const today = () => new Date().toISOString().slice(0, 10);
const cursorOf = (key: unknown[]) => Buffer.from(JSON.stringify(key)).toString('base64url');

let upnSerial = 0;
function freshUpn(): string {
  const rest = `93821${String(upnSerial++).padStart(7, '0')}`;
  return `${upnCheckLetter(rest)}${rest}`;
}

/** A grant of the child's STANDARD tier to `granteeAgencyId`, for 30 days. */
const grantInput = (childId: string, granteeAgencyId: string, overrides: Record<string, unknown> = {}) => ({
  input: {
    childId,
    granteeAgencyId,
    tiers: ['STANDARD'],
    lawfulBasis: 'PUBLIC_TASK',
    purpose: PURPOSE,
    expiresAt: inDays(30),
    ...overrides,
  },
});

const concern = (childId: string, sensitivity: string, extra: Record<string, unknown> = {}) => ({
  childId,
  occurredAt: '2026-10-01T16:00:00Z',
  category: 'CRIMINAL_EXPLOITATION',
  indicators: [],
  recruitmentSetting: 'STREET',
  riskLevel: 'MEDIUM',
  sensitivity,
  narrative: `A ${sensitivity} entry.`,
  ...extra,
});

describe('adversarial review of the child-record access model', () => {
  let app: TestApp;
  let schoolDsl: SignedIn;
  let officer: SignedIn;
  let youthWorker: SignedIn;
  let childId: string;
  let upn: string;

  /** Events recorded for `who` since `since` (a seq), oldest first. */
  const eventsOf = (who: SignedIn, since: string) =>
    app.dataSource.query(
      `SELECT action, subject_type, child_id, route, break_glass FROM audit_event
        WHERE user_id = $1 AND seq > $2 ORDER BY seq`,
      [who.user.id, since],
    );
  const head = async (): Promise<string> =>
    (await app.dataSource.query(`SELECT coalesce(max(seq), 0)::text AS seq FROM audit_event`))[0].seq;

  beforeAll(async () => {
    app = await TestApp.start();
    schoolDsl = await app.factories.signedIn({ kind: AgencyKind.SCHOOL, roles: [Role.SAFEGUARDING_LEAD] });
    officer = await app.factories.signedIn({ kind: AgencyKind.POLICE, roles: [Role.POLICE_OFFICER] });
    youthWorker = await app.factories.signedIn({ kind: AgencyKind.YOUTH_SERVICE, roles: [Role.PRACTITIONER] });
    upn = freshUpn();
    childId = (
      await schoolDsl.client.ok(REGISTER, {
        input: {
          givenName: 'Kai',
          familyName: 'Review',
          basis: 'PUPIL',
          identifiers: [
            { scheme: 'UPN', value: upn },
            { scheme: 'LOCAL_AUTHORITY', value: `LA-${upn}` },
          ],
        },
      })
    ).registerChild.child.id;
    await schoolDsl.client.ok(GRANT, grantInput(childId, youthWorker.agency!.id));
  });
  afterAll(() => app.stop());

  describe('registration by an identifier that already exists', () => {
    it('opens nothing: it files the police force’s involvement request, audited on the child with no route, until a lead accepts', async () => {
      const since = await head();
      const { registerChild } = await officer.client.ok(REGISTER, {
        input: {
          givenName: 'K',
          familyName: 'R',
          basis: 'INVESTIGATION',
          reason: 'Found carrying drugs for a county line under investigation.',
          identifiers: [{ scheme: 'LOCAL_AUTHORITY', value: `LA-${upn}` }],
        },
      });
      expect(registerChild).toEqual({
        child: null,
        involvementRequest: { id: expect.any(String), status: 'PENDING', child: null },
      });
      const events = await eventsOf(officer, since);
      expect(events).toEqual([
        {
          action: 'requestInvolvement',
          subject_type: 'InvolvementRequest',
          child_id: childId,
          route: null,
          break_glass: false,
        },
      ]);
      // The school's lead vouches for the police: from here on the force is involved, as the tests below assume.
      await schoolDsl.client.ok(
        `mutation ($id: ID!) { decideInvolvementRequest(id: $id, accept: true, note: "") { status } }`,
        { id: registerChild.involvementRequest.id },
      );
      expect((await officer.client.ok(CHILD_LINKS, { id: childId })).child).toMatchObject({ id: childId });
    });
  });

  describe('the list of grants', () => {
    it('does not show a school DSL that one police force shared police-restricted intelligence with another, nor why', async () => {
      const otherForce = await app.factories.agency({ kind: AgencyKind.POLICE });
      const policeGrant = (
        await officer.client.ok(
          GRANT,
          grantInput(childId, otherForce.id, {
            tiers: ['POLICE_RESTRICTED'],
            lawfulBasis: 'LEGAL_OBLIGATION',
            purpose: 'Operation Rook: his phone is on a line run from the other force area.',
          }),
        )
      ).grantAccess.id;
      const forPolice = (await officer.client.ok(GRANTS, { childId })).accessGrants.map((g: any) => g.id);
      expect(forPolice).toContain(policeGrant);
      const forSchool = (await schoolDsl.client.ok(GRANTS, { childId })).accessGrants;
      expect(forSchool.map((g: any) => g.id)).not.toContain(policeGrant);
      expect(forSchool).toHaveLength(1);
    });
  });

  it('a school DSL does not learn that the police refused to share with another police force, nor why', async () => {
    const otherForce = await app.factories.agency({ kind: AgencyKind.POLICE });
    const refusal = (
      await officer.client.ok(`mutation ($input: RefuseAccessInput!) { refuseAccess(input: $input) { id } }`, {
        input: {
          childId,
          requestingAgencyId: otherForce.id,
          reason: 'Operation Rook is covert; sharing now would alert the line holders.',
        },
      })
    ).refuseAccess.id;
    const REFUSALS = `query ($childId: ID!) { accessRefusals(childId: $childId) { id } }`;
    expect((await officer.client.ok(REFUSALS, { childId })).accessRefusals).toEqual([{ id: refusal }]);
    expect((await schoolDsl.client.ok(REFUSALS, { childId })).accessRefusals).toEqual([]);
  });

  it('a lead with no route to the child is answered NOT_FOUND by every change, and nothing is written, not even an audit event', async () => {
    const stranger = await app.factories.signedIn({ kind: AgencyKind.SCHOOL, roles: [Role.SAFEGUARDING_LEAD] });
    const since = await head();
    const counts = () =>
      app.dataSource.query(
        `SELECT (SELECT count(*) FROM concern WHERE child_id = $1)::int AS concerns,
                (SELECT count(*) FROM risk_assessment WHERE child_id = $1)::int AS assessments,
                (SELECT count(*) FROM access_grant WHERE child_id = $1)::int AS grants,
                (SELECT count(*) FROM access_refusal WHERE child_id = $1)::int AS refusals`,
        [childId],
      );
    const before = await counts();
    const attempts = [
      [RECORD, { input: concern(childId, 'STANDARD') }],
      [
        `mutation ($input: RecordRiskAssessmentInput!) { recordRiskAssessment(input: $input) { id } }`,
        { input: { childId, level: 'HIGH', exploitationTypes: [], rationale: 'Seen with older boys twice.' } },
      ],
      [GRANT, grantInput(childId, youthWorker.agency!.id)],
      [
        `mutation ($input: RefuseAccessInput!) { refuseAccess(input: $input) { id } }`,
        { input: { childId, requestingAgencyId: youthWorker.agency!.id, reason: PURPOSE } },
      ],
      [UPDATE, { input: { id: childId, version: 1, gender: 'male' } }],
    ] as const;
    for (const [mutation, variables] of attempts) {
      expect(codeOf(await stranger.client.query(mutation, variables))).toBe('NOT_FOUND');
    }
    expect(await counts()).toEqual(before);
    expect(await eventsOf(stranger, since)).toEqual([]);
  });

  describe('amendment links', () => {
    let restricted: string;
    let standardAmendment: string;
    let standard: string;

    beforeAll(async () => {
      restricted = (await officer.client.ok(RECORD, { input: concern(childId, 'POLICE_RESTRICTED') })).recordConcern.id;
      standardAmendment = (
        await officer.client.ok(RECORD, { input: concern(childId, 'STANDARD', { amendsConcernId: restricted }) })
      ).recordConcern.id;
      standard = (await schoolDsl.client.ok(RECORD, { input: concern(childId, 'STANDARD') })).recordConcern.id;
      await officer.client.ok(RECORD, { input: concern(childId, 'POLICE_RESTRICTED', { amendsConcernId: standard }) });
    });

    it('a youth worker with a STANDARD grant cannot reach a POLICE_RESTRICTED concern through amends or amendedBy', async () => {
      const { child } = await youthWorker.client.ok(CHILD_LINKS, { id: childId });
      const nodes = child.concerns.edges.map((edge: any) => edge.node);
      expect(nodes.map((node: any) => node.sensitivity)).not.toContain('POLICE_RESTRICTED');
      expect(nodes.find((node: any) => node.id === standardAmendment).amends).toBeNull();
      expect(nodes.find((node: any) => node.id === standard).amendedBy).toEqual([]);
    });

    it('a youth worker cannot see the police involvement through its grant, nor end it (NOT_FOUND)', async () => {
      const { child } = await youthWorker.client.ok(CHILD_LINKS, { id: childId });
      expect(child.involvements.map((i: any) => i.agency.id)).toEqual([schoolDsl.agency!.id]);
      const [police] = await app.dataSource.query(`SELECT id FROM involvement WHERE child_id = $1 AND agency_id = $2`, [
        childId,
        officer.agency!.id,
      ]);
      expect(codeOf(await youthWorker.client.query(END, { id: police.id, until: today() }))).toBe('NOT_FOUND');
    });
  });

  describe('malformed cursors and page sizes', () => {
    it('a concern cursor whose instant is not a real time is BAD_USER_INPUT, not an internal error', async () => {
      const after = cursorOf(['2026-13-45T99:99:99.000000Z', childId]);
      const res = await schoolDsl.client.query(CONCERN_PAGE, { id: childId, after });
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    });

    it('a children cursor carrying a NUL character is BAD_USER_INPUT, not an internal error', async () => {
      const after = cursorOf(['Re\u0000view', 'Kai', childId]);
      const res = await schoolDsl.client.query(CHILDREN, { after });
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    });

    it('a name search carrying a NUL character is BAD_USER_INPUT, not an internal error', async () => {
      const res = await schoolDsl.client.query(CHILDREN, { filter: { search: 'Ka\u0000i' } });
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.search' });
    });

    it('a name search takes % and _ literally', async () => {
      const res = await schoolDsl.client.ok(CHILDREN, { filter: { search: 'K%' } });
      expect(res.children.edges).toEqual([]);
      const underscore = await schoolDsl.client.ok(CHILDREN, { filter: { search: 'K_i' } });
      expect(underscore.children.edges).toEqual([]);
    });

    it('an audit trail cursor beyond the largest sequence number is BAD_USER_INPUT, not an internal error', async () => {
      const res = await schoolDsl.client.query(
        `query ($childId: ID!, $after: String) { auditTrail(childId: $childId, after: $after) { edges { cursor } } }`,
        { childId, after: '9999999999999999999' },
      );
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    });

    it('a page size that is zero, negative or beyond a 32-bit integer is BAD_USER_INPUT', async () => {
      for (const first of [0, -1, 101]) {
        expect(codeOf(await schoolDsl.client.query(CHILDREN, { first }))).toBe('BAD_USER_INPUT');
      }
      expect(codeOf(await schoolDsl.client.query(CHILDREN, { first: 2 ** 31 }))).toBe('BAD_USER_INPUT');
    });
  });

  describe('auditing', () => {
    it("reading a child's grants is a read of the child, audited once with the route", async () => {
      const since = await head();
      await schoolDsl.client.ok(GRANTS, { childId });
      await youthWorker.client.ok(
        `query ($childId: ID!) { a: accessGrants(childId: $childId) { id } b: child(id: $childId) { id } }`,
        {
          childId,
        },
      );
      expect(await eventsOf(schoolDsl, since)).toEqual([
        { action: 'read', subject_type: 'Child', child_id: childId, route: 'INVOLVED', break_glass: false },
      ]);
      expect(await eventsOf(youthWorker, since)).toEqual([
        { action: 'read', subject_type: 'Child', child_id: childId, route: 'GRANTED', break_glass: false },
      ]);
    });

    it('listing break-glass uses to review (which say why a record was opened) is a read of each child listed, audited once per child', async () => {
      const stranger = await app.factories.signedIn({ kind: AgencyKind.POLICE, roles: [Role.POLICE_OFFICER] });
      const strangerAdmin = await app.factories.signedIn({ agency: stranger.agency!, roles: [Role.AGENCY_ADMIN] });
      await stranger.client.ok(BREAK_GLASS, { childId, reason: REASON });
      await stranger.client.ok(BREAK_GLASS, {
        childId: (
          await schoolDsl.client.ok(REGISTER, { input: { givenName: 'Ola', familyName: 'Review', basis: 'PUPIL' } })
        ).registerChild.child.id,
        reason: REASON,
      });
      const since = await head();
      const listed = (await schoolDsl.client.ok(`{ breakGlassToReview { childId reason child { id } } }`))
        .breakGlassToReview;
      expect(listed.filter((use: any) => use.childId === childId)).toHaveLength(1);
      const forSchool = await eventsOf(schoolDsl, since);
      expect(forSchool).toHaveLength(new Set(listed.map((use: any) => use.childId)).size);
      expect(forSchool).toContainEqual({
        action: 'read',
        subject_type: 'Child',
        child_id: childId,
        route: 'INVOLVED',
        break_glass: false,
      });
      await strangerAdmin.client.ok(`{ breakGlassToReview { childId } }`);
      expect(await eventsOf(strangerAdmin, since)).toContainEqual({
        action: 'read',
        subject_type: 'Child',
        child_id: childId,
        route: null,
        break_glass: false,
      });
    });

    it("a school DSL's audit trail does not reveal that a police force with no involvement searched for the child", async () => {
      const otherForce = await app.factories.signedIn({ kind: AgencyKind.POLICE, roles: [Role.POLICE_OFFICER] });
      const matches = (
        await otherForce.client.ok(
          `query ($input: ChildMatchInput!) { possibleChildMatches(input: $input) { childId } }`,
          {
            input: {
              givenName: 'Kai',
              familyName: 'Review',
              identifiers: [{ scheme: 'LOCAL_AUTHORITY', value: `LA-${upn}` }],
            },
          },
        )
      ).possibleChildMatches;
      expect(matches.map((match: any) => match.childId)).toContain(childId);
      const trailOf = async (who: SignedIn) =>
        (
          await who.client.ok(
            `query ($childId: ID!) { auditTrail(childId: $childId, first: 100) { edges { node { action agency { id } } } } }`,
            { childId },
          )
        ).auditTrail.edges.map((edge: any) => edge.node);
      const forSchool = await trailOf(schoolDsl);
      expect(forSchool.filter((event: any) => event.agency?.id === otherForce.agency!.id)).toEqual([]);
      expect(forSchool).toContainEqual({ action: 'read', agency: { id: officer.agency!.id } });
      const policeLead = await app.factories.signedIn({ agency: officer.agency!, roles: [Role.SAFEGUARDING_LEAD] });
      expect(await trailOf(policeLead)).toContainEqual({
        action: 'possibleChildMatches',
        agency: { id: otherForce.agency!.id },
      });
    });

    it("a school DSL's audit trail shows a police force reading the child through the school's own grant", async () => {
      const grantee = await app.factories.signedIn({ kind: AgencyKind.POLICE, roles: [Role.POLICE_OFFICER] });
      await schoolDsl.client.ok(GRANT, grantInput(childId, grantee.agency!.id));
      await grantee.client.ok(`query ($id: ID!) { child(id: $id) { id } }`, { id: childId });
      const trail = (
        await schoolDsl.client.ok(
          `query ($childId: ID!) { auditTrail(childId: $childId) { edges { node { action route agency { id } } } } }`,
          { childId },
        )
      ).auditTrail.edges.map((edge: any) => edge.node);
      expect(trail).toContainEqual({ action: 'read', route: 'GRANTED', agency: { id: grantee.agency!.id } });
    });

    it('a correction made under break-glass is flagged for review like its reads', async () => {
      const child = (
        await schoolDsl.client.ok(REGISTER, { input: { givenName: 'Lia', familyName: 'Review', basis: 'PUPIL' } })
      ).registerChild.child;
      const other = await app.factories.signedIn({ kind: AgencyKind.POLICE, roles: [Role.POLICE_OFFICER] });
      await other.client.ok(BREAK_GLASS, { childId: child.id, reason: REASON });
      const { child: read } = await other.client.ok(CHILD_LINKS, { id: child.id });
      const since = await head();
      await other.client.ok(UPDATE, { input: { id: child.id, version: read.version, gender: 'female' } });
      const changes = (await eventsOf(other, since)).filter((event: any) => event.action !== 'read');
      expect(changes).toEqual([
        { action: 'updateChild', subject_type: 'Child', child_id: child.id, route: 'BREAK_GLASS', break_glass: true },
      ]);
    });

    it('ending an involvement is audited with the route it was ended through', async () => {
      const child = (
        await schoolDsl.client.ok(REGISTER, { input: { givenName: 'Mo', familyName: 'Review', basis: 'PUPIL' } })
      ).registerChild.child;
      const { child: read } = await schoolDsl.client.ok(CHILD_LINKS, { id: child.id });
      const since = await head();
      await schoolDsl.client.ok(END, { id: read.involvements[0].id, until: today() });
      expect(await eventsOf(schoolDsl, since)).toEqual([
        {
          action: 'endInvolvement',
          subject_type: 'Involvement',
          child_id: child.id,
          route: 'INVOLVED',
          break_glass: false,
        },
      ]);
    });
  });
});
