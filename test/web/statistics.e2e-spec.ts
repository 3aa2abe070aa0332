import type { Browser, BrowserContext, Page } from 'playwright-core';
import { GraphQLClient, TestApp } from '../../libs/testing/src';
import { DEMO_LOCAL_AUTHORITY, DEMO_PASSWORD } from '../../src/demo/demo-people';
import { launchChromium, PageChecks } from './browser';

const ANALYST = 'analyst@childrens-services.demo';
const DSL = 'dsl@academy.demo';
const STATISTICS = `query ($from: Date!, $to: Date!, $localAuthority: String) {
  exploitationStatistics(from: $from, to: $to, localAuthority: $localAuthority) {
    concerns byCategory { key count suppressed }
  }
}`;

/**
 * The analyst's statistics page over the demo and a dozen more county lines concerns: the tables show the
 * service's disclosure-controlled counts (small cells marked suppressed), each with its SVG chart, and the CSV
 * holds exactly the rows the tables show.
 */
describe('statistics, as the analyst reads them', () => {
  let app: TestApp;
  let browser: Browser;
  let checks: PageChecks;
  let context: BrowserContext;
  let page: Page;

  const apiAs = async (email: string) => {
    const { login } = await app
      .anonymous()
      .ok(`mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`, {
        e: email,
        p: DEMO_PASSWORD,
      });
    return new GraphQLClient(app.baseUrl, login.token);
  };

  beforeAll(async () => {
    [app, browser] = await Promise.all([TestApp.start({ env: { SEED_DEMO: 'true' } }), launchChromium()]);
    checks = new PageChecks(browser);
    const [kai] = await app.dataSource.query(`SELECT id FROM child WHERE given_name = 'Kai'`);
    const school = await apiAs(DSL);
    for (let n = 0; n < 12; n++) {
      await school.ok(`mutation ($input: RecordConcernInput!) { recordConcern(input: $input) { id } }`, {
        input: {
          childId: kai.id,
          category: 'COUNTY_LINES',
          indicators: [],
          recruitmentSetting: 'STREET',
          riskLevel: 'HIGH',
          sensitivity: 'STANDARD',
          narrative: `Seen at the station with older boys (${n}).`,
          occurredAt: new Date(Date.now() - (n + 2) * 24 * 3600_000).toISOString(),
        },
      });
    }
    context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1200, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
  }, 120_000);
  afterAll(async () => {
    await context?.close();
    await checks?.close();
    await browser?.close();
    await app?.stop();
  });

  const tableRows = (id: string) =>
    page
      .locator(`table[aria-labelledby="${id}"] tbody tr`)
      .evaluateAll((rows) =>
        rows.map((row) => [row.querySelector('th')!.textContent!.trim(), row.querySelector('td')!.textContent!.trim()]),
      );

  it('shows the counts by category as the service disclosed them, small cells suppressed, with a chart', async () => {
    await page.goto(`${app.baseUrl}/sign-in`);
    await page.getByLabel('Email address').fill(ANALYST);
    await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname !== '/sign-in');
    // An analyst reads no child: My children, where signing in lands, is not theirs; Statistics is in the navigation.
    await page.goto(`${app.baseUrl}/statistics`);
    await page.getByRole('heading', { name: 'Exploitation statistics' }).waitFor();
    await expect(
      page.locator('.govuk-service-navigation__item--active', { hasText: 'Statistics' }).count(),
    ).resolves.toBe(1);

    const from = page.getByRole('group', { name: 'From' });
    await from.getByLabel('Day').fill('1');
    await from.getByLabel('Month').fill('1');
    await from.getByLabel('Year').fill('2020');
    await page.getByLabel('Local authority').selectOption(DEMO_LOCAL_AUTHORITY);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/localAuthority=Northbridge/);
    const to = new URL(page.url()).searchParams;
    const toDate = `${to.get('to-year')}-${to.get('to-month')!.padStart(2, '0')}-${to.get('to-day')!.padStart(2, '0')}`;

    const { exploitationStatistics: expected } = await (
      await apiAs(ANALYST)
    ).ok(STATISTICS, { from: '2020-01-01', to: toDate, localAuthority: DEMO_LOCAL_AUTHORITY });
    const rows = await tableRows('by-category');
    const labels = Object.fromEntries(rows.map(([label, shown], n) => [expected.byCategory[n].key, [label, shown]]));
    for (const cell of expected.byCategory) {
      expect(labels[cell.key][1]).toBe(cell.suppressed ? 'Suppressed' : String(cell.count));
    }
    expect(labels.COUNTY_LINES).toEqual([
      'County lines',
      String(expected.byCategory.find((c: any) => c.key === 'COUNTY_LINES').count),
    ]);
    expect(Number(labels.COUNTY_LINES[1])).toBeGreaterThanOrEqual(10);
    expect(rows.some(([, shown]) => shown === 'Suppressed')).toBe(true);
    await expect(page.locator('#total').innerText()).resolves.toContain(String(expected.concerns ?? 'Suppressed'));

    const chart = page.locator('svg[aria-labelledby="by-category-chart-title by-category-chart-desc"]');
    await expect(chart.getAttribute('role')).resolves.toBe('img');
    expect(await chart.locator('rect').count()).toBe(
      expected.byCategory.filter((cell: any) => !cell.suppressed && cell.count > 0).length,
    );
    expect(await checks.violations(page, 'statistics', { javaScript: false })).toEqual([]);
  });

  it('downloads a CSV of exactly the rows the tables show', async () => {
    const href = (await page.getByRole('link', { name: 'Download these tables as CSV' }).getAttribute('href'))!;
    const response = await page.request.get(`${app.baseUrl}${href}`);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toContain('text/csv');
    expect(response.headers()['content-disposition']).toMatch(
      /attachment; filename="exploitation-statistics-2020-01-01-to-/,
    );
    const lines = (await response.text()).trim().split('\r\n');
    expect(lines[0]).toBe('Breakdown,Group,Concerns');
    const total = (await page.locator('#total strong').innerText()).trim();
    expect(lines[1]).toBe(`All concerns,Total,${total}`);
    const shown: string[] = [];
    for (const id of ['by-category', 'by-recruitment-setting', 'by-agency-kind']) {
      const title = (await page.locator(`h2#${id}`).innerText()).trim();
      for (const [label, count] of await tableRows(id)) shown.push([title, label, count].join(','));
    }
    expect(lines.slice(2)).toEqual(shown);
  });

  it('says what to correct when the period does not make sense', async () => {
    await page.goto(
      `${app.baseUrl}/statistics?from-day=2&from-month=3&from-year=2026&to-day=1&to-month=3&to-year=2026`,
    );
    const summary = page.locator('.govuk-error-summary');
    await summary.waitFor();
    await expect(summary.innerText()).resolves.toContain('to cannot be before from');
    expect(await page.locator((await summary.locator('a').first().getAttribute('href'))!).count()).toBe(1);
    expect(await checks.violations(page, 'statistics-error', { javaScript: false })).toEqual([]);
  });
});
