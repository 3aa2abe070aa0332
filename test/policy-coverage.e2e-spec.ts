import { PolicyCoverage } from '../libs/authz/src';
import { TestApp } from '../libs/testing/src';

describe('authorization policy coverage of the real application', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await TestApp.start();
  });
  afterAll(() => app?.stop());

  it('finds a declared policy on every query, mutation, subscription and field resolver', () => {
    const report = app.nest.get(PolicyCoverage).report();

    expect(report.undeclared).toEqual([]);
    expect(report.checked.length).toBeGreaterThan(0);
    // The sign-in check itself is among the resolvers checked, so the scan really sees the app's resolvers.
    expect(report.checked).toContain('AuthResolver.me');
  });
});
