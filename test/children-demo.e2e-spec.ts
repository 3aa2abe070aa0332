import { GraphQLClient, TestApp } from '../libs/testing/src';
import { DEMO_CHILDREN } from '../src/demo/demo-children';
import { DEMO_PASSWORD } from '../src/demo/demo-people';

describe('the demo children', () => {
  let app: TestApp;

  const signIn = async (email: string) => {
    const res = await app
      .anonymous()
      .ok(`mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { token } }`, {
        email,
        password: DEMO_PASSWORD,
      });
    return new GraphQLClient(app.baseUrl, res.login.token);
  };

  beforeAll(async () => {
    app = await TestApp.start({ env: { SEED_DEMO: 'true' } });
  });
  afterAll(() => app.stop());

  it('are Kai and a dozen others, every child marked demo', async () => {
    const rows = await app.dataSource.query(`SELECT given_name, demo FROM child ORDER BY given_name`);
    expect(rows).toHaveLength(DEMO_CHILDREN.length);
    expect(rows.length).toBeGreaterThanOrEqual(13);
    expect(rows.every((row: { demo: boolean }) => row.demo)).toBe(true);
  });

  it('show Kai to the Academy with his UPN, and to the Health Trust with his NHS number', async () => {
    const query = `{ children(filter: { search: "Kai Thompson" }) { edges { node { accessRoute address
      identifiers { scheme value } involvements { agency { name } } } } } }`;
    const [academy] = (await (await signIn('dsl@academy.demo')).ok(query)).children.edges;
    expect(academy.node.accessRoute).toBe('INVOLVED');
    expect(academy.node.identifiers.map((i: { scheme: string }) => i.scheme)).toEqual(['LOCAL_AUTHORITY', 'UPN']);
    expect(academy.node.involvements).toHaveLength(5);
    const [health] = (await (await signIn('dsl@health.demo')).ok(query)).children.edges;
    expect(health.node.identifiers.map((i: { scheme: string }) => i.scheme)).toEqual(['LOCAL_AUTHORITY', 'NHS_NUMBER']);
  });

  it('hold two spellings of one girl that matching brings together', async () => {
    const youth = await signIn('practitioner@youth-service.demo');
    const { possibleChildMatches } = await youth.ok(
      `query { possibleChildMatches(input: { givenName: "Lea", familyName: "McKenzie", dateOfBirth: "2012-11-02" }) {
        initials matchedOn involvedAgencies { name } } }`,
    );
    expect(possibleChildMatches).toHaveLength(2);
    expect(possibleChildMatches.map((m: { initials: string }) => m.initials)).toEqual(['LM', 'LM']);
    expect(possibleChildMatches[1].involvedAgencies).toEqual([{ name: 'Northbridge Academy' }]);
  });
});
