import type { Browser } from 'playwright-core';
import { TestApp } from '../../libs/testing/src';
import { launchChromium, PageChecks } from './browser';
import { People } from './people';

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
 * Sharing a child's record, and emergency access to it, on the demo dataset: the school's lead shares Oliver's
 * record with the youth service (which reads it without his address), records a decision not to share with the
 * police, reads the audit trail and revokes; an officer breaks glass on a child the police do not know and the
 * school that holds the record reviews it. Every page visited is checked by axe at WCAG 2.2 AA.
 */
describe('sharing, revoking and breaking glass', () => {
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

  let oliverPath = '';

  it("the school's lead shares Oliver's record with the youth service, which sees it without his address", async () => {
    const lead = await people.as(ACADEMY_LEAD);
    const [oliver] = await app.dataSource.query(`SELECT id FROM child WHERE given_name = 'Oliver'`);
    oliverPath = `/children/${oliver.id}`;
    await lead.goto(`${app.baseUrl}${oliverPath}`);
    await lead.getByRole('heading', { level: 1, name: 'Oliver Hughes' }).waitFor();
    await people.check(ACADEMY_LEAD, 'records-child-to-share');
    await lead.getByRole('link', { name: 'Sharing this record' }).click();
    await lead.getByRole('heading', { name: 'Sharing' }).waitFor();
    await people.check(ACADEMY_LEAD, 'records-sharing');

    await lead.getByRole('button', { name: 'Share the record' }).click();
    await lead.locator('.govuk-error-summary').waitFor();
    await people.check(ACADEMY_LEAD, 'records-sharing-errors');

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
    await people.check(ACADEMY_LEAD, 'records-shared');

    const worker = await people.as(YOUTH_WORKER);
    // Shared, he is among the youth service's children.
    await worker.getByRole('link', { name: 'Oliver Hughes' }).click();
    await worker.getByRole('heading', { level: 1, name: 'Oliver Hughes' }).waitFor();
    const record = await worker.locator('main').innerText();
    expect(record).toContain('Shared with your agency');
    expect(record).not.toContain('Address');
    expect(record).not.toContain('Larch Avenue');
    // A grantee reads what was lent: it neither shares it on nor reads its trail.
    expect(await worker.getByRole('link', { name: 'Sharing this record' }).count()).toBe(0);
    await people.check(YOUTH_WORKER, 'records-granted-child');
  });

  it('the lead records a decision not to share with the police and reads the audit trail', async () => {
    const lead = await people.as(ACADEMY_LEAD);
    await lead.getByLabel('Agency that asked').selectOption({ label: 'Northbridge Police' });
    await lead
      .getByLabel('Why the record is not shared')
      .fill('No policing purpose given; asked to come back with one.');
    await lead.getByRole('button', { name: 'Record the decision not to share' }).click();
    await expect(lead.locator('main').innerText()).resolves.toContain('No policing purpose given');
    await people.check(ACADEMY_LEAD, 'records-refused');

    await lead.getByRole('link', { name: 'Back to the record' }).click();
    await lead.getByRole('link', { name: 'Audit trail' }).click();
    await lead.getByRole('heading', { name: 'Audit trail' }).waitFor();
    await expect(lead.locator('tbody').innerText()).resolves.toContain(
      'Jordan Blake (demo), Northbridge Youth Service',
    );
    await people.check(ACADEMY_LEAD, 'records-audit-trail');
  });

  it("the lead revokes the grant, and the youth worker's next page load is Page not found", async () => {
    const lead = await people.as(ACADEMY_LEAD);
    await lead.goto(`${app.baseUrl}${oliverPath}/sharing`);
    await people.check(ACADEMY_LEAD, 'records-sharing-to-revoke');
    await lead.getByRole('button', { name: 'Revoke sharing with Northbridge Youth Service' }).click();
    await expect(lead.locator('.govuk-notification-banner').innerText()).resolves.toContain('Sharing has ended');
    await people.check(ACADEMY_LEAD, 'records-revoked');

    const worker = await people.as(YOUTH_WORKER);
    const response = await worker.reload();
    expect(response?.status()).toBe(404);
    await worker.getByRole('heading', { name: 'Page not found' }).waitFor();
    await people.check(YOUTH_WORKER, 'records-revoked-not-found');
  });

  it('an officer breaks glass behind its warning and a reason, and it shows in the involved school’s review queue', async () => {
    const officer = await people.as(OFFICER);
    await officer.goto(`${app.baseUrl}/register`);
    await people.check(OFFICER, 'records-officer-register');
    await officer.getByLabel('Given name').fill('Amelia');
    await officer.getByLabel('Family name').fill('Scott');
    await officer.getByLabel('Day').fill('14');
    await officer.getByLabel('Month').fill('9');
    await officer.getByLabel('Year').fill('2015');
    await officer.getByLabel('Investigation').check();
    await officer.getByRole('button', { name: 'Register the child' }).click();
    await officer.getByRole('heading', { name: 'This child may already have a record' }).waitFor();
    await people.check(OFFICER, 'records-officer-possible-matches');
    await officer.getByRole('link', { name: 'Emergency access to the record of AS' }).click();
    await officer.getByRole('heading', { name: 'Emergency access to a child’s record' }).waitFor();
    await expect(officer.locator('.govuk-warning-text').innerText()).resolves.toContain('reviewed');
    await people.check(OFFICER, 'records-break-glass-warning');

    await officer.getByRole('button', { name: 'Break glass and open the record' }).click();
    await officer.locator('.govuk-error-summary a[href="#reason"]').waitFor();
    await people.check(OFFICER, 'records-break-glass-errors');
    await officer.getByLabel('Why can the child not wait?').fill('Found at 2am in a trap house; need her carers now.');
    await officer.getByRole('button', { name: 'Break glass and open the record' }).click();
    await officer.getByRole('heading', { level: 1, name: 'Amelia Scott' }).waitFor();
    const record = await officer.locator('main').innerText();
    expect(record).toContain('Emergency access (break glass)');
    expect(record).toContain('Millbrook Court');
    await people.check(OFFICER, 'records-break-glass-child');

    const reviewer = await people.as(ST_ANNES_LEAD);
    await reviewer.getByRole('link', { name: 'Break-glass reviews' }).click();
    const card = reviewer.locator('.govuk-summary-card', { hasText: 'DC Amy Stone (demo)' });
    await expect(card.innerText()).resolves.toContain('Found at 2am in a trap house');
    await people.check(ST_ANNES_LEAD, 'records-break-glass-reviews');
    await reviewer.getByLabel(/Outcome of your review/).fill('Justified: the child was at immediate risk.');
    await reviewer.getByRole('button', { name: 'Record the review' }).click();
    await expect(reviewer.locator('.govuk-notification-banner').innerText()).resolves.toContain('review was recorded');
    await people.check(ST_ANNES_LEAD, 'records-break-glass-reviewed');
  });

  it('raised no error in any page', () => {
    expect(people.problems).toEqual([]);
  });
});
