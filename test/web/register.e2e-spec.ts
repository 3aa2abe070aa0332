import type { Browser } from 'playwright-core';
import { TestApp } from '../../libs/testing/src';
import { launchChromium, PageChecks } from './browser';
import { People } from './people';

const YOUTH_WORKER = 'practitioner@youth-service.demo';
const ACADEMY_LEAD = 'dsl@academy.demo';

/**
 * Joining a child's record as people of two agencies do, on the demo dataset: a youth worker registering a child
 * the school already knows is shown the match, not the record, and asks to be involved; the school's lead
 * accepts from *Requests to decide*, and the record opens. The lead corrects an entry from the timeline. The
 * youth worker works without JavaScript throughout; every page visited is checked by axe at WCAG 2.2 AA.
 */
describe('registering a child the school knows, and being let in by its lead', () => {
  let app: TestApp;
  let browser: Browser;
  let people: People;

  beforeAll(async () => {
    [app, browser] = await Promise.all([TestApp.start({ env: { SEED_DEMO: 'true' } }), launchChromium()]);
    people = new People(browser, new PageChecks(browser), () => app.baseUrl);
  }, 120_000);
  afterAll(async () => {
    await people?.close();
    await browser?.close();
    await app?.stop();
  });

  it('a youth worker registering a child the school knows is shown the match, and asks to be involved', async () => {
    const page = await people.as(YOUTH_WORKER, { javaScript: false });
    await page.getByRole('link', { name: 'Register a child' }).click();
    await page.getByRole('heading', { name: 'Register a child' }).waitFor();
    // The youth service records local authority references and its own, never a school's pupil number.
    expect(await page.getByLabel('Local authority reference').count()).toBe(1);
    expect(await page.getByLabel('Unique pupil number').count()).toBe(0);
    await people.check(YOUTH_WORKER, 'records-register');

    await page.getByRole('button', { name: 'Register the child' }).click();
    const summary = page.locator('.govuk-error-summary');
    await summary.waitFor();
    for (const href of await summary.locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('href')))) {
      expect(await page.locator(href!).count()).toBe(1);
    }
    await people.check(YOUTH_WORKER, 'records-register-errors');

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
    await people.check(YOUTH_WORKER, 'records-possible-matches');

    await page.getByLabel('ST, born 2013').check();
    await page.getByRole('button', { name: 'Request involvement' }).click();
    await page.getByRole('heading', { name: 'Your request has been sent' }).waitFor();
    await expect(page.locator('main').innerText()).resolves.toContain(
      'Your request has been sent to Northbridge Academy',
    );
    await people.check(YOUTH_WORKER, 'records-request-sent');

    await page.getByRole('link', { name: 'See your agency’s requests' }).click();
    const row = page.locator('tbody tr', { hasText: 'ST, born 2013' });
    await expect(row.innerText()).resolves.toContain('Waiting for a decision');
    await people.check(YOUTH_WORKER, 'records-own-requests');
  });

  it("the school's lead accepts it from Requests to decide, and the youth worker then opens the child", async () => {
    const lead = await people.as(ACADEMY_LEAD);
    await lead.getByRole('link', { name: 'Involvement requests' }).click();
    await lead.getByRole('heading', { name: 'Requests to decide' }).waitFor();
    const card = lead.locator('.govuk-summary-card', { hasText: 'Northbridge Youth Service asks to work with ST' });
    await expect(card.innerText()).resolves.toContain('Tuesday club');
    await people.check(ACADEMY_LEAD, 'records-requests-to-decide');
    const form = lead.locator('form', { has: lead.getByRole('group', { name: /Northbridge Youth Service/ }) }).first();
    await form.getByLabel('Accept').check();
    await form.getByLabel('Note to Northbridge Youth Service').fill('Welcome: please share what you see at the club.');
    await form.getByRole('button', { name: 'Send the decision' }).click();
    await expect(lead.locator('.govuk-notification-banner').innerText()).resolves.toContain('accepted');
    await people.check(ACADEMY_LEAD, 'records-request-accepted');

    const worker = await people.as(YOUTH_WORKER);
    await worker.goto(`${app.baseUrl}/requests`);
    await people.check(YOUTH_WORKER, 'records-own-requests-accepted');
    await expect(worker.locator('tbody tr', { hasText: 'Sophie Turner' }).innerText()).resolves.toContain('Accepted');
    await worker.getByRole('link', { name: 'Sophie Turner' }).click();
    await worker.getByRole('heading', { level: 1, name: 'Sophie Turner' }).waitFor();
    await expect(worker.locator('main').innerText()).resolves.toContain('Your agency works with this child');
    await people.check(YOUTH_WORKER, 'records-child-after-acceptance');
  });

  it('the lead corrects an entry from the timeline, and the correction links to it', async () => {
    const lead = await people.as(ACADEMY_LEAD);
    const [kai] = await app.dataSource.query(`SELECT id FROM child WHERE given_name = 'Kai'`);
    await lead.goto(`${app.baseUrl}/children/${kai.id}`);
    await people.check(ACADEMY_LEAD, 'records-child-to-correct');
    const entry = lead.locator('.moj-timeline__item', { hasText: 'Kai told me he was away two weekends running' });
    const entryId = await entry.getAttribute('id');
    await entry.getByRole('link', { name: /Correct this entry/ }).click();
    await lead.getByRole('heading', { name: 'Correct an entry' }).waitFor();
    await people.check(ACADEMY_LEAD, 'records-correct-entry');
    await lead.getByLabel('What happened?').fill('Correction: it was three weekends, not two (from the browser).');
    await lead.getByRole('button', { name: 'Record the correction' }).click();
    await lead.getByRole('heading', { level: 1, name: 'Kai Thompson' }).waitFor();
    const correction = lead.locator('.moj-timeline__item', { hasText: 'three weekends, not two' });
    expect(await correction.getByRole('link', { name: /the entry of/ }).getAttribute('href')).toBe(`#${entryId}`);
    await people.check(ACADEMY_LEAD, 'records-corrected');
  });

  it('raised no error in any page', () => {
    expect(people.problems).toEqual([]);
  });
});
