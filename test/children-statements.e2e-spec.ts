import { Client } from 'pg';
import { AgencyKind, Role } from '../src/common/enums/agencies';
import { InvolvementBasis } from '../src/common/enums/children';
import { SignedIn, TestApp } from '../libs/testing/src';
import { ConcernCategory, RecruitmentSetting, RiskLevel, Sensitivity } from '../src/common/enums/chronology';

const DAY_MS = 24 * 3600_000;

/**
 * A page of children with their involvements, current risk and first concerns, and each of those with its
 * agency, author and amendments, costs the same number of SQL statements whether the page holds 5 children or
 * 50: every relation is loaded for the whole page at once (DataLoader), never per child.
 */
const PAGE = `query Page($first: Int!) {
  children(first: $first) {
    edges { node {
      id givenName familyName
      involvements { basis agency { name } }
      currentRisk { level agency { name } assessedBy { displayName } }
      concerns(first: 5) {
        edges { cursor node {
          id category sensitivity narrative
          agency { name } recordedBy { displayName } child { id }
          amends { id } amendedBy { id }
        } }
        pageInfo { hasNextPage endCursor }
      }
    } }
    pageInfo { hasNextPage }
  }
}`;

/** The benchmark's child-read (bench/runner/operations.ts). */
const CHILD_READ = `query ChildRead($id: ID!) {
  child(id: $id) {
    id givenName familyName dateOfBirth gender address flags
    identifiers { scheme value }
    involvements { basis since until agency { name kind } }
    currentRisk { level assessedAt }
    concerns(first: 20) { edges { node { id occurredAt category riskLevel sensitivity narrative } } pageInfo { hasNextPage } }
  }
}`;

/** Whether a statement works out which children the actor reaches: its INVOLVED route branch gives it away. */
const computesAccess = (sql: string) => sql.includes(`'INVOLVED'::text AS route`);

/** Every statement the application sends to PostgreSQL, counted where it leaves for the server. */
class StatementCounter {
  readonly statements: string[] = [];
  private readonly original = Client.prototype.query;

  start(): void {
    const statements = this.statements;
    const original = this.original;
    statements.length = 0;
    Client.prototype.query = function (this: Client, ...args: unknown[]) {
      const config = args[0] as string | { text?: string };
      statements.push(typeof config === 'string' ? config : String(config?.text));
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof Client.prototype.query;
  }

  stop(): string[] {
    Client.prototype.query = this.original;
    return [...this.statements];
  }
}

describe('the cost of a page of children', () => {
  let app: TestApp;
  let dsl: SignedIn;
  const counter = new StatementCounter();

  let firstChild: string;

  async function statementsFor(first: number): Promise<{ statements: string[]; data: any }> {
    return statementsOf(PAGE, { first });
  }

  async function statementsOf(query: string, variables: Record<string, unknown>) {
    counter.start();
    try {
      const data = await dsl.client.ok(query, variables);
      return { statements: counter.stop(), data };
    } finally {
      counter.stop();
    }
  }

  beforeAll(async () => {
    app = await TestApp.start();
    const school = await app.factories.agency({ kind: AgencyKind.SCHOOL });
    const police = await app.factories.agency({ kind: AgencyKind.POLICE });
    dsl = await app.factories.signedIn({ agency: school, roles: [Role.SAFEGUARDING_LEAD] });
    const officer = await app.factories.user({ agency: police, roles: [Role.POLICE_OFFICER] });

    const ids: string[] = [];
    for (let n = 1; n <= 55; n++) {
      const kid = await app.factories.children.child({
        givenName: `Child ${n}`,
        familyName: `Family ${String(n).padStart(3, '0')}`,
        dateOfBirth: new Date(Date.UTC(2012, 0, 1 + n)).toISOString().slice(0, 10),
      });
      await app.factories.children.involvement(kid, school, { basis: InvolvementBasis.PUPIL });
      await app.factories.children.involvement(kid, police, { basis: InvolvementBasis.INVESTIGATION });
      ids.push(kid);
    }
    // Seven entries per child, every third one police-restricted (the school must not see those), so that each
    // child has more visible concerns than the page of 5 shows.
    const now = Date.now();
    const entry = (childId: string, n: number) => ({
      childId,
      by: n % 3 === 0 ? { user: officer, agency: police } : dsl,
      occurredAt: new Date(now - n * DAY_MS),
      category: ConcernCategory.CRIMINAL_EXPLOITATION,
      indicators: ['MULTIPLE_PHONES'],
      recruitmentSetting: RecruitmentSetting.STREET,
      riskLevel: RiskLevel.MEDIUM,
      sensitivity: n % 3 === 0 ? Sensitivity.POLICE_RESTRICTED : Sensitivity.STANDARD,
      narrative: `Entry ${n}`,
    });
    const arrangeChronology = async (childId: string) => {
      const newest = await app.factories.concern(entry(childId, 1));
      for (let n = 2; n <= 7; n++) await app.factories.concern(entry(childId, n));
      // A correction of the child's newest entry, so `amends` and `amendedBy` have something to load.
      await app.factories.concern({
        ...entry(childId, 1),
        narrative: 'Correction of Entry 1',
        amendsConcernId: newest.id,
      });
      await app.factories.riskAssessment({
        childId,
        by: dsl,
        level: RiskLevel.HIGH,
        exploitationTypes: [ConcernCategory.COUNTY_LINES],
      });
    };
    await Promise.all(ids.map(arrangeChronology));
    firstChild = ids[0];
  });
  afterAll(() => app.stop());

  it('is the same number of statements for 5 children as for 50', async () => {
    const small = await statementsFor(5);
    const large = await statementsFor(50);

    // The pages are really filled, so the comparison is not between two empty answers.
    const smallChildren = small.data.children.edges;
    const largeChildren = large.data.children.edges;
    expect(smallChildren).toHaveLength(5);
    expect(largeChildren).toHaveLength(50);
    for (const { node } of largeChildren) {
      expect(node.involvements).toHaveLength(2);
      expect(node.currentRisk.level).toBe('HIGH');
      expect(node.concerns.edges).toHaveLength(5);
      expect(node.concerns.pageInfo.hasNextPage).toBe(true);
      expect(node.concerns.edges.every((edge: any) => edge.node.sensitivity === 'STANDARD')).toBe(true);
      expect(node.concerns.edges[0].node.child.id).toBe(node.id);
    }
    const amended = largeChildren[0].node.concerns.edges.find((edge: any) => edge.node.amendedBy.length > 0);
    expect(amended).toBeDefined();

    expect(large.statements).toHaveLength(small.statements.length);
    // One statement per relation at most, plus the session, the page and the audit insert; a query opens no
    // transaction, and the agencies of involvements come with them.
    expect(large.statements.length).toBeLessThanOrEqual(14);
    expect(large.statements.filter((sql) => /^(START TRANSACTION|BEGIN|COMMIT)/.test(sql))).toEqual([]);
    // Access is worked out by the statement that lists the children, and their relations join what it found.
    expect(large.statements.filter(computesAccess)).toHaveLength(1);
  });

  it("reads one child's record with its relations in 6 statements, its audit row written before the answer", async () => {
    const before = await app.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE child_id = $1`, [
      firstChild,
    ]);
    const { statements, data } = await statementsOf(CHILD_READ, { id: firstChild });
    expect(data.child.involvements.map((i: any) => i.agency.kind).sort()).toEqual(['POLICE', 'SCHOOL']);
    expect(data.child.concerns.edges.length).toBeGreaterThan(0);
    expect(data.child.currentRisk.level).toBe('HIGH');
    // The session, the child with its identifiers, involvements with their agencies, current risk, concerns, the audit.
    expect(statements).toHaveLength(6);
    expect(statements.at(-1)).toMatch(/^\s*INSERT INTO audit_event/);
    expect(statements.filter(computesAccess)).toHaveLength(1);
    const after = await app.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE child_id = $1`, [
      firstChild,
    ]);
    expect(after[0].n - before[0].n).toBe(1);
  });
});
