import { codeOf, SignedIn, TestApp } from '../libs/testing/src';
import { AgencyKind, Role } from '../src/common/enums/agencies';
import { upnCheckLetter } from '../src/children/identifiers';
import { InvolvementBasis } from '../src/common/enums/children';
import { ConcernCategory, RiskLevel, Sensitivity } from '../src/common/enums/chronology';

const REGISTER = `mutation ($input: RegisterChildInput!) {
  registerChild(input: $input) {
    child {
      id givenName familyName address accessRoute version
      identifiers { scheme value }
      involvements { basis until agency { id kind } }
    }
    involvementRequest { status match { childId } child { id } }
  }
}`;
const CHILD = `query ($id: ID!) {
  child(id: $id) { id givenName address accessRoute version identifiers { scheme value } involvements { id agency { id } } }
}`;
const UPDATE = `mutation ($input: UpdateChildInput!) { updateChild(input: $input) { id givenName familyName version } }`;
const CHILDREN = `query ($filter: ChildFilter, $first: Int, $after: String) {
  children(filter: $filter, first: $first, after: $after) {
    edges { cursor node { id givenName familyName } }
    pageInfo { hasNextPage endCursor }
  }
}`;

// Valid by their check digit / check letter (see src/children/identifiers.spec.ts for the arithmetic).
const NHS_NUMBER = '943 476 5919';
let upnSerial = 0;
/** A fresh valid UPN per registration, its check letter computed by the DfE algorithm. */
function freshUpn(): string {
  const rest = `93820${String(upnSerial++).padStart(7, '0')}`;
  return `${upnCheckLetter(rest)}${rest}`;
}

describe('the child record', () => {
  let app: TestApp;
  let school: SignedIn;
  let police: SignedIn;
  let health: SignedIn;
  let stranger: SignedIn;

  const register = (who: SignedIn, input: Record<string, unknown>) =>
    who.client.ok(REGISTER, { input: { basis: 'PUPIL', ...input } }).then((data) => data.registerChild.child);

  beforeAll(async () => {
    app = await TestApp.start();
    school = await app.factories.signedIn({ kind: AgencyKind.SCHOOL, roles: [Role.SAFEGUARDING_LEAD] });
    police = await app.factories.signedIn({ kind: AgencyKind.POLICE, roles: [Role.POLICE_OFFICER] });
    health = await app.factories.signedIn({ kind: AgencyKind.HEALTH, roles: [Role.PRACTITIONER] });
    stranger = await app.factories.signedIn({ kind: AgencyKind.SCHOOL, roles: [Role.SAFEGUARDING_LEAD] });
  });
  afterAll(() => app.stop());

  describe('registration', () => {
    it('a school registers a pupil with a UPN; the police registering its local-authority reference ask to be involved, and see nothing yet', async () => {
      const upn = freshUpn();
      const pupil = await register(school, {
        givenName: ' Kai ',
        familyName: 'Thompson',
        dateOfBirth: '2013-03-14',
        address: '12 Canal Street, Northbridge',
        identifiers: [
          { scheme: 'UPN', value: upn.toLowerCase() },
          { scheme: 'LOCAL_AUTHORITY', value: `LA-${upn}` },
        ],
      });
      expect(pupil).toMatchObject({ givenName: 'Kai', accessRoute: 'INVOLVED', version: 1 });
      expect(pupil.identifiers).toEqual([
        { scheme: 'LOCAL_AUTHORITY', value: `LA-${upn}` },
        { scheme: 'UPN', value: upn },
      ]);

      const { registerChild: suspect } = await police.client.ok(REGISTER, {
        input: {
          givenName: 'Kai',
          familyName: 'Thomson',
          basis: 'INVESTIGATION',
          reason: 'Stopped with drugs and cash on a known county line route.',
          identifiers: [{ scheme: 'LOCAL_AUTHORITY', value: `LA-${upn}` }],
        },
      });
      expect(suspect).toEqual({
        child: null,
        involvementRequest: { status: 'PENDING', match: { childId: pupil.id }, child: null },
      });
      const { child } = await school.client.ok(CHILD, { id: pupil.id });
      expect(child.involvements.map((i: { agency: { id: string } }) => i.agency.id)).toEqual([school.agency!.id]);
      const [{ count }] = await app.dataSource.query(
        `SELECT count(*)::int AS count FROM child c JOIN child_identifier ci ON ci.child_id = c.id WHERE ci.value = $1`,
        [upn],
      );
      expect(count).toBe(1);
    });

    it('registering the same child twice does not give an agency a second open involvement', async () => {
      const upn = freshUpn();
      const first = await register(school, {
        givenName: 'Ava',
        familyName: 'Reid',
        identifiers: [{ scheme: 'UPN', value: upn }],
      });
      const again = await register(school, {
        givenName: 'Ava',
        familyName: 'Reid',
        identifiers: [{ scheme: 'UPN', value: upn }],
      });
      expect(again).toMatchObject({ id: first.id });
      expect(again.involvements).toHaveLength(1);
    });

    it('an invalid NHS number is BAD_USER_INPUT naming the field, and nothing is written', async () => {
      const [{ before }] = await app.dataSource.query(`SELECT count(*)::int AS before FROM child`);
      const result = await health.client.query(REGISTER, {
        input: {
          givenName: 'Mia',
          familyName: 'Jones',
          basis: 'HEALTH_CARE',
          identifiers: [
            { scheme: 'LOCAL_AUTHORITY', value: `LA-${freshUpn()}` },
            { scheme: 'NHS_NUMBER', value: '943 476 5918' },
          ],
        },
      });
      expect(codeOf(result)).toBe('BAD_USER_INPUT');
      expect(result.errors![0].extensions!.field).toBe('input.identifiers[1].value');
      const [{ after }] = await app.dataSource.query(`SELECT count(*)::int AS after FROM child`);
      expect(after).toBe(before);
    });

    it('a date of birth in the future is BAD_USER_INPUT naming the field', async () => {
      const result = await school.client.query(REGISTER, {
        input: { givenName: 'Mia', familyName: 'Jones', basis: 'PUPIL', dateOfBirth: '2999-01-01' },
      });
      expect(codeOf(result)).toBe('BAD_USER_INPUT');
      expect(result.errors![0].extensions!.field).toBe('input.dateOfBirth');
    });

    it('an invalid UPN is BAD_USER_INPUT naming the field', async () => {
      const result = await school.client.query(REGISTER, {
        input: {
          givenName: 'Mia',
          familyName: 'Jones',
          basis: 'PUPIL',
          identifiers: [{ scheme: 'UPN', value: 'A201401200001' }],
        },
      });
      expect(codeOf(result)).toBe('BAD_USER_INPUT');
      expect(result.errors![0].extensions!.field).toBe('input.identifiers[0].value');
    });

    it('identifiers belonging to two different children are a CONFLICT', async () => {
      const a = freshUpn();
      await register(school, { givenName: 'Leo', familyName: 'Hart', identifiers: [{ scheme: 'UPN', value: a }] });
      await register(health, {
        givenName: 'Leon',
        familyName: 'Hart',
        basis: 'HEALTH_CARE',
        identifiers: [{ scheme: 'LOCAL_AUTHORITY', value: `LA-${a}` }],
      });
      const result = await school.client.query(REGISTER, {
        input: {
          givenName: 'Leo',
          familyName: 'Hart',
          basis: 'PUPIL',
          identifiers: [
            { scheme: 'UPN', value: a },
            { scheme: 'LOCAL_AUTHORITY', value: `LA-${a}` },
          ],
        },
      });
      expect(codeOf(result)).toBe('CONFLICT');
    });

    it('an agency admin, an analyst and a prosecutor may not register a child', async () => {
      for (const roles of [[Role.AGENCY_ADMIN], [Role.ANALYST]]) {
        const someone = await app.factories.signedIn({ kind: AgencyKind.SCHOOL, roles });
        const result = await someone.client.query(REGISTER, {
          input: { givenName: 'X', familyName: 'Y', basis: 'PUPIL' },
        });
        expect(codeOf(result)).toBe('FORBIDDEN');
      }
      const prosecutor = await app.factories.signedIn({ kind: AgencyKind.PROSECUTION, roles: [Role.PROSECUTOR] });
      const result = await prosecutor.client.query(REGISTER, {
        input: { givenName: 'X', familyName: 'Y', basis: 'INVESTIGATION' },
      });
      expect(codeOf(result)).toBe('FORBIDDEN');
    });
  });

  describe('what each agency sees', () => {
    let childId: string;

    beforeAll(async () => {
      const upn = freshUpn();
      const child = await register(school, {
        givenName: 'Noah',
        familyName: 'Adeyemi',
        address: '3 Mill Lane, Northbridge',
        identifiers: [
          { scheme: 'UPN', value: upn },
          { scheme: 'LOCAL_AUTHORITY', value: 'NB-000123' },
          { scheme: 'OTHER', value: 'HO-REF-77' },
        ],
      });
      childId = child.id;
      await app.factories.children.involvement(childId, health.agency!, { basis: InvolvementBasis.HEALTH_CARE });
      // An agency involved already records the scheme it works in by registering the child again.
      await register(health, {
        givenName: 'Noah',
        familyName: 'Adeyemi',
        basis: 'HEALTH_CARE',
        identifiers: [
          { scheme: 'LOCAL_AUTHORITY', value: 'NB-000123' },
          { scheme: 'NHS_NUMBER', value: NHS_NUMBER },
        ],
      });
    });

    it('the NHS number is visible to a health agency and absent for the school', async () => {
      const seenByHealth = (await health.client.ok(CHILD, { id: childId })).child;
      expect(seenByHealth.identifiers).toEqual([
        { scheme: 'LOCAL_AUTHORITY', value: 'NB-000123' },
        { scheme: 'NHS_NUMBER', value: '9434765919' },
      ]);
      const seenBySchool = (await school.client.ok(CHILD, { id: childId })).child;
      expect(seenBySchool.identifiers.map((i: { scheme: string }) => i.scheme)).toEqual([
        'LOCAL_AUTHORITY',
        'OTHER',
        'UPN',
      ]);
    });

    it('an involved agency sees the address; an agency without an involvement sees no child at all', async () => {
      expect((await school.client.ok(CHILD, { id: childId })).child.address).toBe('3 Mill Lane, Northbridge');
      expect((await stranger.client.ok(CHILD, { id: childId })).child).toBeNull();
    });

    it('an agency with no route finds the child neither by id nor in the list', async () => {
      expect((await stranger.client.ok(CHILD, { id: childId })).child).toBeNull();
      const list = (await stranger.client.ok(CHILDREN, { first: 100 })).children;
      expect(list.edges.map((edge: { node: { id: string } }) => edge.node.id)).not.toContain(childId);
      const search = (await stranger.client.ok(CHILDREN, { filter: { search: 'Adeyemi' } })).children;
      expect(search.edges).toEqual([]);
    });

    it('mutations on a child the agency does not reach are NOT_FOUND', async () => {
      const result = await stranger.client.query(UPDATE, { input: { id: childId, version: 1, givenName: 'Changed' } });
      expect(codeOf(result)).toBe('NOT_FOUND');
      const seen = (await school.client.ok(CHILD, { id: childId })).child;
      const ended = await stranger.client.query(
        `mutation ($id: ID!) { endInvolvement(involvementId: $id, until: "2030-01-01") { id } }`,
        { id: seen.involvements[0].id },
      );
      expect(codeOf(ended)).toBe('NOT_FOUND');
    });

    it('an agency may not end another agency’s involvement', async () => {
      const seen = (await school.client.ok(CHILD, { id: childId })).child;
      const healthInvolvement = seen.involvements.find(
        (i: { agency: { id: string } }) => i.agency.id === health.agency!.id,
      );
      const result = await school.client.query(
        `mutation ($id: ID!) { endInvolvement(involvementId: $id, until: "2030-01-01") { id } }`,
        { id: healthInvolvement.id },
      );
      expect(codeOf(result)).toBe('FORBIDDEN');
    });

    it('a platform admin, an agency admin and an analyst have no child access at all', async () => {
      const admin = await app.factories.platformAdmin();
      const agencyAdmin = await app.factories.signedIn({ agency: school.agency!, roles: [Role.AGENCY_ADMIN] });
      const analyst = await app.factories.signedIn({ agency: school.agency!, roles: [Role.ANALYST] });
      for (const who of [admin, agencyAdmin, analyst]) {
        expect(codeOf(await who.client.query(CHILD, { id: childId }))).toBe('FORBIDDEN');
        expect(codeOf(await who.client.query(CHILDREN, {}))).toBe('FORBIDDEN');
      }
    });

    it('unknown and malformed ids are simply null', async () => {
      expect((await school.client.ok(CHILD, { id: '00000000-0000-4000-8000-000000000000' })).child).toBeNull();
      expect((await school.client.ok(CHILD, { id: 'not-a-uuid' })).child).toBeNull();
    });
  });

  describe('ending an involvement', () => {
    it('ends the agency’s access from the day it ends', async () => {
      const youth = await app.factories.signedIn({ kind: AgencyKind.YOUTH_SERVICE, roles: [Role.PRACTITIONER] });
      const child = await register(youth, { givenName: 'Ella', familyName: 'Marsh', basis: 'YOUTH_WORK' });
      const [involvement] = child.involvements;
      expect(involvement.until).toBeNull();
      const today = new Date().toISOString().slice(0, 10);
      const before = await youth.client.query(
        `mutation ($id: ID!, $until: Date!) { endInvolvement(involvementId: $id, until: $until) { id until } }`,
        { id: (await youth.client.ok(CHILD, { id: child.id })).child.involvements[0].id, until: '2000-01-01' },
      );
      expect(codeOf(before)).toBe('BAD_USER_INPUT');
      const ended = await youth.client.ok(
        `mutation ($id: ID!, $until: Date!) { endInvolvement(involvementId: $id, until: $until) { until } }`,
        { id: (await youth.client.ok(CHILD, { id: child.id })).child.involvements[0].id, until: today },
      );
      expect(ended.endInvolvement.until).toBe(today);
      expect((await youth.client.ok(CHILD, { id: child.id })).child).toBeNull();
    });
  });

  describe('updates without lost work', () => {
    it('ten concurrent updates of the same version: exactly one succeeds, nine get CONFLICT, nothing is lost', async () => {
      const child = await register(school, { givenName: 'Zara', familyName: 'Patel' });
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          school.client.query(UPDATE, { input: { id: child.id, version: child.version, givenName: `Zara ${i}` } }),
        ),
      );
      const winners = results.filter((result) => !result.errors);
      expect(winners).toHaveLength(1);
      expect(results.filter((result) => codeOf(result) === 'CONFLICT')).toHaveLength(9);
      const after = (await school.client.ok(CHILD, { id: child.id })).child;
      expect(after).toMatchObject({ givenName: winners[0].data!.updateChild.givenName, version: child.version + 1 });
    });

    it('a stale version changes nothing', async () => {
      const child = await register(school, { givenName: 'Ruby', familyName: 'Khan' });
      await school.client.ok(UPDATE, { input: { id: child.id, version: 1, familyName: 'Khan-Ali' } });
      const stale = await school.client.query(UPDATE, { input: { id: child.id, version: 1, givenName: 'Rubi' } });
      expect(codeOf(stale)).toBe('CONFLICT');
      expect((await school.client.ok(CHILD, { id: child.id })).child).toMatchObject({ givenName: 'Ruby', version: 2 });
    });
  });

  describe('filters over the chronology see only what the viewer may see', () => {
    let childId: string;
    const ids = async (who: SignedIn, filter: Record<string, unknown>) =>
      (await who.client.ok(CHILDREN, { filter, first: 100 })).children.edges.map((edge: any) => edge.node.id);

    beforeAll(async () => {
      const upn = freshUpn();
      childId = (
        await register(school, {
          givenName: 'Jay',
          familyName: 'Okoro',
          identifiers: [{ scheme: 'LOCAL_AUTHORITY', value: `LA-${upn}` }],
        })
      ).id;
      await app.factories.children.involvement(childId, police.agency!, { basis: InvolvementBasis.INVESTIGATION });
      await police.client.ok(`mutation ($input: RecordConcernInput!) { recordConcern(input: $input) { id } }`, {
        input: {
          childId,
          occurredAt: '2026-11-01T22:00:00Z',
          category: 'COUNTY_LINES',
          indicators: ['DRUGS_OR_PARAPHERNALIA', 'FOUND_OUT_OF_AREA'],
          recruitmentSetting: 'STREET',
          riskLevel: 'HIGH',
          sensitivity: 'POLICE_RESTRICTED',
          narrative: 'Stopped 80 miles from home with wraps and cash.',
        },
      });
      const assess = `mutation ($input: RecordRiskAssessmentInput!) { recordRiskAssessment(input: $input) { id } }`;
      await school.client.ok(assess, {
        input: {
          childId,
          level: 'HIGH',
          exploitationTypes: ['CRIMINAL_EXPLOITATION'],
          rationale: 'Gate, phones, trainers.',
        },
      });
      // Police officers do not assess risk on the platform; a restricted assessment by the force is arranged directly.
      await app.factories.riskAssessment({
        childId,
        by: police,
        level: RiskLevel.CRITICAL,
        exploitationTypes: [ConcernCategory.COUNTY_LINES],
        rationale: 'Linked to a county line.',
        sensitivity: Sensitivity.POLICE_RESTRICTED,
      });
    });

    it('a category found only in a police-restricted concern does not reveal the child to the school', async () => {
      expect(await ids(school, { category: 'COUNTY_LINES' })).not.toContain(childId);
      expect(await ids(police, { category: 'COUNTY_LINES' })).toEqual([childId]);
    });

    it('minimum risk is judged on the latest assessment the viewer may see', async () => {
      expect(await ids(school, { minRisk: 'HIGH' })).toContain(childId);
      expect(await ids(school, { minRisk: 'CRITICAL' })).not.toContain(childId);
      expect(await ids(police, { minRisk: 'CRITICAL' })).toEqual([childId]);
    });
  });

  describe('lists', () => {
    let lister: SignedIn;

    beforeAll(async () => {
      lister = await app.factories.signedIn({ kind: AgencyKind.CHILDRENS_SOCIAL_CARE, roles: [Role.SOCIAL_WORKER] });
      const names = [
        ['Amara', 'Bello', ['Mara Bello']],
        ['Ben', 'Carter', []],
        ['Chloe', 'Carter', []],
        ['Dylan', 'Evans', ['Dill Evans']],
        ['Erin', 'Foster', []],
      ] as const;
      for (const [givenName, familyName, aliases] of names) {
        await register(lister, { givenName, familyName, aliases: [...aliases], basis: 'OPEN_CASE' });
      }
    });

    it('pages by family name, given name with an opaque cursor, each child once', async () => {
      const seen: string[] = [];
      let after: string | null = null;
      for (;;) {
        const page: any = (await lister.client.ok(CHILDREN, { first: 2, after })).children;
        seen.push(...page.edges.map((edge: any) => `${edge.node.familyName} ${edge.node.givenName}`));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(seen).toEqual(['Bello Amara', 'Carter Ben', 'Carter Chloe', 'Evans Dylan', 'Foster Erin']);
    });

    it('searches names and aliases, words in any order', async () => {
      const names = async (search: string) =>
        (await lister.client.ok(CHILDREN, { filter: { search } })).children.edges.map(
          (edge: any) => edge.node.givenName,
        );
      expect(await names('carter')).toEqual(['Ben', 'Chloe']);
      expect(await names('carter chl')).toEqual(['Chloe']);
      expect(await names('Dill')).toEqual(['Dylan']);
      expect(await names('50%_')).toEqual([]);
    });

    it('filters by flag', async () => {
      const [{ id }] = await app.dataSource.query(
        `SELECT id FROM child WHERE given_name = 'Erin' AND family_name = 'Foster'`,
      );
      await app.dataSource.query(`UPDATE child SET flags = '{UNDER_CHILD_PROTECTION_PLAN}' WHERE id = $1`, [id]);
      const page = (await lister.client.ok(CHILDREN, { filter: { flag: 'UNDER_CHILD_PROTECTION_PLAN' } })).children;
      expect(page.edges.map((edge: any) => edge.node.id)).toEqual([id]);
    });

    it('refuses a page size out of range and a cursor it did not issue', async () => {
      expect(codeOf(await lister.client.query(CHILDREN, { first: 0 }))).toBe('BAD_USER_INPUT');
      expect(codeOf(await lister.client.query(CHILDREN, { first: 101 }))).toBe('BAD_USER_INPUT');
      expect(codeOf(await lister.client.query(CHILDREN, { after: 'bm90LWEtY3Vyc29y' }))).toBe('BAD_USER_INPUT');
    });
  });
});
