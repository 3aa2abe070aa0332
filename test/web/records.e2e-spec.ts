import type { Browser, Page } from 'playwright-core';
import { TestApp } from '../../libs/testing/src';
import { DEMO_PASSWORD } from '../../src/demo/demo-people';
import { buildWebAssets } from '../../src/web/build';
import { launchChromium, PageChecks } from './browser';

const YOUTH_WORKER = 'practitioner@youth-service.demo';
const ACADEMY_LEAD = 'dsl@academy.demo';
const OFFICER = 'officer@police.demo';
const ST_ANNES_LEAD = 'dsl@st-annes.demo';

/** A calendar day some days from now, as the parts a GOV.UK date input takes. */
function dayParts(daysFromNow: number): { day: string; month: string; year: string } {
  const at = new Date(Date.now() + daysFromNow * 24 * 60 * 60 * 1000);
  return { day: String(at.getUTCDate()), month: String(at.getUTCMonth() + 1), year: String(at.getUTCFullYear()) };
}

/**
 * The shared record as people of several agencies use it, on the demo dataset: registering a child another agency
 * knows and being let in by its lead; sharing and revoking; breaking glass and its review; correcting an entry.
 * The youth worker works without JavaScript throughout; every page visited is checked by axe at WCAG 2.2 AA.
 */
describe('the shared record: registering, involvement requests, sharing and break glass', () => {
  let app: TestApp;
  let browser: Browser;
  let checks: PageChecks;
  const problems: string[] = [];
  const people: Record<string, { page: Page; javaScript: boolean }> = {};

  beforeAll(async () => {
    [app, browser] = await Promise.all([
      TestApp.start({ env: { SEED_DEMO: 'true' } }),
      launchChromium(),
      buildWebAssets(),
    ]);
    checks = new PageChecks(browser);
  }, 120_000);
  afterAll(async () => {
    await checks?.close();
    await browser?.close();
    await app?.stop();
  });

  /** The person's browser, signed in: each person has a context (and cookie jar) of their own. */
  async function as(email: string, javaScript = true): Promise<Page> {
    if (people[email]) return people[email].page;
    const context = await browser.newContext({ javaScriptEnabled: javaScript, viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (error) => problems.push(`${email}: ${error.message}`));
    page.on('response', (response) => {
      if (response.status() >= 400 && response.request().resourceType() !== 'document') {
        problems.push(`${email}: ${response.status()} ${response.url()}`);
      }
    });
    await page.goto(`${app.baseUrl}/sign-in`);
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'My children' }).waitFor();
    people[email] = { page, javaScript };
    return page;
  }

  const check = async (email: string, name: string) =>
    expect(await checks.violations(people[email].page, name, { javaScript: people[email].javaScript })).toEqual([]);

  it('a youth worker registering a child the school knows is shown the match, and asks to be involved', async () => {
    const page = await as(YOUTH_WORKER, false);
    await page.getByRole('link', { name: 'Register a child' }).click();
    await page.getByRole('heading', { name: 'Register a child' }).waitFor();
    // The youth service records local authority references and its own, never a school's pupil number.
    expect(await page.getByLabel('Local authority reference').count()).toBe(1);
    expect(await page.getByLabel('Unique pupil number').count()).toBe(0);
    await check(YOUTH_WORKER, 'records-register');

    await page.getByRole('button', { name: 'Register the child' }).click();
    const summary = page.locator('.govuk-error-summary');
    await summary.waitFor();
    for (const href of await summary.locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('href')))) {
      expect(await page.locator(href!).count()).toBe(1);
    }
    await check(YOUTH_WORKER, 'records-register-errors');

    await page.getByLabel('Given name').fill('Sophie');
    await page.getByLabel('Family name').fill('Turner');
    await page.getByLabel('Day').fill('3');
    await page.getByLabel('Month').fill('7');
    await page.getByLabel('Year').fill('2013');
    await page.getByLabel('Youth work').check();
    await page
      .getByLabel('Why is your agency involved?')
      .fill('Sophie joined our Tuesday club; staff worry about who collects her.');
    await page.getByRole('button', { name: 'Register the child' }).click();
    await page.getByRole('heading', { name: 'This child may already have a record' }).waitFor();
    const card = page.locator('.govuk-summary-card', { hasText: 'ST, born 2013' });
    await expect(card.innerText()).resolves.toContain('Northbridge Academy');
    await expect(card.innerText()).resolves.toContain('Date of birth');
    // Nothing of the record beyond what a match discloses.
    expect(await page.locator('main').innerText()).not.toContain('Quarry Hill');
    await check(YOUTH_WORKER, 'records-possible-matches');

    await page.getByLabel('ST, born 2013').check();
    await page.getByRole('button', { name: 'Request involvement' }).click();
    await page.getByRole('heading', { name: 'Your request has been sent' }).waitFor();
    await expect(page.locator('main').innerText()).resolves.toContain(
      'Your request has been sent to Northbridge Academy',
    );
    await check(YOUTH_WORKER, 'records-request-sent');

    await page.getByRole('link', { name: 'See your agency’s requests' }).click();
    const row = page.locator('tbody tr', { hasText: 'ST, born 2013' });
    await expect(row.innerText()).resolves.toContain('Waiting for a decision');
    await check(YOUTH_WORKER, 'records-own-requests');
  });

  it("the school's lead accepts it from Requests to decide, and the youth worker then opens the child", async () => {
    const lead = await as(ACADEMY_LEAD);
    await lead.getByRole('link', { name: 'Involvement requests' }).click();
    await lead.getByRole('heading', { name: 'Requests to decide' }).waitFor();
    const card = lead.locator('.govuk-summary-card', { hasText: 'Northbridge Youth Service asks to work with ST' });
    await expect(card.innerText()).resolves.toContain('Tuesday club');
    await check(ACADEMY_LEAD, 'records-requests-to-decide');
    const form = lead.locator('form', { has: lead.getByRole('group', { name: /Northbridge Youth Service/ }) }).first();
    await form.getByLabel('Accept').check();
    await form.getByLabel('Note to Northbridge Youth Service').fill('Welcome: please share what you see at the club.');
    await form.getByRole('button', { name: 'Send the decision' }).click();
    await expect(lead.locator('.govuk-notification-banner').innerText()).resolves.toContain('accepted');
    await check(ACADEMY_LEAD, 'records-request-accepted');

    const worker = await as(YOUTH_WORKER);
    await worker.goto(`${app.baseUrl}/requests`);
    await expect(worker.locator('tbody tr', { hasText: 'Sophie Turner' }).innerText()).resolves.toContain('Accepted');
    await worker.getByRole('link', { name: 'Sophie Turner' }).click();
    await worker.getByRole('heading', { level: 1, name: 'Sophie Turner' }).waitFor();
    await expect(worker.locator('main').innerText()).resolves.toContain('Your agency works with this child');
    await check(YOUTH_WORKER, 'records-child-after-acceptance');
  });

  let oliverPath = '';

  it("the school's lead shares Oliver's record with the youth service, which sees it without his address", async () => {
    const lead = await as(ACADEMY_LEAD);
    await lead.goto(`${app.baseUrl}/?search=Oliver`);
    await lead.getByRole('link', { name: 'Oliver Hughes' }).click();
    await lead.getByRole('heading', { level: 1, name: 'Oliver Hughes' }).waitFor();
    oliverPath = new URL(lead.url()).pathname;
    await lead.getByRole('link', { name: 'Sharing this record' }).click();
    await lead.getByRole('heading', { name: 'Sharing' }).waitFor();
    await check(ACADEMY_LEAD, 'records-sharing');

    await lead.getByRole('button', { name: 'Share the record' }).click();
    await lead.locator('.govuk-error-summary').waitFor();
    await check(ACADEMY_LEAD, 'records-sharing-errors');

    const until = dayParts(30);
    await lead.getByLabel('Agency to share with').selectOption({ label: 'Northbridge Youth Service' });
    await lead.locator('input[name=tiers][value=STANDARD]').check();
    await lead.getByLabel('Safeguarding of children').check();
    await lead.getByLabel('What is it shared for?').fill('Youth workers to watch for older boys approaching Oliver.');
    await lead.getByLabel('Day').fill(until.day);
    await lead.getByLabel('Month').fill(until.month);
    await lead.getByLabel('Year').fill(until.year);
    await lead.getByRole('button', { name: 'Share the record' }).click();
    await expect(lead.locator('.govuk-notification-banner').innerText()).resolves.toContain('The record is shared');
    await expect(lead.locator('#grants + table').innerText()).resolves.toContain('Northbridge Youth Service');
    await check(ACADEMY_LEAD, 'records-shared');

    const worker = await as(YOUTH_WORKER);
    await worker.goto(`${app.baseUrl}/?search=Oliver`);
    await worker.getByRole('link', { name: 'Oliver Hughes' }).click();
    await worker.getByRole('heading', { level: 1, name: 'Oliver Hughes' }).waitFor();
    const record = await worker.locator('main').innerText();
    expect(record).toContain('Shared with your agency');
    expect(record).not.toContain('Address');
    expect(record).not.toContain('Larch Avenue');
    // A grantee reads what was lent: it neither shares it on nor reads its trail.
    expect(await worker.getByRole('link', { name: 'Sharing this record' }).count()).toBe(0);
    await check(YOUTH_WORKER, 'records-granted-child');
  });

  it('the lead records a decision not to share with the police and reads the audit trail', async () => {
    const lead = await as(ACADEMY_LEAD);
    await lead.getByLabel('Agency that asked').selectOption({ label: 'Northbridge Police' });
    await lead
      .getByLabel('Why the record is not shared')
      .fill('No policing purpose given; asked to come back with one.');
    await lead.getByRole('button', { name: 'Record the decision not to share' }).click();
    await expect(lead.locator('main').innerText()).resolves.toContain('No policing purpose given');

    await lead.goto(`${app.baseUrl}${oliverPath}`);
    await lead.getByRole('link', { name: 'Audit trail' }).click();
    await lead.getByRole('heading', { name: 'Audit trail' }).waitFor();
    await expect(lead.locator('tbody').innerText()).resolves.toContain(
      'Jordan Blake (demo), Northbridge Youth Service',
    );
    await check(ACADEMY_LEAD, 'records-audit-trail');
  });

  it("the lead revokes the grant, and the youth worker's next page load is Page not found", async () => {
    const lead = await as(ACADEMY_LEAD);
    await lead.goto(`${app.baseUrl}${oliverPath}/sharing`);
    await lead.getByRole('button', { name: 'Revoke sharing with Northbridge Youth Service' }).click();
    await expect(lead.locator('.govuk-notification-banner').innerText()).resolves.toContain('Sharing has ended');

    const worker = await as(YOUTH_WORKER);
    const response = await worker.reload();
    expect(response?.status()).toBe(404);
    await worker.getByRole('heading', { name: 'Page not found' }).waitFor();
    await check(YOUTH_WORKER, 'records-revoked-not-found');
  });

  it('an officer breaks glass behind its warning and a reason, and it shows in the involved school’s review queue', async () => {
    const officer = await as(OFFICER);
    await officer.goto(`${app.baseUrl}/register`);
    await officer.getByLabel('Given name').fill('Amelia');
    await officer.getByLabel('Family name').fill('Scott');
    await officer.getByLabel('Day').fill('14');
    await officer.getByLabel('Month').fill('9');
    await officer.getByLabel('Year').fill('2015');
    await officer.getByLabel('Investigation').check();
    await officer.getByRole('button', { name: 'Register the child' }).click();
    await officer.getByRole('heading', { name: 'This child may already have a record' }).waitFor();
    await officer.getByRole('link', { name: 'Emergency access to the record of AS' }).click();
    await officer.getByRole('heading', { name: 'Emergency access to a child’s record' }).waitFor();
    await expect(officer.locator('.govuk-warning-text').innerText()).resolves.toContain('reviewed');
    await check(OFFICER, 'records-break-glass-warning');

    await officer.getByRole('button', { name: 'Break glass and open the record' }).click();
    await officer.locator('.govuk-error-summary a[href="#reason"]').waitFor();
    await check(OFFICER, 'records-break-glass-errors');
    await officer.getByLabel('Why can the child not wait?').fill('Found at 2am in a trap house; need her carers now.');
    await officer.getByRole('button', { name: 'Break glass and open the record' }).click();
    await officer.getByRole('heading', { level: 1, name: 'Amelia Scott' }).waitFor();
    const record = await officer.locator('main').innerText();
    expect(record).toContain('Emergency access (break glass)');
    expect(record).toContain('Millbrook Court');
    await check(OFFICER, 'records-break-glass-child');

    const reviewer = await as(ST_ANNES_LEAD);
    await reviewer.getByRole('link', { name: 'Break-glass reviews' }).click();
    const card = reviewer.locator('.govuk-summary-card', { hasText: 'DC Amy Stone (demo)' });
    await expect(card.innerText()).resolves.toContain('Found at 2am in a trap house');
    await check(ST_ANNES_LEAD, 'records-break-glass-reviews');
    await reviewer.getByLabel(/Outcome of your review/).fill('Justified: the child was at immediate risk.');
    await reviewer.getByRole('button', { name: 'Record the review' }).click();
    await expect(reviewer.locator('.govuk-notification-banner').innerText()).resolves.toContain('review was recorded');
    await check(ST_ANNES_LEAD, 'records-break-glass-reviewed');
  });

  it('the lead corrects an entry from the timeline, and the correction links to it', async () => {
    const lead = await as(ACADEMY_LEAD);
    await lead.goto(`${app.baseUrl}/?search=Kai`);
    await lead.getByRole('link', { name: 'Kai Thompson' }).click();
    const entry = lead.locator('.moj-timeline__item', { hasText: 'Kai told me he was away two weekends running' });
    const entryId = await entry.getAttribute('id');
    await entry.getByRole('link', { name: /Correct this entry/ }).click();
    await lead.getByRole('heading', { name: 'Correct an entry' }).waitFor();
    await check(ACADEMY_LEAD, 'records-correct-entry');
    await lead.getByLabel('What happened?').fill('Correction: it was three weekends, not two (from the browser).');
    await lead.getByRole('button', { name: 'Record the correction' }).click();
    await lead.getByRole('heading', { level: 1, name: 'Kai Thompson' }).waitFor();
    const correction = lead.locator('.moj-timeline__item', { hasText: 'three weekends, not two' });
    expect(await correction.getByRole('link', { name: /the entry of/ }).getAttribute('href')).toBe(`#${entryId}`);
    await check(ACADEMY_LEAD, 'records-corrected');
  });

  it('raised no error in any page', () => {
    expect(problems).toEqual([]);
  });
});
