import { AgencyKind, Role } from '../src/common/enums/agencies';
import { ConcernCategory, RecruitmentSetting, Sensitivity } from '../src/common/enums/chronology';
import { codeOf, SignedIn, TestAgency, TestApp } from '../libs/testing/src';

const STATISTICS = `query Statistics($from: Date!, $to: Date!, $localAuthority: String) {
  exploitationStatistics(from: $from, to: $to, localAuthority: $localAuthority) {
    from to concerns
    byCategory { key count suppressed }
    byRecruitmentSetting { key count suppressed }
    byAgencyKind { key count suppressed }
  }
}`;

const CIN = `query Cin($id: ID!) { child(id: $id) { suggestedCinFactors { code label } } }`;

interface Cell {
  key: string;
  count: number | null;
  suppressed: boolean;
}

/** The cells that are not an unsuppressed zero, by key. */
const nonZero = (cells: Cell[]) =>
  Object.fromEntries(cells.filter((cell) => cell.suppressed || cell.count !== 0).map((cell) => [cell.key, cell.count]));
const suppressedKeys = (cells: Cell[]) =>
  cells
    .filter((cell) => cell.suppressed)
    .map((cell) => cell.key)
    .sort();

describe('exploitation statistics', () => {
  let app: TestApp;
  let analyst: SignedIn;
  let school: TestAgency;
  let dsl: SignedIn;

  beforeAll(async () => {
    app = await TestApp.start();
    const f = app.factories;
    const inArea = (kind: AgencyKind) => f.agency({ kind, localAuthority: 'Northbridge' });
    const [schoolAgency, police, health, youth, elsewhere] = await Promise.all([
      inArea(AgencyKind.SCHOOL),
      inArea(AgencyKind.POLICE),
      inArea(AgencyKind.HEALTH),
      inArea(AgencyKind.YOUTH_SERVICE),
      f.agency({ kind: AgencyKind.POLICE, localAuthority: 'Southport' }),
    ]);
    school = schoolAgency;
    const author = async (agency: TestAgency) => ({ user: await f.user({ agency }), agency });
    const [bySchool, byPolice, byHealth, byYouth, byElsewhere] = await Promise.all(
      [school, police, health, youth, elsewhere].map(author),
    );
    analyst = await f.signedIn({ kind: AgencyKind.CHILDRENS_SOCIAL_CARE, roles: [Role.ANALYST] });
    dsl = await f.signedIn({ agency: school, roles: [Role.SAFEGUARDING_LEAD] });
    // The analyst's own agency is involved with the child: still no route opens for an analyst.
    const child = await f.children.child({ involved: [school, analyst.agency!] });

    /** `count` concerns on the child, each a day apart from `first` (an instant in March 2026). */
    async function concerns(
      count: number,
      by: { user: { id: string }; agency: TestAgency },
      category: ConcernCategory,
      recruitmentSetting: RecruitmentSetting,
      first = '2026-03-02T10:00:00Z',
      sensitivity = Sensitivity.STANDARD,
    ) {
      const rows = [];
      for (let n = 0; n < count; n++) {
        const occurredAt = new Date(Date.parse(first) + n * 24 * 3600_000);
        rows.push(await f.concern({ childId: child, by, category, recruitmentSetting, occurredAt, sensitivity }));
      }
      return rows;
    }

    // Northbridge, March 2026, as counted (each concern once, as corrected):
    //   category:   CRIMINAL_EXPLOITATION 12, COUNTY_LINES 8, MISSING_FROM_HOME 6, SEXUAL_EXPLOITATION 3 (total 29)
    //   setting:    STREET 12, ONLINE_GAMING 8, HOME 4, CARE_HOME 3, UNKNOWN 2
    //   agency:     SCHOOL 12, POLICE 8, YOUTH_SERVICE 6, HEALTH 3
    await concerns(11, bySchool, ConcernCategory.CRIMINAL_EXPLOITATION, RecruitmentSetting.STREET);
    // A concern first recorded as sexual exploitation and corrected to criminal exploitation counts once, as corrected.
    const [mistaken] = await concerns(1, bySchool, ConcernCategory.SEXUAL_EXPLOITATION, RecruitmentSetting.STREET);
    await f.concern({
      childId: child,
      by: bySchool,
      category: ConcernCategory.CRIMINAL_EXPLOITATION,
      recruitmentSetting: RecruitmentSetting.STREET,
      occurredAt: mistaken.occurredAt,
      amendsConcernId: mistaken.id,
    });
    // A March concern whose correction moved it into April is April's.
    const [moved] = await concerns(1, bySchool, ConcernCategory.CRIMINAL_EXPLOITATION, RecruitmentSetting.STREET);
    await f.concern({
      childId: child,
      by: bySchool,
      category: ConcernCategory.CRIMINAL_EXPLOITATION,
      occurredAt: new Date('2026-04-05T10:00:00Z'),
      amendsConcernId: moved.id,
    });
    // Seven county-lines concerns from 1 March, the eighth on 31 March (British Summer Time: 00:30 on the 31st).
    await concerns(7, byPolice, ConcernCategory.COUNTY_LINES, RecruitmentSetting.ONLINE_GAMING, '2026-03-01T00:10:00Z');
    await concerns(
      1,
      byPolice,
      ConcernCategory.COUNTY_LINES,
      RecruitmentSetting.ONLINE_GAMING,
      '2026-03-30T23:30:00Z',
      Sensitivity.POLICE_RESTRICTED,
    );
    await concerns(3, byHealth, ConcernCategory.SEXUAL_EXPLOITATION, RecruitmentSetting.CARE_HOME);
    await concerns(4, byYouth, ConcernCategory.MISSING_FROM_HOME, RecruitmentSetting.HOME);
    await concerns(2, byYouth, ConcernCategory.MISSING_FROM_HOME, RecruitmentSetting.UNKNOWN);
    // Outside March in England: 23:30 UTC on 28 February is still February; 23:30 UTC on 31 March is 1 April.
    await concerns(1, byPolice, ConcernCategory.COUNTY_LINES, RecruitmentSetting.STREET, '2026-02-28T23:30:00Z');
    await concerns(1, byPolice, ConcernCategory.COUNTY_LINES, RecruitmentSetting.STREET, '2026-03-31T23:30:00Z');
    // Another area.
    await concerns(5, byElsewhere, ConcernCategory.TRAFFICKING, RecruitmentSetting.STREET);
  });
  afterAll(() => app.stop());

  const march = (who: SignedIn, localAuthority: string | null = 'Northbridge', to = '2026-03-31') =>
    who.client.query(STATISTICS, { from: '2026-03-01', to, localAuthority });

  it('counts exactly the fixture, rounded to 5, with the small cells and their complements suppressed', async () => {
    const stats = (await march(analyst)).data!.exploitationStatistics;
    expect(stats).toMatchObject({ from: '2026-03-01', to: '2026-03-31', concerns: 30 });
    // Primary: SEXUAL_EXPLOITATION (3); secondary: MISSING_FROM_HOME (6), the next smallest.
    expect(nonZero(stats.byCategory)).toEqual({
      CRIMINAL_EXPLOITATION: 10,
      COUNTY_LINES: 10,
      SEXUAL_EXPLOITATION: null,
      MISSING_FROM_HOME: null,
    });
    expect(suppressedKeys(stats.byCategory)).toEqual(['MISSING_FROM_HOME', 'SEXUAL_EXPLOITATION']);
    // Three small cells protect each other: no complement is needed.
    expect(nonZero(stats.byRecruitmentSetting)).toEqual({
      STREET: 10,
      ONLINE_GAMING: 10,
      HOME: null,
      CARE_HOME: null,
      UNKNOWN: null,
    });
    // Primary: HEALTH (3); secondary: YOUTH_SERVICE (6).
    expect(nonZero(stats.byAgencyKind)).toEqual({ SCHOOL: 10, POLICE: 10, YOUTH_SERVICE: null, HEALTH: null });
  });

  it('answers one cell for every category, setting and agency kind, zeros included', async () => {
    const stats = (await march(analyst)).data!.exploitationStatistics;
    expect(stats.byCategory.map((cell: Cell) => cell.key)).toEqual(Object.values(ConcernCategory));
    expect(stats.byRecruitmentSetting.map((cell: Cell) => cell.key)).toEqual(Object.values(RecruitmentSetting));
    expect(stats.byAgencyKind.map((cell: Cell) => cell.key)).toEqual(Object.values(AgencyKind));
    expect(stats.byCategory.find((cell: Cell) => cell.key === 'NEGLECT')).toEqual({
      key: 'NEGLECT',
      count: 0,
      suppressed: false,
    });
  });

  it('an overlapping range does not give away the day between them by subtraction', async () => {
    // 1-31 March has 8 county-lines concerns, 1-30 March 7: published as 10 and 5, and the totals (29, 28) both as 30.
    const toThe30th = (await march(analyst, 'Northbridge', '2026-03-30')).data!.exploitationStatistics;
    expect(toThe30th.concerns).toBe(30);
    expect(nonZero(toThe30th.byCategory).COUNTY_LINES).toBe(5);
  });

  it('without a local authority, counts every area', async () => {
    const stats = (await march(analyst, null)).data!.exploitationStatistics;
    expect(stats.concerns).toBe(35);
    // Southport's five trafficking concerns are now the smallest cell beside the lone small one, so they are its
    // complement, and the six missing-from-home concerns are published.
    expect(nonZero(stats.byCategory)).toEqual({
      CRIMINAL_EXPLOITATION: 10,
      COUNTY_LINES: 10,
      SEXUAL_EXPLOITATION: null,
      TRAFFICKING: null,
      MISSING_FROM_HOME: 5,
    });
  });

  it('a range with fewer than five concerns publishes no total', async () => {
    const stats = (await analyst.client.ok(STATISTICS, { from: '2026-02-28', to: '2026-02-28' }))
      .exploitationStatistics;
    expect(stats.concerns).toBeNull();
    expect(nonZero(stats.byCategory)).toEqual({ COUNTY_LINES: null });
  });

  it('refuses a range that ends before it starts, naming `to`', async () => {
    const result = await analyst.client.query(STATISTICS, { from: '2026-03-31', to: '2026-03-01' });
    expect(result.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
  });

  it('is for analysts only: a DSL is FORBIDDEN', async () => {
    expect(codeOf(await march(dsl))).toBe('FORBIDDEN');
  });

  it('audits every query, with what was asked and no child', async () => {
    await march(analyst);
    const events = await app.dataSource.query(
      `SELECT action, subject_type, subject_id, purpose, child_id FROM audit_event
        WHERE user_id = $1 AND action = 'exploitationStatistics' ORDER BY seq DESC LIMIT 1`,
      [analyst.user.id],
    );
    expect(events).toEqual([
      {
        action: 'exploitationStatistics',
        subject_type: 'ExploitationStatistics',
        subject_id: '2026-03-01..2026-03-31',
        purpose: 'local authority: Northbridge',
        child_id: null,
      },
    ]);
  });

  it('an analyst cannot reach any child record, even one its own agency is involved with', async () => {
    const [{ id: childId }] = await app.dataSource.query(`SELECT child_id AS id FROM concern LIMIT 1`);
    const read = await analyst.client.query(`query($id: ID!) { child(id: $id) { id } }`, { id: childId });
    expect(codeOf(read)).toBe('FORBIDDEN');
    expect(read.data?.child ?? null).toBeNull();
    expect(codeOf(await analyst.client.query(`{ children { edges { node { id } } } }`))).toBe('FORBIDDEN');
    const matches = await analyst.client.query(
      `query { possibleChildMatches(input: { givenName: "Kai", familyName: "Test" }) { childId } }`,
    );
    expect(codeOf(matches)).toBe('FORBIDDEN');
    const record = await analyst.client.query(
      `mutation($input: RecordConcernInput!) { recordConcern(input: $input) { id } }`,
      {
        input: {
          childId,
          occurredAt: '2026-03-02T10:00:00Z',
          category: 'OTHER',
          indicators: [],
          recruitmentSetting: 'UNKNOWN',
          riskLevel: 'LOW',
          sensitivity: 'STANDARD',
          narrative: 'An analyst has nothing to record.',
        },
      },
    );
    expect(codeOf(record)).toBe('FORBIDDEN');
  });
});

describe('the census factors a child’s concerns suggest', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await TestApp.start();
  });
  afterAll(() => app.stop());

  it('maps the concerns the viewer sees, as corrected, to CIN census factors in census order', async () => {
    const f = app.factories;
    const [school, police] = await Promise.all([
      f.agency({ kind: AgencyKind.SCHOOL }),
      f.agency({ kind: AgencyKind.POLICE }),
    ]);
    const dsl = await f.signedIn({ agency: school, roles: [Role.SAFEGUARDING_LEAD] });
    const officer = await f.signedIn({ agency: police, roles: [Role.POLICE_OFFICER] });
    const kai = await f.children.child({ involved: [school, police] });
    await f.concern({
      childId: kai,
      by: dsl,
      category: ConcernCategory.CRIMINAL_EXPLOITATION,
      indicators: ['MISSING_EPISODE', 'MOOD_OR_SELF_HARM'],
    });
    const misuse = await f.concern({ childId: kai, by: dsl, category: ConcernCategory.SUBSTANCE_MISUSE });
    await f.concern({ childId: kai, by: dsl, category: ConcernCategory.NEGLECT, amendsConcernId: misuse.id });
    await f.concern({
      childId: kai,
      by: officer,
      category: ConcernCategory.SEXUAL_EXPLOITATION,
      sensitivity: Sensitivity.POLICE_RESTRICTED,
    });

    const codes = async (who: SignedIn) =>
      (await who.client.ok(CIN, { id: kai })).child.suggestedCinFactors.map((factor: { code: string }) => factor.code);
    // 24A from the category; 10A, 15A and 4A from the indicators; 16A from the correction, not 2A from the original.
    expect(await codes(dsl)).toEqual(['4A', '10A', '15A', '16A', '24A']);
    // The police see their restricted entry too: 11A.
    expect(await codes(officer)).toEqual(['4A', '10A', '11A', '15A', '16A', '24A']);
    const factors = (await dsl.client.ok(CIN, { id: kai })).child.suggestedCinFactors;
    expect(factors).toContainEqual({ code: '24A', label: 'Child criminal exploitation' });
  });
});
