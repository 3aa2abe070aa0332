import { DEMO_PASSWORD } from '../src/demo/demo-people';
import { GraphQLClient, TestApp } from '../libs/testing/src';

const LOGIN = `mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { token } }`;

const KAI = `query { children(filter: { search: "Kai Thompson" }) { edges { node {
  currentRisk { level exploitationTypes }
  concerns(first: 20) { edges { node { id category sensitivity agency { name } amends { id } amendedBy { id } } } }
} } } }`;

/** Kai's story (reference/demo-story.md, steps 1 to 4) as each agency around him sees it in the demo dataset. */
describe('the demo chronology', () => {
  let app: TestApp;

  async function kaiAs(email: string) {
    const login = await app.anonymous().ok(LOGIN, { email, password: DEMO_PASSWORD });
    const data = await new GraphQLClient(app.baseUrl, login.login.token).ok(KAI);
    expect(data.children.edges).toHaveLength(1);
    const kai = data.children.edges[0].node;
    return { ...kai, concerns: kai.concerns.edges.map((edge: any) => edge.node) };
  }

  beforeAll(async () => {
    app = await TestApp.start({ env: { SEED_DEMO: 'true' } });
  });
  afterAll(() => app.stop());

  it('shows the Academy its own entry, the youth worker’s and its correction, but not police or health entries', async () => {
    const kai = await kaiAs('dsl@academy.demo');
    expect(kai.concerns.map((concern: any) => concern.category)).toEqual([
      'MISSING_FROM_HOME',
      'MISSING_FROM_HOME',
      'CRIMINAL_EXPLOITATION',
    ]);
    // The correction shares the original's occurredAt, so the two sit together; the links say which is which.
    const correction = kai.concerns.find((concern: any) => concern.amends);
    const original = kai.concerns.find((concern: any) => concern.amendedBy.length > 0);
    expect(correction.amends).toEqual({ id: original.id });
    expect(original.amendedBy).toEqual([{ id: correction.id }]);
    expect(kai.currentRisk).toEqual({ level: 'HIGH', exploitationTypes: ['CRIMINAL_EXPLOITATION', 'COUNTY_LINES'] });
  });

  it('shows the police their restricted county-lines entry and the A&E entry only to health', async () => {
    const police = await kaiAs('officer@police.demo');
    expect(police.concerns.map((concern: any) => concern.sensitivity)).toContain('POLICE_RESTRICTED');
    expect(police.concerns.map((concern: any) => concern.sensitivity)).not.toContain('HEALTH_CONFIDENTIAL');
    const health = await kaiAs('practitioner@health.demo');
    expect(health.concerns[0]).toMatchObject({ category: 'PHYSICAL_ABUSE', sensitivity: 'HEALTH_CONFIDENTIAL' });
    expect(health.concerns.map((concern: any) => concern.sensitivity)).not.toContain('POLICE_RESTRICTED');
  });

  it('gives the dashboards children at every level of risk', async () => {
    const levels = await app.dataSource.query(
      `SELECT DISTINCT level FROM risk_assessment r JOIN child c ON c.id = r.child_id WHERE c.demo ORDER BY level`,
    );
    expect(levels.map((row: { level: string }) => row.level)).toEqual(['CRITICAL', 'HIGH', 'LOW', 'MEDIUM']);
    const [{ children }] = await app.dataSource.query(
      `SELECT count(DISTINCT child_id)::int AS children FROM concern c JOIN child ch ON ch.id = c.child_id WHERE ch.demo`,
    );
    expect(children).toBeGreaterThanOrEqual(12);
  });
});
