import { AgencyKind, Role } from '../src/common/enums/agencies';
import { codeOf, SignedIn, TestAgency, TestApp } from '../libs/testing/src';
import { INDICATORS } from '../src/chronology/indicators';

const RECORD = `mutation Record($input: RecordConcernInput!) {
  recordConcern(input: $input) {
    id category indicators sensitivity riskLevel recruitmentSetting narrative occurredAt recordedAt
    agency { id } recordedBy { id } amends { id } amendedBy { id }
  }
}`;

const ASSESS = `mutation Assess($input: RecordRiskAssessmentInput!) {
  recordRiskAssessment(input: $input) { id level exploitationTypes rationale sensitivity agency { id } assessedBy { id } }
}`;

const CHRONOLOGY = `query Chronology($id: ID!, $first: Int, $after: String) {
  child(id: $id) {
    concerns(first: $first, after: $after) {
      edges { cursor node { id narrative sensitivity amends { id } amendedBy { id } } }
      pageInfo { hasNextPage endCursor }
    }
    currentRisk { level rationale }
  }
}`;

describe('the chronology of a child', () => {
  let app: TestApp;
  let school: TestAgency;
  let police: TestAgency;
  let prosecution: TestAgency;
  let health: TestAgency;
  let youth: TestAgency;
  let socialCare: TestAgency;
  let dsl: SignedIn;
  let officer: SignedIn;
  let prosecutor: SignedIn;
  let nurse: SignedIn;
  let youthWorker: SignedIn;
  let socialWorker: SignedIn;

  /** A child with an open involvement of each given agency, arranged directly in the database. */
  async function namedChild(familyName: string, ...agencies: TestAgency[]): Promise<string> {
    const [row] = await app.dataSource.query(
      `INSERT INTO child (given_name, family_name, date_of_birth) VALUES ('Kai', $1, '2013-03-01') RETURNING id`,
      [familyName],
    );
    for (const agency of agencies) {
      await app.dataSource.query(
        `INSERT INTO involvement (child_id, agency_id, basis, since) VALUES ($1, $2, 'REFERRAL', '2026-01-01')`,
        [row.id, agency.id],
      );
    }
    return row.id;
  }

  const child = (...agencies: TestAgency[]) => namedChild('Test', ...agencies);

  function concernInput(childId: string, overrides: Record<string, unknown> = {}) {
    return {
      childId,
      occurredAt: '2026-09-15T08:30:00Z',
      category: 'CRIMINAL_EXPLOITATION',
      indicators: ['UNEXPLAINED_MONEY_OR_GOODS', 'MULTIPLE_PHONES'],
      recruitmentSetting: 'SECONDARY_SCHOOL',
      riskLevel: 'MEDIUM',
      sensitivity: 'STANDARD',
      narrative: 'New trainers and a second phone; waits at the gate for older boys.',
      ...overrides,
    };
  }

  async function record(who: SignedIn, input: Record<string, unknown>) {
    return (await who.client.ok(RECORD, { input })).recordConcern;
  }

  async function concernIdsSeenBy(who: SignedIn, childId: string): Promise<string[]> {
    const data = await who.client.ok(CHRONOLOGY, { id: childId, first: 100 });
    return data.child.concerns.edges.map((edge: { node: { id: string } }) => edge.node.id);
  }

  beforeAll(async () => {
    app = await TestApp.start();
    const f = app.factories;
    [school, police, prosecution, health, youth, socialCare] = await Promise.all([
      f.agency({ kind: AgencyKind.SCHOOL }),
      f.agency({ kind: AgencyKind.POLICE }),
      f.agency({ kind: AgencyKind.PROSECUTION }),
      f.agency({ kind: AgencyKind.HEALTH }),
      f.agency({ kind: AgencyKind.YOUTH_SERVICE }),
      f.agency({ kind: AgencyKind.CHILDRENS_SOCIAL_CARE }),
    ]);
    dsl = await f.signedIn({ agency: school, roles: [Role.SAFEGUARDING_LEAD] });
    officer = await f.signedIn({ agency: police, roles: [Role.POLICE_OFFICER] });
    prosecutor = await f.signedIn({ agency: prosecution, roles: [Role.PROSECUTOR] });
    nurse = await f.signedIn({ agency: health, roles: [Role.PRACTITIONER] });
    youthWorker = await f.signedIn({ agency: youth, roles: [Role.PRACTITIONER] });
    socialWorker = await f.signedIn({ agency: socialCare, roles: [Role.SOCIAL_WORKER] });
  });
  afterAll(() => app.stop());

  const everyone = () => [dsl, officer, prosecutor, nurse, youthWorker, socialWorker];
  const allAgencies = () => [school, police, prosecution, health, youth, socialCare];

  describe('recording a concern', () => {
    it('records what a school DSL saw, by whom and for which agency', async () => {
      const kai = await child(school);
      const concern = await record(dsl, concernInput(kai));
      expect(concern).toMatchObject({
        category: 'CRIMINAL_EXPLOITATION',
        indicators: ['UNEXPLAINED_MONEY_OR_GOODS', 'MULTIPLE_PHONES'],
        sensitivity: 'STANDARD',
        occurredAt: '2026-09-15T08:30:00.000Z',
        agency: { id: school.id },
        recordedBy: { id: dsl.user.id },
        amends: null,
        amendedBy: [],
      });
      expect(Date.parse(concern.recordedAt)).toBeGreaterThan(Date.now() - 60_000);
    });

    it('accepts every indicator of the reference list, which the database check mirrors', async () => {
      const kai = await child(school);
      const all = INDICATORS.map((indicator) => indicator.code);
      expect((await record(dsl, concernInput(kai, { indicators: all }))).indicators).toEqual(all);
    });

    it('refuses an unknown indicator code, naming it, and writes nothing', async () => {
      const kai = await child(school);
      const res = await dsl.client.query(RECORD, {
        input: concernInput(kai, { indicators: ['MULTIPLE_PHONES', 'HAS_A_SCOOTER'] }),
      });
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.errors![0].extensions!.field).toBe('input.indicators[1]');
      const [{ count }] = await app.dataSource.query(`SELECT count(*)::int AS count FROM concern WHERE child_id = $1`, [
        kai,
      ]);
      expect(count).toBe(0);
    });

    it('refuses an indicator listed twice', async () => {
      const kai = await child(school);
      const res = await dsl.client.query(RECORD, {
        input: concernInput(kai, { indicators: ['MULTIPLE_PHONES', 'WEAPON', 'MULTIPLE_PHONES'] }),
      });
      expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.indicators[2]' });
    });

    it('refuses a date in the future, naming the field', async () => {
      const kai = await child(school);
      const tomorrow = new Date(Date.now() + 24 * 3600_000).toISOString();
      const res = await dsl.client.query(RECORD, { input: concernInput(kai, { occurredAt: tomorrow }) });
      expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.occurredAt' });
    });

    it('refuses a blank narrative and one over 20,000 characters', async () => {
      const kai = await child(school);
      const blank = await dsl.client.query(RECORD, { input: concernInput(kai, { narrative: ' \n\t ' }) });
      expect(blank.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.narrative' });
      const long = await dsl.client.query(RECORD, { input: concernInput(kai, { narrative: 'x'.repeat(20_001) }) });
      expect(long.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.narrative' });
      expect((await record(dsl, concernInput(kai, { narrative: 'x'.repeat(20_000) }))).narrative).toHaveLength(20_000);
    });

    it('answers NOT_FOUND for a child the agency does not work with, as if it did not exist', async () => {
      const elsewhere = await child(youth);
      const res = await dsl.client.query(RECORD, { input: concernInput(elsewhere) });
      expect(codeOf(res)).toBe('NOT_FOUND');
    });

    it('lets practitioners, DSLs, social workers and police officers record, but not a prosecutor', async () => {
      const kai = await child(...allAgencies());
      for (const who of [dsl, officer, nurse, youthWorker, socialWorker]) {
        await record(who, concernInput(kai, { recruitmentSetting: 'UNKNOWN' }));
      }
      expect(codeOf(await prosecutor.client.query(RECORD, { input: concernInput(kai) }))).toBe('FORBIDDEN');
    });

    it('refuses an agency admin and an analyst, who never touch child data', async () => {
      const kai = await child(school);
      for (const roles of [[Role.AGENCY_ADMIN], [Role.ANALYST]]) {
        const who = await app.factories.signedIn({ agency: school, roles });
        expect(codeOf(await who.client.query(RECORD, { input: concernInput(kai) }))).toBe('FORBIDDEN');
      }
    });
  });

  describe('who sees which tier', () => {
    let kai: string;
    let standard: string;
    let policeRestricted: string;
    let healthConfidential: string;

    beforeAll(async () => {
      kai = await child(...allAgencies());
      standard = (await record(dsl, concernInput(kai, { occurredAt: '2026-09-15T08:30:00Z' }))).id;
      policeRestricted = (
        await record(
          officer,
          concernInput(kai, {
            occurredAt: '2026-11-02T22:10:00Z',
            category: 'COUNTY_LINES',
            indicators: ['DRUGS_OR_PARAPHERNALIA', 'FOUND_OUT_OF_AREA'],
            recruitmentSetting: 'STREET',
            riskLevel: 'HIGH',
            sensitivity: 'POLICE_RESTRICTED',
            narrative: 'Stopped 80 miles away with wraps and cash; the phone is linked to a county line.',
          }),
        )
      ).id;
      healthConfidential = (
        await record(
          nurse,
          concernInput(kai, {
            occurredAt: '2026-11-05T01:00:00Z',
            category: 'PHYSICAL_ABUSE',
            indicators: ['UNEXPLAINED_INJURY'],
            recruitmentSetting: 'UNKNOWN',
            sensitivity: 'HEALTH_CONFIDENTIAL',
            narrative: 'A&E: cut to the hand he will not explain.',
          }),
        )
      ).id;
    });

    it('shows a STANDARD concern to every involved agency', async () => {
      for (const who of everyone()) expect(await concernIdsSeenBy(who, kai)).toContain(standard);
    });

    it('shows a police-restricted concern to police and prosecution, not to the school', async () => {
      expect(await concernIdsSeenBy(officer, kai)).toContain(policeRestricted);
      expect(await concernIdsSeenBy(prosecutor, kai)).toContain(policeRestricted);
      for (const who of [dsl, nurse, youthWorker, socialWorker]) {
        expect(await concernIdsSeenBy(who, kai)).not.toContain(policeRestricted);
      }
    });

    it('shows a health-confidential concern only to health', async () => {
      expect(await concernIdsSeenBy(nurse, kai)).toContain(healthConfidential);
      for (const who of [dsl, officer, prosecutor, youthWorker, socialWorker]) {
        expect(await concernIdsSeenBy(who, kai)).not.toContain(healthConfidential);
      }
    });

    it('always shows an agency its own restricted entries', async () => {
      const schoolOwn = (await record(dsl, concernInput(kai, { sensitivity: 'POLICE_RESTRICTED' }))).id;
      expect(await concernIdsSeenBy(dsl, kai)).toContain(schoolOwn);
      expect(await concernIdsSeenBy(youthWorker, kai)).not.toContain(schoolOwn);
      expect(await concernIdsSeenBy(officer, kai)).toContain(schoolOwn);
    });

    it('answers NOT_FOUND to a school that tries to amend a police-restricted concern', async () => {
      const res = await dsl.client.query(RECORD, { input: concernInput(kai, { amendsConcernId: policeRestricted }) });
      expect(codeOf(res)).toBe('NOT_FOUND');
    });
  });

  describe('the children list filters', () => {
    const FILTERED = `query Filtered($filter: ChildFilter) {
      children(filter: $filter, first: 100) { edges { node { id } } }
    }`;
    let kai: string;

    async function childIdsFilteredFor(who: SignedIn, filter: Record<string, unknown>): Promise<string[]> {
      const data = await who.client.ok(FILTERED, { filter: { search: 'Filterable', ...filter } });
      return data.children.edges.map((edge: { node: { id: string } }) => edge.node.id);
    }

    beforeAll(async () => {
      kai = await namedChild('Filterable', school, police, socialCare);
      await record(dsl, concernInput(kai, { category: 'MISSING_FROM_EDUCATION' }));
      await record(
        officer,
        concernInput(kai, { category: 'COUNTY_LINES', recruitmentSetting: 'STREET', sensitivity: 'POLICE_RESTRICTED' }),
      );
      await socialWorker.client.ok(ASSESS, {
        input: { childId: kai, level: 'MEDIUM', exploitationTypes: [], rationale: 'Shared summary.' },
      });
      await socialWorker.client.ok(ASSESS, {
        input: {
          childId: kai,
          level: 'CRITICAL',
          exploitationTypes: ['COUNTY_LINES'],
          rationale: 'On police intelligence.',
          sensitivity: 'POLICE_RESTRICTED',
        },
      });
    });

    it('find a child by the category of a concern the viewer can see', async () => {
      expect(await childIdsFilteredFor(dsl, { category: 'MISSING_FROM_EDUCATION' })).toEqual([kai]);
      expect(await childIdsFilteredFor(officer, { category: 'COUNTY_LINES' })).toEqual([kai]);
    });

    it('do not reveal a child by a category only in a concern the viewer cannot see', async () => {
      expect(await childIdsFilteredFor(dsl, { category: 'COUNTY_LINES' })).toEqual([]);
    });

    it('judge the minimum risk on the newest assessment the viewer can see', async () => {
      expect(await childIdsFilteredFor(officer, { minRisk: 'CRITICAL' })).toEqual([kai]);
      expect(await childIdsFilteredFor(dsl, { minRisk: 'CRITICAL' })).toEqual([]);
      expect(await childIdsFilteredFor(dsl, { minRisk: 'MEDIUM' })).toEqual([kai]);
    });
  });

  describe('through a grant or break-glass', () => {
    const GRANT = `mutation Grant($input: GrantAccessInput!) { grantAccess(input: $input) { id } }`;
    let kai: string;
    let standard: string;
    let policeRestricted: string;
    let healthConfidential: string;

    async function grant(by: SignedIn, to: TestAgency, tiers: string[]) {
      await by.client.ok(GRANT, {
        input: {
          childId: kai,
          granteeAgencyId: to.id,
          tiers,
          lawfulBasis: 'SAFEGUARDING_OF_CHILDREN',
          purpose: 'Joint safety planning for the summer holidays',
          expiresAt: new Date(Date.now() + 7 * 24 * 3600_000).toISOString(),
        },
      });
    }

    beforeAll(async () => {
      kai = await child(school, police, health);
      standard = (await record(dsl, concernInput(kai))).id;
      policeRestricted = (await record(officer, concernInput(kai, { sensitivity: 'POLICE_RESTRICTED' }))).id;
      healthConfidential = (await record(nurse, concernInput(kai, { sensitivity: 'HEALTH_CONFIDENTIAL' }))).id;
    });

    it('shows a grantee only the tiers in the grant, and lets it read but not record', async () => {
      const otherSchool = await app.factories.agency({ kind: AgencyKind.SCHOOL });
      const otherDsl = await app.factories.signedIn({ agency: otherSchool, roles: [Role.SAFEGUARDING_LEAD] });
      const healthLead = await app.factories.signedIn({ agency: health, roles: [Role.SAFEGUARDING_LEAD] });
      await grant(healthLead, otherSchool, ['STANDARD', 'HEALTH_CONFIDENTIAL']);

      expect((await concernIdsSeenBy(otherDsl, kai)).sort()).toEqual([standard, healthConfidential].sort());
      const res = await otherDsl.client.query(RECORD, { input: concernInput(kai) });
      expect(codeOf(res)).toBe('FORBIDDEN');
    });

    it('does not open police intelligence to another police force granted only STANDARD', async () => {
      const otherForce = await app.factories.agency({ kind: AgencyKind.POLICE });
      const otherOfficer = await app.factories.signedIn({ agency: otherForce, roles: [Role.POLICE_OFFICER] });
      await grant(dsl, otherForce, ['STANDARD']);
      expect(await concernIdsSeenBy(otherOfficer, kai)).toEqual([standard]);
    });

    it('lets a professional who broke glass record, and flags the entry for review', async () => {
      const otherForce = await app.factories.agency({ kind: AgencyKind.POLICE });
      const responder = await app.factories.signedIn({ agency: otherForce, roles: [Role.POLICE_OFFICER] });
      await responder.client.ok(
        `mutation($id: ID!) { breakGlass(childId: $id, reason: "Found at 2am in a trap house, injured") { id } }`,
        {
          id: kai,
        },
      );
      expect(await concernIdsSeenBy(responder, kai)).toContain(policeRestricted);
      const recorded = await record(responder, concernInput(kai, { category: 'COUNTY_LINES' }));
      const [event] = await app.dataSource.query(
        `SELECT route, break_glass FROM audit_event WHERE action = 'recordConcern' AND subject_id = $1`,
        [recorded.id],
      );
      expect(event).toEqual({ route: 'BREAK_GLASS', break_glass: true });
    });
  });

  describe('amendments', () => {
    it('leave the original intact, and show both linked', async () => {
      const kai = await child(school, police);
      const original = await record(dsl, concernInput(kai, { narrative: 'Seen with a second phone on Monday.' }));
      const amendment = await record(
        dsl,
        concernInput(kai, { narrative: 'Correction: it was Tuesday.', amendsConcernId: original.id }),
      );
      expect(amendment.amends).toEqual({ id: original.id });

      const data = await dsl.client.ok(CHRONOLOGY, { id: kai });
      const nodes = data.child.concerns.edges.map((edge: any) => edge.node);
      expect(nodes).toHaveLength(2);
      const shownOriginal = nodes.find((node: any) => node.id === original.id);
      expect(shownOriginal).toMatchObject({ narrative: 'Seen with a second phone on Monday.', amends: null });
      expect(shownOriginal.amendedBy).toEqual([{ id: amendment.id }]);
    });

    it('must be about the same child', async () => {
      const kai = await child(school);
      const other = await child(school);
      const original = await record(dsl, concernInput(other));
      const res = await dsl.client.query(RECORD, { input: concernInput(kai, { amendsConcernId: original.id }) });
      expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.amendsConcernId' });
    });

    it('cannot be made by rewriting a row: the database refuses UPDATE, DELETE and TRUNCATE', async () => {
      const kai = await child(school);
      const original = await record(dsl, concernInput(kai));
      await expect(
        app.dataSource.query(`UPDATE concern SET narrative = 'rewritten' WHERE id = $1`, [original.id]),
      ).rejects.toThrow(/append-only/);
      await expect(app.dataSource.query(`DELETE FROM concern WHERE id = $1`, [original.id])).rejects.toThrow(
        /append-only/,
      );
      // Not even the schema owner may rewrite history.
      await expect(app.ownerQuery(`UPDATE concern SET narrative = 'rewritten'`)).rejects.toThrow(/append-only/);
      await expect(app.ownerQuery(`TRUNCATE concern CASCADE`)).rejects.toThrow(/append-only/);
      const [row] = await app.dataSource.query(`SELECT narrative FROM concern WHERE id = $1`, [original.id]);
      expect(row.narrative).toBe(original.narrative);
    });
  });

  describe('the chronology list', () => {
    it('is newest first by when things happened, in keyset pages', async () => {
      const kai = await child(school);
      const days = ['2026-03-01', '2026-01-01', '2026-05-01', '2026-02-01', '2026-04-01'];
      for (const day of days) await record(dsl, concernInput(kai, { occurredAt: `${day}T12:00:00Z`, narrative: day }));
      const seen: string[] = [];
      let after: string | null = null;
      for (let page = 0; page < 3; page++) {
        const data: any = await dsl.client.ok(
          `query($id: ID!, $after: String) { child(id: $id) { concerns(first: 2, after: $after) {
             edges { node { narrative } } pageInfo { hasNextPage endCursor } } } }`,
          { id: kai, after },
        );
        const { edges, pageInfo } = data.child.concerns;
        seen.push(...edges.map((edge: any) => edge.node.narrative));
        expect(pageInfo.hasNextPage).toBe(page < 2);
        after = pageInfo.endCursor;
      }
      expect(seen).toEqual([...days].sort().reverse());
    });

    it('neither skips nor repeats entries that happened at the same microsecond', async () => {
      const kai = await child(school);
      // Written by hand: an instant with microseconds is what the cursor must keep, and neither the API nor the
      // factories (a JS Date, milliseconds) can write one.
      await app.dataSource.query(
        `INSERT INTO concern (child_id, agency_id, recorded_by, occurred_at, category, indicators, recruitment_setting,
                              risk_level, sensitivity, narrative)
         SELECT $1, $2, $3, TIMESTAMPTZ '2026-06-01 10:00:00.123456+00', 'OTHER', '{}', 'UNKNOWN', 'LOW', 'STANDARD',
                'Same moment ' || n
           FROM generate_series(1, 5) n`,
        [kai, school.id, dsl.user.id],
      );
      const seen: string[] = [];
      let after: string | null = null;
      do {
        const data: any = await dsl.client.ok(CHRONOLOGY, { id: kai, first: 2, after });
        seen.push(...data.child.concerns.edges.map((edge: any) => edge.node.id));
        after = data.child.concerns.pageInfo.hasNextPage ? data.child.concerns.pageInfo.endCursor : null;
      } while (after);
      expect(seen).toHaveLength(5);
      expect(new Set(seen).size).toBe(5);
    });

    it('refuses a page size out of range and a cursor it did not issue', async () => {
      const kai = await child(school);
      const big = await dsl.client.query(CHRONOLOGY, { id: kai, first: 101 });
      expect(big.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
      const forged = await dsl.client.query(CHRONOLOGY, { id: kai, after: 'bm90LWEtY3Vyc29y' });
      expect(forged.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    });
  });

  describe('risk assessments', () => {
    it('are made by DSLs and social workers, and the latest visible one is the current risk', async () => {
      const kai = await child(school, socialCare, youth);
      await dsl.client.ok(ASSESS, {
        input: {
          childId: kai,
          level: 'MEDIUM',
          exploitationTypes: ['CRIMINAL_EXPLOITATION'],
          rationale: 'Early signs.',
        },
      });
      const latest = await socialWorker.client.ok(ASSESS, {
        input: {
          childId: kai,
          level: 'HIGH',
          exploitationTypes: ['CRIMINAL_EXPLOITATION', 'COUNTY_LINES'],
          rationale: 'Missing episodes and travel out of area.',
        },
      });
      expect(latest.recordRiskAssessment).toMatchObject({
        level: 'HIGH',
        sensitivity: 'STANDARD',
        agency: { id: socialCare.id },
        assessedBy: { id: socialWorker.user.id },
      });
      const data = await youthWorker.client.ok(CHRONOLOGY, { id: kai });
      expect(data.child.currentRisk).toEqual({ level: 'HIGH', rationale: 'Missing episodes and travel out of area.' });
    });

    it('are not made by practitioners', async () => {
      const kai = await child(youth);
      const res = await youthWorker.client.query(ASSESS, {
        input: { childId: kai, level: 'LOW', exploitationTypes: [], rationale: 'Fine.' },
      });
      expect(codeOf(res)).toBe('FORBIDDEN');
    });

    it('skip an assessment restricted to a tier the viewer cannot see', async () => {
      const kai = await child(school, socialCare, police);
      await socialWorker.client.ok(ASSESS, {
        input: { childId: kai, level: 'MEDIUM', exploitationTypes: [], rationale: 'Shared summary.' },
      });
      await socialWorker.client.ok(ASSESS, {
        input: {
          childId: kai,
          level: 'CRITICAL',
          exploitationTypes: ['COUNTY_LINES'],
          rationale: 'Police intelligence shared under restriction.',
          sensitivity: 'POLICE_RESTRICTED',
        },
      });
      expect((await dsl.client.ok(CHRONOLOGY, { id: kai })).child.currentRisk.level).toBe('MEDIUM');
      expect((await officer.client.ok(CHRONOLOGY, { id: kai })).child.currentRisk.level).toBe('CRITICAL');
      expect((await socialWorker.client.ok(CHRONOLOGY, { id: kai })).child.currentRisk.level).toBe('CRITICAL');
    });
  });
});
