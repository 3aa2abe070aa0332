import { Client } from 'pg';
import type { EntityManager } from 'typeorm';
import { AgencyKind, Role } from '../src/common/enums/agencies';
import { AuditLog } from '../src/audit/log/audit-log.service';
import { AuditService } from '../src/audit/audit.service';
import { Database } from '../src/database/database.service';
import { Scope } from '../src/access/scope';
import { SignedIn, TestAgency, TestApp } from '../libs/testing/src';

/** Findings of the correctness review of the chronology, matching and the audit chain, each as a specification. */
describe('the child record keeps its promises under edge cases', () => {
  let app: TestApp;
  let school: TestAgency;
  let socialCare: TestAgency;
  let dsl: SignedIn;
  let socialWorker: SignedIn;

  /** A child with an open involvement of each given agency. */
  const child = (...agencies: TestAgency[]) =>
    app.factories.children.child({ familyName: 'Review', dateOfBirth: '2013-03-01', involved: agencies });

  beforeAll(async () => {
    app = await TestApp.start();
    school = await app.factories.agency({ kind: AgencyKind.SCHOOL });
    socialCare = await app.factories.agency({ kind: AgencyKind.CHILDRENS_SOCIAL_CARE });
    dsl = await app.factories.signedIn({ agency: school, roles: [Role.SAFEGUARDING_LEAD] });
    socialWorker = await app.factories.signedIn({ agency: socialCare, roles: [Role.SOCIAL_WORKER] });
  });
  afterAll(() => app.stop());

  describe('the chronology', () => {
    const RECORD = `mutation ($input: RecordConcernInput!) { recordConcern(input: $input) { id narrative } }`;
    const concernInput = (childId: string, overrides: Record<string, unknown> = {}) => ({
      childId,
      occurredAt: '2026-09-15T08:30:00Z',
      category: 'NEGLECT',
      indicators: [],
      recruitmentSetting: 'HOME',
      riskLevel: 'LOW',
      sensitivity: 'STANDARD',
      narrative: 'Came to school hungry again.',
      ...overrides,
    });

    it('counts a narrative in characters as the database does, so one over 20,000 is bad input, not an error', async () => {
      const kai = await child(school);
      // A red heart followed by the emoji presentation selector: two characters, which a validator may count as one.
      const overLimit = 'x'.repeat(19_999) + '\u2764\uFE0F';
      const res = await dsl.client.query(RECORD, { input: concernInput(kai, { narrative: overLimit }) });
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.narrative' });
      // Characters outside the Basic Multilingual Plane are one character each, though two UTF-16 units.
      const faces = '\u{1F600}'.repeat(20_000);
      const { recordConcern } = await dsl.client.ok(RECORD, { input: concernInput(kai, { narrative: faces }) });
      expect(recordConcern.narrative).toBe(faces);
    });

    it('refuses a date before any living child was born (a mistyped year), naming the field', async () => {
      const kai = await child(school);
      for (const occurredAt of ['1026-09-15T08:30:00Z', '1899-12-31T23:59:59Z']) {
        const res = await dsl.client.query(RECORD, { input: concernInput(kai, { occurredAt }) });
        expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.occurredAt' });
      }
      const [{ count }] = await app.dataSource.query(`SELECT count(*)::int AS count FROM concern WHERE child_id = $1`, [
        kai,
      ]);
      expect(count).toBe(0);
    });

    it('makes the last of several assessments in one request the current risk', async () => {
      const kai = await child(socialCare);
      const assessments = Array.from(
        { length: 8 },
        (_, i) =>
          `a${i}: recordRiskAssessment(input: { childId: "${kai}", level: LOW, exploitationTypes: [],
             rationale: "assessment ${i}" }) { id }`,
      );
      await socialWorker.client.ok(`mutation { ${assessments.join('\n')} }`);
      const data = await socialWorker.client.ok(`query ($id: ID!) { child(id: $id) { currentRisk { rationale } } }`, {
        id: kai,
      });
      expect(data.child.currentRisk).toEqual({ rationale: 'assessment 7' });
    });

    it('links an amendment and its original only where the viewer may see both', async () => {
      const police = await app.factories.agency({ kind: AgencyKind.POLICE });
      const officer = await app.factories.signedIn({ agency: police, roles: [Role.POLICE_OFFICER] });
      const kai = await child(school, police);
      const record = async (who: SignedIn, overrides: Record<string, unknown>) =>
        (await who.client.ok(RECORD, { input: concernInput(kai, overrides) })).recordConcern.id as string;
      const shared = await record(dsl, { narrative: 'Seen with older boys at the gate.' });
      const restrictedAmendment = await record(officer, {
        sensitivity: 'POLICE_RESTRICTED',
        narrative: 'Correction: the older boys are known to us.',
        amendsConcernId: shared,
      });
      const restricted = await record(officer, { sensitivity: 'POLICE_RESTRICTED', narrative: 'Intelligence.' });
      const sharedAmendment = await record(officer, {
        narrative: 'Correction: shared summary.',
        amendsConcernId: restricted,
      });
      const LINKS = `query ($id: ID!) { child(id: $id) { concerns { edges { node { id amends { id } amendedBy { id } } } } } }`;
      const linksSeenBy = async (who: SignedIn) =>
        Object.fromEntries(
          (await who.client.ok(LINKS, { id: kai })).child.concerns.edges.map(
            ({ node }: { node: { id: string; amends: { id: string } | null; amendedBy: Array<{ id: string }> } }) => [
              node.id,
              { amends: node.amends?.id ?? null, amendedBy: node.amendedBy.map((a) => a.id) },
            ],
          ),
        );
      expect(await linksSeenBy(dsl)).toEqual({
        [shared]: { amends: null, amendedBy: [] },
        [sharedAmendment]: { amends: null, amendedBy: [] },
      });
      expect(await linksSeenBy(officer)).toEqual({
        [shared]: { amends: null, amendedBy: [restrictedAmendment] },
        [restrictedAmendment]: { amends: shared, amendedBy: [] },
        [restricted]: { amends: null, amendedBy: [sharedAmendment] },
        [sharedAmendment]: { amends: restricted, amendedBy: [] },
      });
    });

    it('lists the amendments made in one request in the order they were made', async () => {
      const kai = await child(school);
      const original = (await dsl.client.ok(RECORD, { input: concernInput(kai) })).recordConcern.id;
      const amendments = Array.from({ length: 8 }, (_, i) => `a${i}: recordConcern(input: $a${i}) { id }`);
      const variables = Object.fromEntries(
        amendments.map((_, i) => [
          `a${i}`,
          concernInput(kai, { narrative: `correction ${i}`, amendsConcernId: original }),
        ]),
      );
      const declared = amendments.map((_, i) => `$a${i}: RecordConcernInput!`).join(', ');
      await dsl.client.ok(`mutation (${declared}) { ${amendments.join('\n')} }`, variables);
      const data = await dsl.client.ok(
        `query ($id: ID!) { child(id: $id) { concerns(first: 100) { edges { node { id amendedBy { narrative } } } } } }`,
        { id: kai },
      );
      const shown = data.child.concerns.edges.find((edge: { node: { id: string } }) => edge.node.id === original);
      expect(shown.node.amendedBy.map((a: { narrative: string }) => a.narrative)).toEqual(
        amendments.map((_, i) => `correction ${i}`),
      );
    });
  });

  describe('matching', () => {
    const MATCHES = `query ($input: ChildMatchInput!) { possibleChildMatches(input: $input) { childId score matchedOn } }`;

    it('finds a child whose given and family names were entered the other way round', async () => {
      const { registerChild } = await dsl.client.ok(
        `mutation ($input: RegisterChildInput!) { registerChild(input: $input) { child { id } } }`,
        { input: { givenName: 'Wei', familyName: 'Zhang', dateOfBirth: '2012-05-05', basis: 'PUPIL' } },
      );
      const searcher = await app.factories.signedIn({ kind: AgencyKind.YOUTH_SERVICE, roles: [Role.PRACTITIONER] });
      for (const dateOfBirth of ['2012-05-05', undefined]) {
        const { possibleChildMatches } = await searcher.client.ok(MATCHES, {
          input: { givenName: 'Zhang', familyName: 'Wei', dateOfBirth },
        });
        const match = possibleChildMatches.find((m: { childId: string }) => m.childId === registerChild.child.id);
        expect(match?.matchedOn).toEqual(dateOfBirth ? ['namesSwapped', 'dateOfBirth'] : ['namesSwapped']);
      }
      // The names in the order given still rank first.
      const { possibleChildMatches } = await searcher.client.ok(MATCHES, {
        input: { givenName: 'Wei', familyName: 'Zhang', dateOfBirth: '2012-05-05' },
      });
      expect(possibleChildMatches[0]).toMatchObject({ childId: registerChild.child.id, score: 0.99 });
    });
  });

  describe('verifying the audit chain', () => {
    /** An append by another connection that stays uncommitted, holding its lane, until `commit` is called. */
    async function openAppend(): Promise<{ seq: string; lane: number; client: Client }> {
      const client = new Client({ connectionString: app.database.url });
      await client.connect();
      await client.query('BEGIN');
      const [row] = (
        await client.query(
          `INSERT INTO audit_event (action, subject_type, prev_hash, hash)
           VALUES ('read', 'Child', '\\x', '\\x') RETURNING seq, lane`,
        )
      ).rows;
      return { ...row, client };
    }

    it('does not report the gap in seq that a rolled-back append leaves as tampering', async () => {
      const audit = app.nest.get(AuditLog);
      const database = app.nest.get(Database);
      const event = { action: 'updateChild', subjectType: 'Child' };
      await expect(
        database.transaction(async (_manager, unit) => {
          audit.record({ unit, actor: null }, { ...event, subjectId: 'rolled-back' });
          // The audit flush has run (and drawn its seq) when this later step fails the commit.
          unit.beforeCommit(() => Promise.reject(new Error('the request failed after its audit flush')));
        }),
      ).rejects.toThrow(/after its audit flush/);
      await database.transaction(async (_manager, unit) => {
        audit.record({ unit, actor: null }, { ...event, subjectId: 'after' });
      });
      const [{ gaps }] = await app.dataSource.query(
        `SELECT count(*)::int AS gaps FROM audit_event e
          WHERE e.prev_seq IS NOT NULL AND e.seq - 1 NOT IN (SELECT seq FROM audit_event)`,
      );
      expect(gaps).toBeGreaterThan(0);
      const platformAdmin = await app.factories.platformAdmin();
      const { verifyAuditChain } = await platformAdmin.client.ok(`{ verifyAuditChain { valid firstInvalidSeq } }`);
      expect(verifyAuditChain).toEqual({ valid: true, firstInvalidSeq: null });
    });

    it('does not report an append that commits while the walk is between batches as a removed event', async () => {
      const pending = await openAppend();
      try {
        // More events than one batch holds, all after the pending one in seq order and committed before it.
        await app.dataSource.query(
          `INSERT INTO audit_event (action, subject_type, subject_id, prev_hash, hash)
           SELECT 'read', 'Child', 'bulk-' || n, '\\x', '\\x' FROM generate_series(1, 5001) n`,
        );
        let between: Promise<void> | undefined;
        let movedLane: number | undefined;
        const result = await app.nest.get(Database).transaction(async (manager, unit) => {
          // After the walk's first statement, the pending append commits and its lane moves on.
          const stepping = new Proxy(manager, {
            get(target, key, receiver) {
              if (key !== 'query') return Reflect.get(target, key, receiver);
              return async (...args: Parameters<EntityManager['query']>) => {
                const rows = await target.query(...args);
                between ??= (async () => {
                  await pending.client.query('COMMIT');
                  // A connection appends to its own lane first (its backend pid's), so this one moves it on.
                  const { rows: appended } = await pending.client.query(
                    `INSERT INTO audit_event (action, subject_type, prev_hash, hash)
                     VALUES ('read', 'Child', '\\x', '\\x') RETURNING lane`,
                  );
                  movedLane = appended[0].lane;
                })();
                await between;
                return rows;
              };
            },
          });
          const ctx = new Scope('review', '127.0.0.1', unit, null, undefined);
          ctx.manager = () => Promise.resolve(stepping);
          return app.nest.get(AuditService).verifyChain(ctx);
        });
        expect(movedLane).toBe(pending.lane);
        expect(result).toMatchObject({ valid: true, firstInvalidSeq: null });
      } finally {
        await pending.client.end();
      }
    });
  });
});
