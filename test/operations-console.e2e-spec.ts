import { TestApp } from '../libs/testing/src';

describe('the development query console', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await TestApp.start({ env: { NODE_ENV: 'development' } });
  });
  afterAll(() => app.stop());

  it('is a page served by the app itself, loading nothing from elsewhere', async () => {
    const response = await fetch(`${app.baseUrl}/graphiql`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toContain("connect-src 'self'");
    const html = await response.text();
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html).toContain("fetch('/graphql'");
    expect(html).toContain("'content-type': 'application/json'");
  });

  it('sends what the GraphQL endpoint accepts', async () => {
    // The request the page makes: a JSON POST, which CSRF prevention lets through.
    const response = await fetch(`${app.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }', variables: {} }),
    });
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
  });
});
