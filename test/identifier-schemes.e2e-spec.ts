import { codeOf, SignedIn, TestApp } from '../libs/testing/src';
import { AgencyKind, Role } from '../src/common/enums/agencies';
import { IdentifierScheme } from '../src/common/enums/children';

const REGISTER = `mutation ($input: RegisterChildInput!) {
  registerChild(input: $input) {
    child { id identifiers { scheme value } }
    involvementRequest { id status }
    possibleMatches { childId }
  }
}`;
const DECIDE = `mutation ($id: ID!, $accept: Boolean!, $note: String!) {
  decideInvolvementRequest(id: $id, accept: $accept, note: $note) { id status }
}`;
const CHILD = `query ($id: ID!) { child(id: $id) { id identifiers { scheme value } } }`;
const MATCHES = `query ($input: ChildMatchInput!) { possibleChildMatches(input: $input) { childId matchedOn } }`;

// Valid by its modulus-11 check digit (src/children/identifiers.spec.ts).
const NHS_NUMBER = '9434765919';

/**
 * Identifier schemes belong to their agencies (DESIGN §4): an agency records and matches only the schemes it
 * sees, so a number it may not see can neither be planted on a record nor be used to ask whether a child holds it.
 */
describe('identifier schemes', () => {
  let app: TestApp;
  let youthWorker: SignedIn;
  let socialWorker: SignedIn;
  let schoolDsl: SignedIn;
  let police: SignedIn;

  const countOf = async (sql: string, params: unknown[] = []) =>
    (await app.dataSource.query(`SELECT count(*)::int AS n FROM ${sql}`, params))[0].n as number;

  beforeAll(async () => {
    app = await TestApp.start();
    youthWorker = await app.factories.signedIn({ kind: AgencyKind.YOUTH_SERVICE, roles: [Role.PRACTITIONER] });
    socialWorker = await app.factories.signedIn({
      kind: AgencyKind.CHILDRENS_SOCIAL_CARE,
      roles: [Role.SOCIAL_WORKER],
    });
    schoolDsl = await app.factories.signedIn({ kind: AgencyKind.SCHOOL, roles: [Role.SAFEGUARDING_LEAD] });
    police = await app.factories.signedIn({ kind: AgencyKind.POLICE, roles: [Role.POLICE_OFFICER] });
  });
  afterAll(() => app.stop());

  it('a youth worker registering with a police national computer id is BAD_USER_INPUT naming the identifier', async () => {
    const children = await countOf('child');
    const result = await youthWorker.client.query(REGISTER, {
      input: {
        givenName: 'Rio',
        familyName: 'Marsh',
        basis: 'YOUTH_WORK',
        identifiers: [
          { scheme: 'LOCAL_AUTHORITY', value: 'NB-77001' },
          { scheme: 'POLICE_NATIONAL_COMPUTER', value: '26/123456A' },
        ],
      },
    });
    expect(codeOf(result)).toBe('BAD_USER_INPUT');
    expect(result.errors![0].extensions!.field).toBe('input.identifiers[1].scheme');
    expect(await countOf('child')).toBe(children);
    expect(await countOf(`child_identifier WHERE value = '26/123456A'`)).toBe(0);
  });

  it('the same id is refused whether or not a child already holds it', async () => {
    const childId = await app.factories.children.child({ involved: [police.agency!] });
    await app.factories.children.identifier(
      childId,
      IdentifierScheme.POLICE_NATIONAL_COMPUTER,
      '26/999999Z',
      police.agency!,
    );
    const attempt = (value: string) =>
      youthWorker.client.query(REGISTER, {
        input: {
          givenName: 'Rio',
          familyName: 'Marsh',
          basis: 'YOUTH_WORK',
          identifiers: [{ scheme: 'POLICE_NATIONAL_COMPUTER', value }],
        },
      });
    const known = await attempt('26/999999Z');
    const unknown = await attempt('26/000000A');
    expect(known.errors).toEqual(unknown.errors);
    expect(codeOf(known)).toBe('BAD_USER_INPUT');
  });

  it("a children's social care social worker records the NHS number, as CP-IS needs, and sees it", async () => {
    const {
      registerChild: { child: registered },
    } = await socialWorker.client.ok(REGISTER, {
      input: {
        givenName: 'Amara',
        familyName: 'Osei',
        basis: 'OPEN_CASE',
        identifiers: [
          { scheme: 'NHS_NUMBER', value: '943 476 5919' },
          { scheme: 'LOCAL_AUTHORITY', value: 'NB-55100' },
        ],
      },
    });
    expect(registered.identifiers).toEqual([
      { scheme: 'LOCAL_AUTHORITY', value: 'NB-55100' },
      { scheme: 'NHS_NUMBER', value: NHS_NUMBER },
    ]);
    const health = await app.factories.signedIn({ kind: AgencyKind.HEALTH, roles: [Role.PRACTITIONER] });
    await app.factories.children.involvement(registered.id, health.agency!);
    const seenByHealth = (await health.client.ok(CHILD, { id: registered.id })).child;
    expect(seenByHealth.identifiers).toContainEqual({ scheme: 'NHS_NUMBER', value: NHS_NUMBER });
    await app.factories.children.involvement(registered.id, schoolDsl.agency!);
    const seenBySchool = (await schoolDsl.client.ok(CHILD, { id: registered.id })).child;
    expect(seenBySchool.identifiers).toEqual([{ scheme: 'LOCAL_AUTHORITY', value: 'NB-55100' }]);
  });

  it('matching with a scheme the agency may not see is refused, so it cannot probe whether a child holds a number', async () => {
    const result = (value: string) =>
      schoolDsl.client.query(MATCHES, {
        input: { givenName: 'Amara', familyName: 'Osei', identifiers: [{ scheme: 'NHS_NUMBER', value }] },
      });
    const held = await result(NHS_NUMBER);
    expect(codeOf(held)).toBe('BAD_USER_INPUT');
    expect(held.errors![0].extensions!.field).toBe('input.identifiers[0].scheme');
    expect((await result('4000000020')).errors).toEqual(held.errors);
  });

  it("an OTHER identifier matches only for the agency that recorded it: another agency's is no evidence", async () => {
    const childId = await app.factories.children.child({
      givenName: 'Tomasz',
      familyName: 'Wrobel',
      involved: [police.agency!],
    });
    await app.factories.children.identifier(childId, IdentifierScheme.OTHER, 'HO-REF-4410', police.agency!);
    const search = {
      givenName: 'Unrelated',
      familyName: 'Person',
      identifiers: [{ scheme: 'OTHER', value: 'HO-REF-4410' }],
    };
    expect((await schoolDsl.client.ok(MATCHES, { input: search })).possibleChildMatches).toEqual([]);
    const [match] = (await police.client.ok(MATCHES, { input: search })).possibleChildMatches;
    expect(match).toEqual({ childId, matchedOn: ['identifier:OTHER'] });
  });

  describe('an identifier added to a known child is audited with its scheme, never its number', () => {
    /** The child's addIdentifier events, each checked against the identifier row it names. */
    const addedIdentifierEvents = (childId: string, value: string) =>
      app.dataSource.query(
        `SELECT action, subject_type, subject_id = (SELECT id::text FROM child_identifier WHERE value = $2)
                AS about_the_identifier, purpose, user_id, agency_id, route
           FROM audit_event WHERE child_id = $1 AND action = 'addIdentifier' ORDER BY seq`,
        [childId, value],
      );
    const mentioning = (childId: string, value: string) =>
      countOf(`audit_event WHERE child_id = $1 AND (subject_id LIKE $2 OR purpose LIKE $2)`, [childId, `%${value}%`]);

    it('by an agency already involved registering the child again', async () => {
      const {
        registerChild: { child: first },
      } = await schoolDsl.client.ok(REGISTER, {
        input: {
          givenName: 'Lena',
          familyName: 'Park',
          basis: 'PUPIL',
          identifiers: [{ scheme: 'LOCAL_AUTHORITY', value: 'NB-66200' }],
        },
      });
      await app.factories.children.involvement(first.id, socialWorker.agency!);
      const { registerChild: again } = await socialWorker.client.ok(REGISTER, {
        input: {
          givenName: 'Lena',
          familyName: 'Park',
          basis: 'OPEN_CASE',
          identifiers: [
            { scheme: 'LOCAL_AUTHORITY', value: 'NB-66200' },
            { scheme: 'NHS_NUMBER', value: '4000000020' },
          ],
        },
      });
      expect(again).toMatchObject({ child: { id: first.id }, involvementRequest: null, possibleMatches: [] });
      expect(await addedIdentifierEvents(first.id, '4000000020')).toEqual([
        {
          action: 'addIdentifier',
          subject_type: 'ChildIdentifier',
          about_the_identifier: true,
          purpose: 'NHS_NUMBER',
          user_id: socialWorker.user.id,
          agency_id: socialWorker.agency!.id,
          route: 'INVOLVED',
        },
      ]);
      expect(await mentioning(first.id, '4000000020')).toBe(0);
    });

    it('by the acceptance of an involvement request, as the deciding lead’s act', async () => {
      const childId = await app.factories.children.child({
        givenName: 'Noor',
        familyName: 'Haddad',
        involved: [schoolDsl.agency!],
      });
      await app.factories.children.identifier(childId, IdentifierScheme.LOCAL_AUTHORITY, 'NB-66300', schoolDsl.agency!);
      const { registerChild } = await police.client.ok(REGISTER, {
        input: {
          givenName: 'Noor',
          familyName: 'Haddad',
          basis: 'INVESTIGATION',
          reason: 'Found carrying drugs for a county line our officers are investigating.',
          identifiers: [
            { scheme: 'LOCAL_AUTHORITY', value: 'NB-66300' },
            { scheme: 'POLICE_NATIONAL_COMPUTER', value: '26/445566B' },
          ],
        },
      });
      expect(registerChild).toMatchObject({ child: null, involvementRequest: { status: 'PENDING' } });
      // Waiting on the request, the number is on no record and in no event.
      expect(await countOf(`child_identifier WHERE value = '26/445566B'`)).toBe(0);
      expect(await addedIdentifierEvents(childId, '26/445566B')).toEqual([]);

      await schoolDsl.client.ok(DECIDE, { id: registerChild.involvementRequest.id, accept: true, note: '' });
      expect(await addedIdentifierEvents(childId, '26/445566B')).toEqual([
        {
          action: 'addIdentifier',
          subject_type: 'ChildIdentifier',
          about_the_identifier: true,
          purpose: 'POLICE_NATIONAL_COMPUTER',
          user_id: schoolDsl.user.id,
          agency_id: schoolDsl.agency!.id,
          route: 'INVOLVED',
        },
      ]);
      expect(await mentioning(childId, '26/445566B')).toBe(0);
    });
  });
});
