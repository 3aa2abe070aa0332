import type { Browser, BrowserContext, Page } from 'playwright-core';
import { GraphQLClient, TestApp } from '../../libs/testing/src';
import { DEMO_PASSWORD } from '../../src/demo/demo-people';
import { launchChromium, PageChecks } from './browser';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const DSL = 'dsl@academy.demo';
const CHILD_RECORD = readFileSync(join(__dirname, '../../src/web/child/child.graphql'), 'utf8');

/**
 * The Academy's safeguarding lead at work in a browser, on the demo dataset: with JavaScript and without it
 * (GOV.UK Service Standard: every journey works without), every page checked by axe at WCAG 2.2 AA.
 */
describe('the pages, as the Academy safeguarding lead uses them', () => {
  let app: TestApp;
  let browser: Browser;
  let checks: PageChecks;

  beforeAll(async () => {
    [app, browser] = await Promise.all([TestApp.start({ env: { SEED_DEMO: 'true' } }), launchChromium()]);
    checks = new PageChecks(browser);
  }, 120_000);
  afterAll(async () => {
    await checks?.close();
    await browser?.close();
    await app?.stop();
  });

  const apiAs = async (email: string) => {
    const { login } = await app
      .anonymous()
      .ok(`mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { token } }`, {
        email,
        password: DEMO_PASSWORD,
      });
    return new GraphQLClient(app.baseUrl, login.token);
  };

  describe.each([
    ['with JavaScript', true],
    ['without JavaScript', false],
  ])('%s', (label, javaScriptEnabled) => {
    const tag = javaScriptEnabled ? 'js' : 'no-js';
    let context: BrowserContext;
    let page: Page;
    const problems: string[] = [];

    beforeAll(async () => {
      context = await browser.newContext({ javaScriptEnabled, viewport: { width: 1200, height: 900 } });
      page = await context.newPage();
      page.setDefaultTimeout(10_000);
      page.on('pageerror', (error) => problems.push(error.message));
      page.on('console', (message) => {
        // A page answered 404 or 400 on purpose is logged by Chromium too; the files a page loads are checked below.
        if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
          problems.push(message.text());
        }
      });
      page.on('response', (response) => {
        if (response.status() >= 400 && response.request().resourceType() !== 'document') {
          problems.push(`${response.status()} ${response.url()}`);
        }
      });
    });
    afterAll(() => context?.close());

    it('signs in, and the header names the person and the agency they act for', async () => {
      await page.goto(`${app.baseUrl}/`);
      expect(new URL(page.url()).pathname).toBe('/sign-in');
      expect(await checks.violations(page, `${tag}-sign-in`, { javaScript: javaScriptEnabled })).toEqual([]);
      await page.getByLabel('Email address').fill(DSL);
      await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'My children' }).waitFor();
      const header = page.locator('.govuk-service-navigation');
      await expect(header.innerText()).resolves.toContain('Dana Shaw (demo), Northbridge Academy');
      expect(await checks.violations(page, `${tag}-my-children`, { javaScript: javaScriptEnabled })).toEqual([]);
    });

    it('finds Kai by name and reads his record and chronology, without the police-restricted entry', async () => {
      await page.getByLabel('Name or alias').fill('Kai');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.waitForURL(/search=Kai/);
      const rows = page.locator('tbody tr');
      expect(await rows.count()).toBe(1);
      expect(await checks.violations(page, `${tag}-my-children-search`, { javaScript: javaScriptEnabled })).toEqual([]);
      await page.getByRole('link', { name: 'Kai Thompson' }).click();
      await page.getByRole('heading', { level: 1, name: 'Kai Thompson' }).waitFor();

      const chronology = await page.locator('.moj-timeline').innerText();
      expect(chronology).toContain('Kai arrived in new designer trainers');
      // The police's entry (a live operation) and health's confidential one are not the school's to read.
      expect(chronology).not.toContain('Stopped in Seabourne');
      expect(chronology).not.toContain('Seen in A&E');
      // The correction and the entry it corrects link to each other.
      const correction = page.locator('.moj-timeline__item', { hasText: 'Correction to my entry' });
      const correctedId = (await correction.getByRole('link', { name: /the entry of/ }).getAttribute('href'))!;
      const corrected = page.locator(correctedId);
      expect(await corrected.innerText()).toContain('Kai told me he was away two weekends running');
      const back = (await corrected.getByRole('link', { name: /the entry recorded/ }).getAttribute('href'))!;
      expect(await page.locator(back).innerText()).toContain('Correction to my entry');
      // Each entry's tier is a tag.
      expect(await page.locator('.moj-timeline__item .govuk-tag', { hasText: 'Standard' }).count()).toBeGreaterThan(0);
      // Exit this page is there for when a pupil walks in.
      await page
        .getByRole('button', { name: /Exit this page/ })
        .or(page.getByRole('link', { name: /Exit this page/ }))
        .first()
        .waitFor();
      expect(await checks.violations(page, `${tag}-child`, { javaScript: javaScriptEnabled })).toEqual([]);
    });

    it('is told what to correct when the concern form is sent incomplete, each message linking to its field', async () => {
      await page.getByRole('button', { name: 'Record a concern' }).click();
      await page.getByRole('heading', { name: 'Record a concern' }).waitFor();
      expect(await checks.violations(page, `${tag}-record-concern`, { javaScript: javaScriptEnabled })).toEqual([]);
      await page.getByRole('button', { name: 'Record the concern' }).click();
      const summary = page.locator('.govuk-error-summary');
      await summary.waitFor();
      const links = await summary.locator('a').evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href')));
      expect(links).toEqual(
        expect.arrayContaining(['#occurredAt-day', '#category', '#recruitmentSetting', '#riskLevel']),
      );
      for (const href of links) expect(await page.locator(href!).count()).toBe(1);
      await expect(summary.innerText()).resolves.toContain('Select what the concern is about');
      await expect(page.title()).resolves.toMatch(/^Error: /);
      expect(await checks.violations(page, `${tag}-record-concern-errors`, { javaScript: javaScriptEnabled })).toEqual(
        [],
      );
    });

    it('records a concern through the form and sees it at the top of the timeline', async () => {
      // Newer than every demo entry; the run without JavaScript comes later, so its entry is the later one.
      const now = new Date(Date.now() - (javaScriptEnabled ? 60 : 30) * 60 * 1000);
      const local = new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Europe/London',
        day: 'numeric',
        month: 'numeric',
        year: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        hourCycle: 'h23',
      }).formatToParts(now);
      const part = (type: string) => local.find((p) => p.type === type)!.value;
      const narrative = `Kai was collected from the gate by an older boy in a car (${label}).`;
      await page.getByLabel('Day').fill(part('day'));
      await page.getByLabel('Month').fill(part('month'));
      await page.getByLabel('Year').fill(part('year'));
      await page.getByLabel('Hour').fill(part('hour'));
      await page.getByLabel('Minute').fill(part('minute'));
      await page.getByLabel('Criminal exploitation').check();
      await page.locator('input[name=indicators][value=MULTIPLE_PHONES]').check();
      await page.getByLabel('Secondary school').check();
      await page.getByLabel('High').check();
      await page.getByLabel('Standard').check();
      await page.getByLabel('What happened?').fill(narrative);
      await page.getByRole('button', { name: 'Record the concern' }).click();
      await page.getByRole('heading', { level: 1, name: 'Kai Thompson' }).waitFor();
      await expect(page.locator('.govuk-notification-banner').innerText()).resolves.toContain(
        'added to the chronology',
      );
      const first = page.locator('.moj-timeline__item').first();
      await expect(first.innerText()).resolves.toContain(narrative);
      await expect(first.innerText()).resolves.toContain('Dana Shaw (demo), Northbridge Academy');
      expect(await checks.violations(page, `${tag}-child-after-concern`, { javaScript: javaScriptEnabled })).toEqual(
        [],
      );
    });

    it('records a risk assessment, which becomes his current risk', async () => {
      await page.getByRole('button', { name: 'Record a risk assessment' }).click();
      await page.getByRole('heading', { name: 'Record a risk assessment' }).waitFor();
      expect(await checks.violations(page, `${tag}-record-risk-assessment`, { javaScript: javaScriptEnabled })).toEqual(
        [],
      );
      await page.getByLabel('Critical').check();
      await page.getByLabel('County lines').check();
      await page.getByLabel('Why?').fill(`Seen with older boys daily; missing twice (${label}).`);
      await page.getByRole('button', { name: 'Record the assessment' }).click();
      await page.getByRole('heading', { level: 1, name: 'Kai Thompson' }).waitFor();
      const risk = await page.locator('.govuk-summary-list').first().innerText();
      expect(risk).toContain('Critical');
      expect(risk).toContain(`(${label})`);
    });

    it('shows "Page not found" for a child the Academy does not reach, as for one that does not exist', async () => {
      const reached = new Set(
        (await (await apiAs(DSL)).ok(`{ children(first: 100) { edges { node { id } } } }`)).children.edges.map(
          (edge: { node: { id: string } }) => edge.node.id,
        ),
      );
      const all: Array<{ id: string }> = await app.dataSource.query(`SELECT id FROM child`);
      const unreached = all.find((child) => !reached.has(child.id))!;
      const hidden = await page.goto(`${app.baseUrl}/children/${unreached.id}`);
      const hiddenText = await page.locator('main').innerText();
      expect(await checks.violations(page, `${tag}-page-not-found`, { javaScript: javaScriptEnabled })).toEqual([]);
      const missing = await page.goto(`${app.baseUrl}/children/00000000-0000-4000-8000-000000000000`);
      const nowhere = await page.goto(`${app.baseUrl}/no/such/page`);
      expect([hidden?.status(), missing?.status(), nowhere?.status()]).toEqual([404, 404, 404]);
      expect(await page.locator('main').innerText()).toBe(hiddenText);
      await expect(page.getByRole('heading', { name: 'Page not found' }).count()).resolves.toBe(1);
    });

    it('raised no error in the page', () => {
      expect(problems).toEqual([]);
    });
  });

  describe('one path to the data', () => {
    let context: BrowserContext;
    let page: Page;

    beforeAll(async () => {
      context = await browser.newContext();
      page = await context.newPage();
      await page.goto(`${app.baseUrl}/sign-in`);
      await page.getByLabel('Email address').fill(DSL);
      await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'My children' }).waitFor();
    });
    afterAll(() => context?.close());

    const head = async () =>
      (await app.dataSource.query(`SELECT coalesce(max(seq), 0)::text AS seq FROM audit_event`))[0].seq as string;
    const eventsSince = (seq: string) =>
      app.dataSource.query(
        `SELECT user_id, agency_id, action, subject_type, subject_id, child_id, route, break_glass
           FROM audit_event WHERE seq > $1 ORDER BY seq`,
        [seq],
      );

    it('writes the same audit events for a child page loaded in the browser as for the API read', async () => {
      const [kai] = await app.dataSource.query(`SELECT id FROM child WHERE given_name = 'Kai'`);
      const before = await head();
      await page.goto(`${app.baseUrl}/children/${kai.id}`);
      const byPage = await eventsSince(before);

      const between = await head();
      await (await apiAs(DSL)).ok(CHILD_RECORD, { id: kai.id, after: null });
      const byApi = (await eventsSince(between)).filter((event: { action: string }) => event.action !== 'login');

      expect(byPage.length).toBeGreaterThan(0);
      expect(byPage.map((event: { action: string }) => event.action)).toContain('read');
      expect(byPage).toEqual(byApi);
    });

    it('refuses a form posted without its CSRF token, or with another, and changes nothing', async () => {
      const [kai] = await app.dataSource.query(`SELECT id FROM child WHERE given_name = 'Kai'`);
      const count = async () =>
        Number((await app.dataSource.query(`SELECT count(*) FROM concern WHERE child_id = $1`, [kai.id]))[0].count);
      const concerns = await count();
      const before = await head();
      const form = {
        'occurredAt-day': '1',
        'occurredAt-month': '11',
        'occurredAt-year': '2026',
        'occurredAt-hour': '10',
        'occurredAt-minute': '00',
        category: 'NEGLECT',
        recruitmentSetting: 'HOME',
        riskLevel: 'LOW',
        sensitivity: 'STANDARD',
        narrative: 'Posted from another site.',
      };
      // The browser's own cookies go with it, as they would with a form another site planted.
      const without = await page.request.post(`${app.baseUrl}/children/${kai.id}/concerns`, { form });
      const forged = await page.request.post(`${app.baseUrl}/children/${kai.id}/concerns`, {
        form: { ...form, _csrf: 'A'.repeat(43) },
      });
      expect([without.status(), forged.status()]).toEqual([403, 403]);
      expect(await without.text()).toContain('This form could not be sent');
      expect(await count()).toBe(concerns);
      expect(await eventsSince(before)).toEqual([]);
    });

    it('serves pages under a policy with no inline script, and the scripts they load from this service', async () => {
      const response = await page.goto(`${app.baseUrl}/`);
      const policy = response!.headers()['content-security-policy'];
      expect(policy).toContain("script-src 'self'");
      expect(policy).toContain("frame-ancestors 'none'");
      expect(policy).not.toMatch(/unsafe-inline|unsafe-eval/);
      const html = await response!.text();
      expect(html.match(/<script[^>]*>[^<]*<\/script>/g)).toEqual([
        '<script src="/assets/js-enabled.js"></script>',
        '<script type="module" src="/assets/application.js"></script>',
      ]);
      // GOV.UK Frontend ran: its classes were added by the external scripts.
      expect(await page.locator('body.govuk-frontend-supported').count()).toBe(1);
      for (const asset of [
        '/assets/application.css',
        '/assets/application.js',
        '/assets/fonts/bold-b542beb274-v2.woff2',
      ]) {
        expect([asset, (await fetch(`${app.baseUrl}${asset}`)).status]).toEqual([asset, 200]);
      }
    });
  });
});
