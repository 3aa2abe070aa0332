import { codeOf, GraphQLResponse, TestApp } from '../libs/testing/src';
import { LIMIT_REFUSAL } from '../src/graphql/error-formatter';
import { QUERY_LIMITS } from '../src/graphql/graphql.module';

/** Every answer this file receives; none may carry a stack trace, SQL or a library's message. */
const answers: string[] = [];

async function post(app: TestApp, body: string, headers: Record<string, string>): Promise<GraphQLResponse> {
  const response = await fetch(`${app.baseUrl}/graphql`, { method: 'POST', headers, body });
  const text = await response.text();
  answers.push(text);
  return { status: response.status, ...JSON.parse(text) };
}

function query(app: TestApp, source: string, token?: string): Promise<GraphQLResponse> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  return post(app, JSON.stringify({ query: source }), headers);
}

const refusedByLimit = (res: GraphQLResponse) =>
  res.status === 400 &&
  !res.data &&
  (res.errors ?? []).some((e) => e.message === LIMIT_REFUSAL && e.extensions?.code === 'GRAPHQL_VALIDATION_FAILED');

/** Names the limit error among others: introspection is refused in production, but the limits are checked too. */
const hitsLimit = (res: GraphQLResponse) => (res.errors ?? []).some((e) => e.message === LIMIT_REFUSAL);

/** `__type` then alternating `fields` / `type`, `levels` fields deep in all. */
function nested(levels: number): string {
  let selection = 'name';
  for (let level = levels - 1; level >= 2; level--)
    selection = `${level % 2 === 0 ? 'fields' : 'type'} { ${selection} }`;
  return `{ __type(name: "Query") { ${selection} } }`;
}

/**
 * Each of `children` first 100 concerns with two levels of amendments (an unpaged list counts ten): no aliases,
 * few tokens, depth 9, and an answer estimated at 393,702 fields for 32 children, 406,005 for 33.
 */
const costly = (children: number) =>
  `{ children(first: ${children}) { edges { node { concerns(first: 100) { edges { node { id amendedBy { id amendedBy { id } } } } } } } } }`;

const repeated = (n: number, make: (i: number) => string) => Array.from({ length: n }, (_, i) => make(i)).join(' ');

describe('the GraphQL endpoint in production', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await TestApp.start({ env: { NODE_ENV: 'production' } });
  });
  afterAll(() => app.stop());

  describe('query limits', () => {
    it('refuses a query nested deeper than the depth limit', async () => {
      expect(refusedByLimit(await query(app, nested(QUERY_LIMITS.maxDepth + 1)))).toBe(true);
      expect(hitsLimit(await query(app, nested(QUERY_LIMITS.maxDepth)))).toBe(false);
    });

    it('refuses more aliases than the limit', async () => {
      const aliases = (n: number) => `{ ${repeated(n, (i) => `a${i}: me { roles }`)} }`;
      expect(refusedByLimit(await query(app, aliases(QUERY_LIMITS.maxAliases + 1)))).toBe(true);
      expect(codeOf(await query(app, aliases(QUERY_LIMITS.maxAliases)))).toBe('UNAUTHENTICATED');
    });

    it('refuses a query whose estimated cost is over the limit', async () => {
      expect(refusedByLimit(await query(app, costly(33)))).toBe(true);
      expect(codeOf(await query(app, costly(32)))).toBe('UNAUTHENTICATED');
    });

    it('refuses more directives than the limit', async () => {
      const directives = (n: number) => `{ me { ${repeated(n, () => 'roles @include(if: true)')} } }`;
      expect(refusedByLimit(await query(app, directives(QUERY_LIMITS.maxDirectives + 1)))).toBe(true);
      expect(codeOf(await query(app, directives(QUERY_LIMITS.maxDirectives)))).toBe('UNAUTHENTICATED');
    });

    it('refuses a document of more tokens than the limit, before parsing it whole', async () => {
      // (graphql-js refuses the smaller one for another reason: that many identical fields exhaust its own
      // budget for comparing them. What matters here is that the token limit is not what refused it.)
      const roles = (n: number) => `{ me { ${repeated(n, () => 'roles')} } }`;
      expect(refusedByLimit(await query(app, roles(QUERY_LIMITS.maxTokens)))).toBe(true);
      expect(hitsLimit(await query(app, roles(QUERY_LIMITS.maxTokens - 10)))).toBe(false);
    });
  });

  it('does not answer introspection', async () => {
    const res = await query(app, '{ __schema { queryType { name } } }');
    expect(res.status).toBe(400);
    expect(codeOf(res)).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('does not suggest field names', async () => {
    const res = await query(app, '{ mee { roles } }');
    expect(codeOf(res)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.errors![0].message).not.toMatch(/did you mean/i);
  });

  it('does not suggest enum values, whether the value is written in the query or sent as a variable', async () => {
    const inQuery = await query(app, 'mutation { setRoles(userId: "x", agencyId: "y", roles: [PRACTITONER]) { id } }');
    const inVariables = await post(
      app,
      JSON.stringify({
        query: 'mutation ($roles: [Role!]!) { setRoles(userId: "x", agencyId: "y", roles: $roles) { id } }',
        variables: { roles: ['PRACTITONER'] },
      }),
      { 'content-type': 'application/json' },
    );
    expect(codeOf(inQuery)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(codeOf(inVariables)).toBe('BAD_USER_INPUT');
    for (const res of [inQuery, inVariables]) {
      expect(res.errors![0].message).toMatch(/does not exist in "Role" enum\.$/);
      expect(res.errors![0].message).not.toMatch(/PRACTITIONER/);
    }
  });

  it('does not serve automatic persisted queries', async () => {
    const hash = 'ecf4edb46db40b5132295c0291d62fb65d6759a9eedfa4d5d612dd5ec54a6b38';
    const res = await post(app, JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }), {
      'content-type': 'application/json',
    });
    expect(codeOf(res)).toBe('PERSISTED_QUERY_NOT_SUPPORTED');
  });

  it('tells browsers and proxies to keep no GraphQL answer, whether it carries data or errors', async () => {
    for (const body of ['{"query":"{ __typename }"}', '{"query":"{ child(id: \\"x\\") { id } }"}', '{"query":"{"}']) {
      const response = await fetch(`${app.baseUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      answers.push(await response.text());
      expect(response.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('refuses a cross-site form post (text/plain)', async () => {
    const res = await post(app, JSON.stringify({ query: 'mutation { logout }' }), { 'content-type': 'text/plain' });
    expect(res.status).toBe(400);
    expect(codeOf(res)).toBe('BAD_REQUEST');
  });

  it('refuses a query sent as GET, which would put its variables in URLs and logs', async () => {
    const url = `${app.baseUrl}/graphql?query=${encodeURIComponent('query ($s: String) { children(filter: { search: $s }) { edges { cursor } } }')}&variables=${encodeURIComponent('{"s":"Kai"}')}`;
    const response = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
    const text = await response.text();
    answers.push(text);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect(JSON.parse(text).errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('refuses a mutation sent as GET, even with the CSRF preflight header', async () => {
    const url = `${app.baseUrl}/graphql?query=${encodeURIComponent('mutation { __typename }')}`;
    const response = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
    const text = await response.text();
    answers.push(text);
    expect(response.status).toBe(405);
    expect(JSON.parse(text).errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('refuses batched requests', async () => {
    const res = await post(app, JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]), {
      'content-type': 'application/json',
    });
    expect(res.status).toBe(400);
    expect(codeOf(res)).toBe('BAD_REQUEST');
  });

  it("answers a body it cannot read in GraphQL's shape, with the status that says why", async () => {
    const oversize = JSON.stringify({ query: '{ me { roles } }', variables: { pad: 'x'.repeat(1_100_000) } });
    const cases: Array<[string, string, number, string]> = [
      [oversize, 'application/json', 413, 'The request body is larger than this service accepts'],
      ['{"query": ', 'application/json', 400, 'The request body is not valid JSON'],
      ['', 'application/json', 400, 'The request body is empty'],
      ['<query/>', 'application/xml', 415, 'GraphQL requests are sent as application/json'],
    ];
    for (const [body, contentType, status, message] of cases) {
      const res = await post(app, body, { 'content-type': contentType });
      expect(res).toEqual({ status, errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] });
    }
  });

  it('refuses a token whose session has ended with 401 and UNAUTHENTICATED, not a server error', async () => {
    const dsl = await app.factories.signedIn({});
    await dsl.client.ok('mutation { logout }');
    const res = await query(app, '{ me { roles } }', dsl.token);
    expect(res.status).toBe(401);
    expect(codeOf(res)).toBe('UNAUTHENTICATED');
  });

  it('has no GraphiQL (a development tool)', async () => {
    expect((await fetch(`${app.baseUrl}/graphiql`)).status).toBe(404);
  });

  describe('when the database fails', () => {
    it('answers a failure inside a resolver as INTERNAL_SERVER_ERROR with a correlation id and nothing else', async () => {
      const dsl = await app.factories.signedIn({});
      await app.ownerQuery('ALTER TABLE agency RENAME COLUMN name TO name_withdrawn');
      try {
        const res = await query(app, '{ me { agency { name } } }', dsl.token);
        expect(res.errors).toEqual([
          {
            message: 'Internal server error',
            path: ['me'],
            extensions: { code: 'INTERNAL_SERVER_ERROR', correlationId: expect.any(String) },
          },
        ]);
      } finally {
        await app.ownerQuery('ALTER TABLE agency RENAME COLUMN name_withdrawn TO name');
      }
    });

    it('answers a failure while resolving the session the same way', async () => {
      const dsl = await app.factories.signedIn({});
      await app.ownerQuery('ALTER TABLE auth_session RENAME TO auth_session_withdrawn');
      try {
        const res = await query(app, '{ me { roles } }', dsl.token);
        expect(res.status).toBe(500);
        expect(res.errors).toEqual([
          {
            message: 'Internal server error',
            extensions: { code: 'INTERNAL_SERVER_ERROR', correlationId: expect.any(String) },
          },
        ]);
      } finally {
        await app.ownerQuery('ALTER TABLE auth_session_withdrawn RENAME TO auth_session');
      }
    });
  });

  it('never answers with a stack trace, SQL or a library message', () => {
    expect(answers.length).toBeGreaterThan(10);
    for (const text of answers) {
      expect(text).not.toMatch(
        /stacktrace|\n\s+at |node_modules|SELECT |withdrawn|\brelation\b|(?<!Value \S+ )does not exist/i,
      );
    }
  });
});
