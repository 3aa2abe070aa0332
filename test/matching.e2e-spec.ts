import { SignedIn, TestApp, codeOf } from '../libs/testing/src';
import { AgencyKind, Role } from '../src/common/enums/agencies';
import { InvolvementBasis } from '../src/common/enums/children';

const REGISTER = `mutation ($input: RegisterChildInput!) { registerChild(input: $input) { child { id } } }`;
const MATCHES = `query ($input: ChildMatchInput!) {
  possibleChildMatches(input: $input) { childId score matchedOn initials birthYear involvedAgencies { id kind } }
}`;

describe('matching a child to an existing record', () => {
  let app: TestApp;
  let school: SignedIn;
  let police: SignedIn;
  let otherPolice: SignedIn;
  let searcher: SignedIn;
  let kai: string;

  const register = (who: SignedIn, input: Record<string, unknown>) =>
    who.client.ok(REGISTER, { input }).then((data) => data.registerChild.child.id as string);

  beforeAll(async () => {
    app = await TestApp.start();
    school = await app.factories.signedIn({ kind: AgencyKind.SCHOOL, roles: [Role.SAFEGUARDING_LEAD] });
    police = await app.factories.signedIn({ kind: AgencyKind.POLICE, roles: [Role.POLICE_OFFICER] });
    otherPolice = await app.factories.signedIn({ kind: AgencyKind.POLICE, roles: [Role.POLICE_OFFICER] });
    searcher = await app.factories.signedIn({ kind: AgencyKind.YOUTH_SERVICE, roles: [Role.PRACTITIONER] });
    kai = await register(school, {
      givenName: 'Kai',
      familyName: 'Brennan',
      aliases: ['KB Money'],
      dateOfBirth: '2013-03-14',
      address: '12 Canal Street',
      basis: 'PUPIL',
      identifiers: [{ scheme: 'LOCAL_AUTHORITY', value: 'NB-4471' }],
    });
    await app.factories.children.involvement(kai, police.agency!, { basis: InvolvementBasis.INVESTIGATION });
    await register(school, { givenName: 'Maya', familyName: 'Okafor', dateOfBirth: '2012-07-01', basis: 'PUPIL' });
  });
  afterAll(() => app.stop());

  const matches = (who: SignedIn, input: Record<string, unknown>) =>
    who.client.ok(MATCHES, { input }).then((data) => data.possibleChildMatches);

  it('finds a child under another spelling of the name and discloses only the minimum', async () => {
    const [match, ...rest] = await matches(searcher, {
      givenName: 'Kye',
      familyName: 'Brenan',
      dateOfBirth: '2013-03-14',
    });
    expect(rest).toEqual([]);
    expect(match).toMatchObject({ childId: kai, initials: 'KB', birthYear: 2013 });
    expect(match.matchedOn).toEqual(['familyName', 'dateOfBirth']);
    expect(match.score).toBeGreaterThan(0.35);
    expect(match.score).toBeLessThan(1);
  });

  it('ranks an identifier match as certain', async () => {
    const [match] = await matches(searcher, {
      givenName: 'Someone',
      familyName: 'Else',
      identifiers: [{ scheme: 'LOCAL_AUTHORITY', value: ' NB-4471 ' }],
    });
    expect(match).toMatchObject({ childId: kai, score: 1 });
    expect(match.matchedOn).toContain('identifier:LOCAL_AUTHORITY');
  });

  it('matches on an alias', async () => {
    const [match] = await matches(searcher, { givenName: 'KB', familyName: 'Money' });
    expect(match).toMatchObject({ childId: kai });
    expect(match.matchedOn).toContain('alias');
  });

  it('tells everyone of the school, but only other police forces of the police involvement', async () => {
    const kinds = async (who: SignedIn) =>
      (await matches(who, { givenName: 'Kai', familyName: 'Brennan' }))[0].involvedAgencies.map(
        (agency: { kind: string }) => agency.kind,
      );
    expect(await kinds(searcher)).toEqual(['SCHOOL']);
    expect((await kinds(otherPolice)).sort()).toEqual(['POLICE', 'SCHOOL']);
  });

  it('lets an agency without a route find the record but not read it', async () => {
    const [match] = await matches(searcher, { givenName: 'Kai', familyName: 'Brennan' });
    expect(Object.keys(match).sort()).toEqual([
      'birthYear',
      'childId',
      'initials',
      'involvedAgencies',
      'matchedOn',
      'score',
    ]);
    const read = await searcher.client.ok(`query ($id: ID!) { child(id: $id) { id address } }`, { id: match.childId });
    expect(read.child).toBeNull();
  });

  it('finds a misspelt common name among its many namesakes, by the birth date or by how the names sound', async () => {
    const namesakes = ['Oliver', 'Olivia', 'Olive', 'Ollie', 'Oliwer'];
    for (let n = 0; n < 80; n++) {
      await app.factories.children.child({
        givenName: namesakes[n % namesakes.length],
        familyName: 'Smith',
        dateOfBirth: `2010-01-${String(1 + (n % 28)).padStart(2, '0')}`,
      });
    }
    const oliver = await app.factories.children.child({
      givenName: 'Oliver',
      familyName: 'Smith',
      dateOfBirth: '2011-05-05',
    });
    const found = await matches(searcher, { givenName: 'Oilver', familyName: 'Smith', dateOfBirth: '2011-05-05' });
    expect(found).toHaveLength(10);
    expect(found[0]).toMatchObject({ childId: oliver, matchedOn: ['familyName', 'dateOfBirth'] });
    expect(found.slice(1).every((match: { score: number }) => match.score < found[0].score)).toBe(true);

    const withoutBirthDate = await matches(searcher, { givenName: 'Oliver', familyName: 'Smith' });
    expect(withoutBirthDate).toHaveLength(10);
    expect(withoutBirthDate.map((match: { initials: string }) => match.initials)).toEqual(Array(10).fill('OS'));
  });

  it('finds nothing for a name unlike any record', async () => {
    expect(await matches(searcher, { givenName: 'Xavier', familyName: 'Quintrell' })).toEqual([]);
  });

  it('refuses an invalid identifier, naming the field', async () => {
    const result = await searcher.client.query(MATCHES, {
      input: { givenName: 'Kai', familyName: 'Brennan', identifiers: [{ scheme: 'LOCAL_AUTHORITY', value: '  ' }] },
    });
    expect(codeOf(result)).toBe('BAD_USER_INPUT');
    expect(result.errors![0].extensions!.field).toBe('input.identifiers[0].value');
  });

  it('records every search in the audit log, per child disclosed', async () => {
    await matches(searcher, { givenName: 'Kai', familyName: 'Brennan' });
    await matches(searcher, { givenName: 'Xavier', familyName: 'Quintrell' });
    const events = await app.dataSource.query(
      `SELECT child_id FROM audit_event WHERE action = 'possibleChildMatches' AND user_id = $1 ORDER BY seq DESC LIMIT 2`,
      [searcher.user.id],
    );
    expect(events).toEqual([{ child_id: null }, { child_id: kai }]);
  });

  it('is not open to an agency admin', async () => {
    const admin = await app.factories.signedIn({ agency: school.agency!, roles: [Role.AGENCY_ADMIN] });
    const result = await admin.client.query(MATCHES, { input: { givenName: 'Kai', familyName: 'Brennan' } });
    expect(codeOf(result)).toBe('FORBIDDEN');
  });
});
