import { codeOf, SignedIn, TestAgency, TestApp } from '../libs/testing/src';
import { upnCheckLetter } from '../src/children/identifiers';
import { AgencyKind, Role } from '../src/common/enums/agencies';
import { IdentifierScheme } from '../src/common/enums/children';

const REQUEST_FIELDS = `id status basis reason decisionNote decidedAt
  requestingAgency { id } requestedBy { id } decidedBy { id }
  match { childId score matchedOn initials birthYear involvedAgencies { id } }
  child { id accessRoute }`;
const REGISTER = `mutation ($input: RegisterChildInput!) {
  registerChild(input: $input) {
    child { id accessRoute }
    involvementRequest { ${REQUEST_FIELDS.replace('child { id accessRoute }', '')} }
    possibleMatches { childId score matchedOn initials birthYear }
  }
}`;
const REQUEST = `mutation ($input: RequestInvolvementInput!) {
  requestInvolvement(input: $input) { id status requestingAgency { id } }
}`;
const DECIDE = `mutation ($id: ID!, $accept: Boolean!, $note: String!) {
  decideInvolvementRequest(id: $id, accept: $accept, note: $note) { id status decisionNote decidedBy { id } }
}`;
const WITHDRAW = `mutation ($id: ID!) { withdrawInvolvementRequest(id: $id) { id status } }`;
const REQUESTS = `query ($status: InvolvementRequestStatus) { involvementRequests(status: $status) { ${REQUEST_FIELDS} } }`;
const CHILD = `query ($id: ID!) {
  child(id: $id) {
    id accessRoute identifiers { scheme value } involvements { agency { id } basis }
    concerns { edges { node { id narrative agency { id } } } }
  }
}`;
const NOTIFICATIONS = `query ($unreadOnly: Boolean) { notifications(unreadOnly: $unreadOnly) { id kind message childId readAt } }`;
const MARK_READ = `mutation ($id: ID!) { markNotificationRead(id: $id) { id readAt } }`;
const RECORD_CONCERN = `mutation ($input: RecordConcernInput!) { recordConcern(input: $input) { id narrative agency { id } } }`;

const REASON = 'Kai has started at our school this term; we need his history to keep him safe.';

let upnSerial = 0;
function freshUpn(): string {
  const rest = `80120${String(upnSerial++).padStart(7, '0')}`;
  return `${upnCheckLetter(rest)}${rest}`;
}

describe('involvement requests: knowing an identifier opens nothing', () => {
  let app: TestApp;
  let localAuthoritySerial = 0;

  beforeAll(async () => {
    app = await TestApp.start();
  });
  afterAll(() => app.stop());

  /** A child with a UPN, held by a school (its DSL and a practitioner) and children's social care (a social worker). */
  async function knownChild(localAuthority = `Shire ${localAuthoritySerial++}`) {
    const school = await app.factories.agency({ kind: AgencyKind.SCHOOL, localAuthority });
    const socialCare = await app.factories.agency({ kind: AgencyKind.CHILDRENS_SOCIAL_CARE, localAuthority });
    const dsl = await app.factories.signedIn({ agency: school, roles: [Role.SAFEGUARDING_LEAD] });
    const teacher = await app.factories.signedIn({ agency: school, roles: [Role.PRACTITIONER] });
    const socialWorker = await app.factories.signedIn({ agency: socialCare, roles: [Role.SOCIAL_WORKER] });
    const upn = freshUpn();
    const childId = await app.factories.children.child({
      givenName: 'Kai',
      familyName: 'Thompson',
      dateOfBirth: '2013-03-14',
      address: '12 Canal Street, Northbridge',
      involved: [school, socialCare],
    });
    await app.factories.children.identifier(childId, IdentifierScheme.UPN, upn, school);
    return { localAuthority, school, socialCare, dsl, teacher, socialWorker, upn, childId };
  }

  const countOf = async (sql: string, values: unknown[]) =>
    ((await app.dataSource.query(sql, values)) as Array<{ count: number }>)[0].count;

  const notificationsOf = async (who: SignedIn) =>
    (await who.client.ok(NOTIFICATIONS)).notifications as Array<{ id: string; kind: string; childId: string }>;

  describe('a school practitioner registering with another child’s UPN and made-up names', () => {
    let known: Awaited<ReturnType<typeof knownChild>>;
    let otherSchool: TestAgency;
    let requester: SignedIn;
    let requesterLead: SignedIn;
    let requestId: string;

    beforeAll(async () => {
      known = await knownChild();
      otherSchool = await app.factories.agency({ kind: AgencyKind.SCHOOL, localAuthority: known.localAuthority });
      requester = await app.factories.signedIn({ agency: otherSchool, roles: [Role.PRACTITIONER] });
      requesterLead = await app.factories.signedIn({ agency: otherSchool, roles: [Role.SAFEGUARDING_LEAD] });
    });

    it('gets a PENDING request and child: null; nothing is created and the child stays NOT_FOUND', async () => {
      const childrenBefore = await countOf(`SELECT count(*)::int AS count FROM child`, []);
      const identifiers = [
        { scheme: 'UPN', value: known.upn },
        { scheme: 'LOCAL_AUTHORITY', value: `LA-${known.localAuthority}` },
      ];
      // A scheme a school does not record is refused before any matching, so nothing is filed that could later
      // plant an NHS number on the record.
      const withNhsNumber = await requester.client.query(REGISTER, {
        input: {
          givenName: 'Made',
          familyName: 'Up',
          basis: 'PUPIL',
          reason: REASON,
          identifiers: [...identifiers, { scheme: 'NHS_NUMBER', value: '943 476 5919' }],
        },
      });
      expect(codeOf(withNhsNumber)).toBe('BAD_USER_INPUT');
      expect(withNhsNumber.errors![0].extensions!.field).toBe('input.identifiers[2].scheme');
      expect(
        await countOf(`SELECT count(*)::int AS count FROM involvement_request WHERE child_id = $1`, [known.childId]),
      ).toBe(0);

      const { registerChild } = await requester.client.ok(REGISTER, {
        input: { givenName: 'Made', familyName: 'Up', basis: 'PUPIL', reason: REASON, identifiers },
      });
      expect(registerChild.child).toBeNull();
      expect(registerChild.possibleMatches).toEqual([]);
      expect(registerChild.involvementRequest).toMatchObject({
        status: 'PENDING',
        basis: 'PUPIL',
        reason: REASON,
        requestingAgency: { id: otherSchool.id },
        requestedBy: { id: requester.user.id },
        decidedBy: null,
        match: {
          childId: known.childId,
          score: 1,
          matchedOn: ['identifier:UPN'],
          initials: 'KT',
          birthYear: 2013,
        },
      });
      expect(
        registerChild.involvementRequest.match.involvedAgencies.map((agency: { id: string }) => agency.id).sort(),
      ).toEqual([known.school.id, known.socialCare.id].sort());
      requestId = registerChild.involvementRequest.id;

      expect(await countOf(`SELECT count(*)::int AS count FROM child`, [])).toBe(childrenBefore);
      expect(
        await countOf(`SELECT count(*)::int AS count FROM involvement WHERE agency_id = $1`, [otherSchool.id]),
      ).toBe(0);
      expect(
        await countOf(`SELECT count(*)::int AS count FROM child_identifier WHERE child_id = $1`, [known.childId]),
      ).toBe(1);
      expect((await requester.client.ok(CHILD, { id: known.childId })).child).toBeNull();
    });

    it('notifies the leads of the school and of children’s social care involved, and nobody else', async () => {
      for (const lead of [known.dsl, known.socialWorker]) {
        expect(await notificationsOf(lead)).toEqual([
          expect.objectContaining({ kind: 'INVOLVEMENT_REQUESTED', childId: known.childId }),
        ]);
      }
      expect(await notificationsOf(known.teacher)).toEqual([]);
      expect(await notificationsOf(requester)).toEqual([]);
      expect(await notificationsOf(requesterLead)).toEqual([]);
    });

    it('the deciders see the request with the child; the requester sees it with child: null', async () => {
      const forDsl = (await known.dsl.client.ok(REQUESTS, { status: 'PENDING' })).involvementRequests;
      expect(forDsl).toEqual([
        expect.objectContaining({ id: requestId, child: { id: known.childId, accessRoute: 'INVOLVED' } }),
      ]);
      const forRequester = (await requester.client.ok(REQUESTS)).involvementRequests;
      expect(forRequester).toEqual([expect.objectContaining({ id: requestId, child: null, status: 'PENDING' })]);
      // A practitioner of an involved agency decides nothing, and is not asked.
      expect((await known.teacher.client.ok(REQUESTS)).involvementRequests).toEqual([]);
      const [event] = await app.dataSource.query(
        `SELECT action, subject_id, child_id, route FROM audit_event
          WHERE action = 'involvementRequests' AND user_id = $1`,
        [requester.user.id],
      );
      expect(event).toEqual({
        action: 'involvementRequests',
        subject_id: requestId,
        child_id: known.childId,
        route: null,
      });
    });

    it('registering again answers the same pending request, and asks nobody twice', async () => {
      const { registerChild } = await requester.client.ok(REGISTER, {
        input: {
          givenName: 'Kai',
          familyName: 'T',
          basis: 'PUPIL',
          reason: REASON,
          identifiers: [{ scheme: 'UPN', value: known.upn }],
        },
      });
      expect(registerChild.involvementRequest.id).toBe(requestId);
      expect(await notificationsOf(known.dsl)).toHaveLength(1);
    });

    it('the requesting agency cannot decide its own request, even by its lead', async () => {
      const refused = await requesterLead.client.query(DECIDE, { id: requestId, accept: true, note: '' });
      expect(codeOf(refused)).toBe('FORBIDDEN');
    });

    it('while pending, the requester may record a concern the involved agencies see', async () => {
      const { recordConcern } = await requester.client.ok(RECORD_CONCERN, {
        input: {
          childId: known.childId,
          occurredAt: new Date(Date.now() - 3600_000).toISOString(),
          category: 'CRIMINAL_EXPLOITATION',
          indicators: [],
          recruitmentSetting: 'SECONDARY_SCHOOL',
          riskLevel: 'HIGH',
          sensitivity: 'STANDARD',
          narrative: 'Seen handing packages to older boys at the school gate.',
        },
      });
      expect(recordConcern).toMatchObject({ agency: { id: otherSchool.id } });
      const seen = (await known.dsl.client.ok(CHILD, { id: known.childId })).child.concerns.edges;
      expect(seen.map((edge: { node: { id: string } }) => edge.node.id)).toContain(recordConcern.id);
      // Asking for the child in the answer is NOT_FOUND, and, as with any failed mutation, records nothing.
      const withChild = await requester.client.query(
        `mutation ($input: RecordConcernInput!) { recordConcern(input: $input) { id child { id } } }`,
        {
          input: {
            childId: known.childId,
            occurredAt: new Date().toISOString(),
            category: 'OTHER',
            indicators: [],
            recruitmentSetting: 'UNKNOWN',
            riskLevel: 'LOW',
            sensitivity: 'STANDARD',
            narrative: 'A second note.',
          },
        },
      );
      expect(codeOf(withChild)).toBe('NOT_FOUND');
      expect(await countOf(`SELECT count(*)::int AS count FROM concern WHERE agency_id = $1`, [otherSchool.id])).toBe(
        1,
      );
    });

    it('after a lead accepts, the requester reads by INVOLVED with the identifiers it may record', async () => {
      const { decideInvolvementRequest } = await known.socialWorker.client.ok(DECIDE, {
        id: requestId,
        accept: true,
        note: 'Known to us; the school should be involved.',
      });
      expect(decideInvolvementRequest).toMatchObject({
        status: 'ACCEPTED',
        decidedBy: { id: known.socialWorker.user.id },
      });

      const { child } = await requester.client.ok(CHILD, { id: known.childId });
      expect(child.accessRoute).toBe('INVOLVED');
      expect(child.involvements).toContainEqual({ agency: { id: otherSchool.id }, basis: 'PUPIL' });
      // The identifiers it gave, all of schemes a school records, joined the record: the local-authority reference
      // is new, the UPN it matched on was there already.
      const schemes = await app.dataSource.query(
        `SELECT scheme FROM child_identifier WHERE child_id = $1 ORDER BY scheme`,
        [known.childId],
      );
      expect(schemes.map((row: { scheme: string }) => row.scheme)).toEqual(['LOCAL_AUTHORITY', 'UPN']);
      // The reference that joined is audited as the decider's act, with its scheme and never its number.
      const [reference] = await app.dataSource.query(
        `SELECT id, value FROM child_identifier WHERE child_id = $1 AND scheme = 'LOCAL_AUTHORITY'`,
        [known.childId],
      );
      const added = await app.dataSource.query(
        `SELECT user_id, agency_id, subject_type, subject_id, purpose, route FROM audit_event
          WHERE child_id = $1 AND action = 'addIdentifier'`,
        [known.childId],
      );
      expect(added).toEqual([
        {
          user_id: known.socialWorker.user.id,
          agency_id: known.socialCare.id,
          subject_type: 'ChildIdentifier',
          subject_id: reference.id,
          purpose: 'LOCAL_AUTHORITY',
          route: 'INVOLVED',
        },
      ]);
      expect(JSON.stringify(added)).not.toContain(reference.value);
      expect(await notificationsOf(requester)).toEqual([
        expect.objectContaining({ kind: 'INVOLVEMENT_DECIDED', childId: known.childId }),
      ]);
      const forRequester = (await requester.client.ok(REQUESTS)).involvementRequests;
      expect(forRequester[0]).toMatchObject({
        status: 'ACCEPTED',
        child: { id: known.childId, accessRoute: 'INVOLVED' },
      });
      const actions = await app.dataSource.query(
        `SELECT action FROM audit_event WHERE child_id = $1 AND subject_id IN ($2, $3) ORDER BY seq`,
        [known.childId, requestId, requestId],
      );
      expect(actions.map((row: { action: string }) => row.action)).toEqual(
        expect.arrayContaining(['requestInvolvement', 'acceptInvolvementRequest']),
      );
    });

    it('deciding twice is FAILED_PRECONDITION', async () => {
      const again = await known.dsl.client.query(DECIDE, { id: requestId, accept: false, note: 'Changed our mind.' });
      expect(codeOf(again)).toBe('FAILED_PRECONDITION');
    });

    it('an agency now involved asking again is FAILED_PRECONDITION', async () => {
      const again = await requester.client.query(REQUEST, {
        input: { childId: known.childId, basis: 'PUPIL', reason: REASON },
      });
      expect(codeOf(again)).toBe('FAILED_PRECONDITION');
    });
  });

  describe('a decline', () => {
    it('needs a note, and leaves the requester with nothing but the answer', async () => {
      const known = await knownChild();
      // A youth service records local-authority references, not UPNs: it matches by the one children's services
      // gave the child.
      const reference = `LA-D-${known.childId}`;
      await app.factories.children.identifier(
        known.childId,
        IdentifierScheme.LOCAL_AUTHORITY,
        reference,
        known.socialCare,
      );
      const requester = await app.factories.signedIn({ kind: AgencyKind.YOUTH_SERVICE, roles: [Role.PRACTITIONER] });
      const { registerChild } = await requester.client.ok(REGISTER, {
        input: {
          givenName: 'Any',
          familyName: 'Name',
          basis: 'YOUTH_WORK',
          reason: REASON,
          identifiers: [{ scheme: 'LOCAL_AUTHORITY', value: reference }],
        },
      });
      const id = registerChild.involvementRequest.id;
      const withoutNote = await known.dsl.client.query(DECIDE, { id, accept: false, note: '  ' });
      expect(codeOf(withoutNote)).toBe('BAD_USER_INPUT');
      expect(withoutNote.errors![0].extensions!.field).toBe('note');

      const { decideInvolvementRequest } = await known.dsl.client.ok(DECIDE, {
        id,
        accept: false,
        note: 'We do not recognise this youth service’s work with Kai.',
      });
      expect(decideInvolvementRequest).toMatchObject({ status: 'DECLINED' });
      const [decision] = await app.dataSource.query(
        `SELECT action, purpose, user_id FROM audit_event WHERE subject_id = $1 AND action LIKE '%InvolvementRequest'`,
        [id],
      );
      expect(decision).toEqual({
        action: 'declineInvolvementRequest',
        purpose: 'We do not recognise this youth service’s work with Kai.',
        user_id: known.dsl.user.id,
      });
      expect((await requester.client.ok(CHILD, { id: known.childId })).child).toBeNull();
      const [mine] = (await requester.client.ok(REQUESTS)).involvementRequests;
      expect(mine).toMatchObject({
        status: 'DECLINED',
        child: null,
        decisionNote: expect.stringContaining('recognise'),
      });
      expect(await notificationsOf(requester)).toEqual([expect.objectContaining({ kind: 'INVOLVEMENT_DECIDED' })]);
      expect(
        await countOf(`SELECT count(*)::int AS count FROM involvement WHERE agency_id = $1`, [requester.agency!.id]),
      ).toBe(0);
    });
  });

  describe('filing needs a reason, and a child that exists', () => {
    it('a registration matching an identifier without a reason is BAD_USER_INPUT naming input.reason; nothing is filed', async () => {
      const known = await knownChild();
      const requester = await app.factories.signedIn({ kind: AgencyKind.SCHOOL, roles: [Role.PRACTITIONER] });
      for (const reason of [undefined, 'too short', '😀'.repeat(10)]) {
        const refused = await requester.client.query(REGISTER, {
          input: {
            givenName: 'A',
            familyName: 'B',
            basis: 'PUPIL',
            reason,
            identifiers: [{ scheme: 'UPN', value: known.upn }],
          },
        });
        expect(codeOf(refused)).toBe('BAD_USER_INPUT');
        expect(refused.errors![0].extensions!.field).toBe('input.reason');
      }
      expect(
        await countOf(`SELECT count(*)::int AS count FROM involvement_request WHERE child_id = $1`, [known.childId]),
      ).toBe(0);
      // Each refusal is on the child's trail although it rolled back: unseen, it would tell the school that a child
      // holds the UPN.
      const refusals = await app.dataSource.query(
        `SELECT action, subject_type, subject_id, outcome FROM audit_event WHERE child_id = $1 AND user_id = $2`,
        [known.childId, requester.user.id],
      );
      expect(refusals).toEqual(
        [1, 2, 3].map(() => ({
          action: 'registerChild',
          subject_type: 'Child',
          subject_id: known.childId,
          outcome: 'BAD_USER_INPUT',
        })),
      );
      const trail = (
        await known.dsl.client.ok(
          `query ($childId: ID!) { auditTrail(childId: $childId, first: 50) { edges { node { action outcome user { id } } } } }`,
          { childId: known.childId },
        )
      ).auditTrail.edges.map((edge: { node: unknown }) => edge.node);
      expect(trail).toContainEqual({
        action: 'registerChild',
        outcome: 'BAD_USER_INPUT',
        user: { id: requester.user.id },
      });
    });

    it('requestInvolvement for a child id that does not exist is NOT_FOUND', async () => {
      const requester = await app.factories.signedIn({ kind: AgencyKind.SCHOOL, roles: [Role.PRACTITIONER] });
      const refused = await requester.client.query(REQUEST, {
        input: { childId: '00000000-0000-4000-8000-000000000123', basis: 'PUPIL', reason: REASON },
      });
      expect(codeOf(refused)).toBe('NOT_FOUND');
    });
  });

  describe('withdrawal', () => {
    it('by the requesting agency while pending; not by a decider; not twice', async () => {
      const known = await knownChild();
      const requester = await app.factories.signedIn({ kind: AgencyKind.SCHOOL, roles: [Role.PRACTITIONER] });
      const colleague = await app.factories.signedIn({ agency: requester.agency!, roles: [Role.PRACTITIONER] });
      const { requestInvolvement } = await requester.client.ok(REQUEST, {
        input: { childId: known.childId, basis: 'PUPIL', reason: REASON },
      });
      expect(codeOf(await known.dsl.client.query(WITHDRAW, { id: requestInvolvement.id }))).toBe('FORBIDDEN');
      const { withdrawInvolvementRequest } = await colleague.client.ok(WITHDRAW, { id: requestInvolvement.id });
      expect(withdrawInvolvementRequest.status).toBe('WITHDRAWN');
      expect(codeOf(await requester.client.query(WITHDRAW, { id: requestInvolvement.id }))).toBe('FAILED_PRECONDITION');
      expect(codeOf(await known.dsl.client.query(DECIDE, { id: requestInvolvement.id, accept: true, note: '' }))).toBe(
        'FAILED_PRECONDITION',
      );
      // Someone party to nothing finds no such request.
      const stranger = await app.factories.signedIn({ kind: AgencyKind.SCHOOL, roles: [Role.SAFEGUARDING_LEAD] });
      expect(codeOf(await stranger.client.query(WITHDRAW, { id: requestInvolvement.id }))).toBe('NOT_FOUND');
    });
  });

  describe('a grantee or a break-glass user', () => {
    it('cannot turn a grant into an involvement by registering with the identifier the grant shows', async () => {
      const known = await knownChild();
      await app.factories.children.identifier(
        known.childId,
        IdentifierScheme.LOCAL_AUTHORITY,
        `LA-G-${known.childId}`,
        known.socialCare,
      );
      const police = await app.factories.agency({ kind: AgencyKind.POLICE, localAuthority: known.localAuthority });
      const officer = await app.factories.signedIn({ agency: police, roles: [Role.POLICE_OFFICER] });
      await app.factories.sharing.grant({
        childId: known.childId,
        from: known.socialCare,
        by: known.socialWorker.user,
        to: police,
      });

      const { child } = await officer.client.ok(CHILD, { id: known.childId });
      expect(child.accessRoute).toBe('GRANTED');
      const reference = child.identifiers.find(
        (identifier: { scheme: string }) => identifier.scheme === 'LOCAL_AUTHORITY',
      );
      const { registerChild } = await officer.client.ok(REGISTER, {
        input: {
          givenName: 'X',
          familyName: 'Y',
          basis: 'INVESTIGATION',
          reason: 'Suspected of running drugs for a county line we are investigating.',
          identifiers: [reference],
        },
      });
      expect(registerChild).toMatchObject({ child: null, involvementRequest: { status: 'PENDING' } });
      expect((await officer.client.ok(CHILD, { id: known.childId })).child.accessRoute).toBe('GRANTED');
      expect(await countOf(`SELECT count(*)::int AS count FROM involvement WHERE agency_id = $1`, [police.id])).toBe(0);
      // Nor by asking directly: the same pending request comes back.
      const { requestInvolvement } = await officer.client.ok(REQUEST, {
        input: {
          childId: known.childId,
          basis: 'INVESTIGATION',
          reason: 'Suspected of running drugs for a county line.',
        },
      });
      expect(requestInvolvement.id).toBe(registerChild.involvementRequest.id);
    });

    it('cannot turn break-glass into an involvement, nor decide its own request', async () => {
      const known = await knownChild();
      const police = await app.factories.agency({ kind: AgencyKind.POLICE, localAuthority: known.localAuthority });
      const officer = await app.factories.signedIn({
        agency: police,
        roles: [Role.POLICE_OFFICER, Role.SAFEGUARDING_LEAD],
      });
      await app.factories.sharing.breakGlass({ childId: known.childId, user: officer.user, agency: police });
      expect((await officer.client.ok(CHILD, { id: known.childId })).child.accessRoute).toBe('BREAK_GLASS');

      const { requestInvolvement } = await officer.client.ok(REQUEST, {
        input: { childId: known.childId, basis: 'INVESTIGATION', reason: 'Found with a known exploiter last night.' },
      });
      expect(requestInvolvement.status).toBe('PENDING');
      expect(codeOf(await officer.client.query(DECIDE, { id: requestInvolvement.id, accept: true, note: '' }))).toBe(
        'FORBIDDEN',
      );
      expect(await countOf(`SELECT count(*)::int AS count FROM involvement WHERE agency_id = $1`, [police.id])).toBe(0);
      // The involved agencies' leads decide it.
      expect(await notificationsOf(known.dsl)).toEqual([expect.objectContaining({ kind: 'INVOLVEMENT_REQUESTED' })]);
    });
  });

  describe('where no involved agency has a lead', () => {
    it('children’s social care of the requester’s local authority decides, and only it', async () => {
      const localAuthority = `Leadless ${localAuthoritySerial++}`;
      const school = await app.factories.agency({ kind: AgencyKind.SCHOOL, localAuthority });
      await app.factories.signedIn({ agency: school, roles: [Role.PRACTITIONER] });
      const childId = await app.factories.children.child({ givenName: 'Ava', familyName: 'Reid', involved: [school] });
      await app.factories.children.identifier(childId, IdentifierScheme.UPN, freshUpn(), school);
      // The youth service matches by the local-authority reference, a scheme it records (a UPN it does not).
      const reference = `LA-L-${childId}`;
      await app.factories.children.identifier(childId, IdentifierScheme.LOCAL_AUTHORITY, reference, school);
      const localCare = await app.factories.signedIn({
        agency: await app.factories.agency({ kind: AgencyKind.CHILDRENS_SOCIAL_CARE, localAuthority }),
        roles: [Role.SOCIAL_WORKER],
      });
      const elsewhere = await app.factories.signedIn({
        agency: await app.factories.agency({ kind: AgencyKind.CHILDRENS_SOCIAL_CARE, localAuthority: 'Elsewhere' }),
        roles: [Role.SOCIAL_WORKER],
      });
      const requester = await app.factories.signedIn({
        agency: await app.factories.agency({ kind: AgencyKind.YOUTH_SERVICE, localAuthority }),
        roles: [Role.PRACTITIONER],
      });
      const { registerChild } = await requester.client.ok(REGISTER, {
        input: {
          givenName: 'Ava',
          familyName: 'R',
          basis: 'YOUTH_WORK',
          reason: REASON,
          identifiers: [{ scheme: 'LOCAL_AUTHORITY', value: reference }],
        },
      });
      const id = registerChild.involvementRequest.id;
      expect(await notificationsOf(localCare)).toEqual([expect.objectContaining({ kind: 'INVOLVEMENT_REQUESTED' })]);
      expect(await notificationsOf(elsewhere)).toEqual([]);
      // It does not reach the record, so it decides on what the match discloses.
      const [seen] = (await localCare.client.ok(REQUESTS)).involvementRequests;
      expect(seen).toMatchObject({ id, child: null, match: { initials: 'AR' } });
      expect(codeOf(await elsewhere.client.query(DECIDE, { id, accept: true, note: '' }))).toBe('NOT_FOUND');
      await localCare.client.ok(DECIDE, { id, accept: true, note: '' });
      expect((await requester.client.ok(CHILD, { id: childId })).child.accessRoute).toBe('INVOLVED');
    });
  });

  describe('a likely match without identifiers', () => {
    it('answers possibleMatches and creates nothing, until the person confirms a new child', async () => {
      const known = await knownChild();
      const requester = await app.factories.signedIn({ kind: AgencyKind.YOUTH_SERVICE, roles: [Role.PRACTITIONER] });
      const input = { givenName: 'Kai', familyName: 'Thomson', dateOfBirth: '2013-03-14', basis: 'YOUTH_WORK' };
      const before = await countOf(`SELECT count(*)::int AS count FROM child`, []);
      const { registerChild } = await requester.client.ok(REGISTER, { input });
      expect(registerChild.child).toBeNull();
      expect(registerChild.involvementRequest).toBeNull();
      expect(registerChild.possibleMatches).toContainEqual(
        expect.objectContaining({ childId: known.childId, initials: 'KT', birthYear: 2013 }),
      );
      expect(await countOf(`SELECT count(*)::int AS count FROM child`, [])).toBe(before);

      const confirmed = (await requester.client.ok(REGISTER, { input: { ...input, confirmedNewChild: true } }))
        .registerChild;
      expect(confirmed).toMatchObject({
        child: { accessRoute: 'INVOLVED' },
        involvementRequest: null,
        possibleMatches: [],
      });
      expect(confirmed.child.id).not.toBe(known.childId);
    });

    it('a namesake born on another day is a new child at once', async () => {
      await knownChild();
      const requester = await app.factories.signedIn({ kind: AgencyKind.YOUTH_SERVICE, roles: [Role.PRACTITIONER] });
      const { registerChild } = await requester.client.ok(REGISTER, {
        input: { givenName: 'Kai', familyName: 'Thompson', dateOfBirth: '2012-07-01', basis: 'YOUTH_WORK' },
      });
      expect(registerChild.child).toMatchObject({ accessRoute: 'INVOLVED' });
    });
  });

  describe('notifications', () => {
    it('each person sees only their own; marking someone else’s read is NOT_FOUND', async () => {
      const known = await knownChild();
      const requester = await app.factories.signedIn({ kind: AgencyKind.SCHOOL, roles: [Role.PRACTITIONER] });
      await requester.client.ok(REQUEST, { input: { childId: known.childId, basis: 'PUPIL', reason: REASON } });
      const [forDsl] = await notificationsOf(known.dsl);
      const [forSocialWorker] = await notificationsOf(known.socialWorker);
      expect(forDsl.id).not.toBe(forSocialWorker.id);

      const refused = await known.socialWorker.client.query(MARK_READ, { id: forDsl.id });
      expect(codeOf(refused)).toBe('NOT_FOUND');
      expect(codeOf(await requester.client.query(MARK_READ, { id: 'not-an-id' }))).toBe('NOT_FOUND');

      const { markNotificationRead } = await known.dsl.client.ok(MARK_READ, { id: forDsl.id });
      expect(markNotificationRead.readAt).not.toBeNull();
      expect((await known.dsl.client.ok(NOTIFICATIONS, { unreadOnly: true })).notifications).toEqual([]);
      expect((await known.socialWorker.client.ok(NOTIFICATIONS, { unreadOnly: true })).notifications).toHaveLength(1);
    });
  });
});
