import type { Browser, BrowserContext, Page } from 'playwright-core';
import { GraphQLClient, TestApp } from '../../libs/testing/src';
import { DEMO_PASSWORD } from '../../src/demo/demo-people';
import { launchChromium, PageChecks } from './browser';

const OFFICER = 'officer@police.demo';
const PROSECUTOR = 'prosecutor@cps.demo';
const DSL = 'dsl@academy.demo';
const BASIS = 'Found with the drugs himself; I see nothing that says he was made to carry them.';
const RATIONALE = 'Public interest reasoning that the other agencies never read.';

/**
 * The police officer refers Kai to the NRM and records a positive Reasonable Grounds decision; the prosecutor walks
 * the non-punishment assessment one question a page, is refused PROSECUTE with "no reason to believe" against that
 * decision (the error on the stage 1 page), and records NO_PROSECUTION; the school's lead sees the outcome and not
 * the reasoning. Without JavaScript: the question pages carry their answers in the form.
 */
describe('the NRM and the prosecutor’s assessment, without JavaScript', () => {
  let app: TestApp;
  let browser: Browser;
  let checks: PageChecks;
  let kaiId: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [app, browser] = await Promise.all([TestApp.start({ env: { SEED_DEMO: 'true' } }), launchChromium()]);
    checks = new PageChecks(browser);
    [{ id: kaiId }] = await app.dataSource.query(`SELECT id FROM child WHERE given_name = 'Kai'`);
  }, 120_000);
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await checks?.close();
    await browser?.close();
    await app?.stop();
  });

  const check = async (page: Page, name: string) =>
    expect(await checks.violations(page, `nrm-${name}`, { javaScript: false })).toEqual([]);

  const signIn = async (email: string) => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1200, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${app.baseUrl}/sign-in`);
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'My children' }).waitFor();
    await page.goto(`${app.baseUrl}/children/${kaiId}`);
    await page.getByRole('heading', { level: 1, name: 'Kai Thompson' }).waitFor();
    return page;
  };

  const continueTo = async (page: Page, heading: string | RegExp) => {
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  };

  it('the police officer refers Kai and records a positive Reasonable Grounds decision', async () => {
    const page = await signIn(OFFICER);
    const before = await page.locator('.app-nrm-referral').count();
    await page.getByRole('button', { name: 'Refer to the NRM' }).click();
    await page.getByRole('heading', { name: 'Refer to the National Referral Mechanism' }).waitFor();
    await check(page, 'refer');
    await page.getByLabel('County lines').check();
    await page.getByLabel('Criminal exploitation').check();
    await page.getByRole('button', { name: 'Record the referral' }).click();
    await page.locator('.govuk-notification-banner', { hasText: 'NRM referral was recorded' }).waitFor();
    expect(await page.locator('.app-nrm-referral').count()).toBe(before + 1);
    const referral = page.locator('.app-nrm-referral').last();
    expect(await referral.innerText()).toMatch(/Reasonable Grounds\s+Awaiting decision/);
    expect(await referral.innerText()).toContain('County lines');

    const { login } = await app
      .anonymous()
      .ok(`mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`, {
        e: OFFICER,
        p: DEMO_PASSWORD,
      });
    const { child } = await new GraphQLClient(app.baseUrl, login.token).ok(
      `query ($id: ID!) { child(id: $id) { nrmReferrals { id } } }`,
      { id: kaiId },
    );
    const referralId = child.nrmReferrals.at(-1).id;
    await page.locator(`a[href="/children/${kaiId}/nrm/${referralId}/decision"]`).click();
    await page.getByRole('heading', { name: 'Record an NRM decision' }).waitFor();
    await check(page, 'decision');
    expect(await page.getByLabel('Reasonable Grounds').isChecked()).toBe(true);
    await page.getByLabel('Positive').check();
    await page.getByRole('button', { name: 'Record the decision' }).click();
    await page.locator('.govuk-notification-banner', { hasText: 'NRM decision was recorded' }).waitFor();
    expect(await page.locator('.app-nrm-referral').last().innerText()).toMatch(/Reasonable Grounds\s+Positive/);
    await check(page, 'child-after-decision');
  });

  it('the prosecutor walks the stages, is refused PROSECUTE with no reason to believe, and records NO_PROSECUTION', async () => {
    const page = await signIn(PROSECUTOR);
    await page.getByRole('button', { name: 'Record a non-punishment assessment' }).click();
    await page.getByRole('heading', { level: 1, name: 'What offence is the child suspected of?' }).waitFor();
    await check(page, 'offence');
    await continueTo(page, 'What offence is the child suspected of?');
    await expect(page.locator('.govuk-error-summary').innerText()).resolves.toContain('Enter the offence');
    await check(page, 'offence-error');
    await page
      .getByLabel('What offence is the child suspected of?')
      .fill('Possession with intent to supply crack cocaine');
    await continueTo(page, 'When was the offence committed?');
    const offence = new Date(Date.now() - 20 * 24 * 3600_000);
    await page.getByLabel('Day').fill(String(offence.getUTCDate()));
    await page.getByLabel('Month').fill(String(offence.getUTCMonth() + 1));
    await page.getByLabel('Year').fill(String(offence.getUTCFullYear()));
    await continueTo(page, /reason to believe the child is a victim/);
    const evidence = await page.locator('.app-evidence').innerText();
    expect(evidence).toContain('positive Reasonable Grounds decision');
    expect(evidence).toContain('Protect the child as a victim');
    await check(page, 'reason-to-believe');
    await page.getByLabel('No').check();
    await page.getByLabel('What does your answer rest on?').fill(BASIS);
    await continueTo(page, /duress/);
    await page.getByLabel('No').check();
    await continueTo(page, /Schedule 4/);
    await page.getByLabel('No').check();
    await continueTo(page, /section 45 defence/);
    // The limb follows from Kai's age on the offence date.
    await expect(page.locator('.app-evidence').innerText()).resolves.toMatch(/the child limb, section 45\(4\) applies/);
    await check(page, 'section-45');
    await page.getByLabel('No').check();
    await continueTo(page, /public interest/);
    await page.getByLabel(/public interest/).fill(RATIONALE);
    await continueTo(page, 'What is the outcome?');
    await page.getByLabel('Prosecute').check();
    await continueTo(page, 'Check your answers before recording the assessment');
    await check(page, 'check-answers');
    const answers = await page.locator('.govuk-summary-list').innerText();
    expect(answers).toContain('Possession with intent to supply crack cocaine');
    expect(answers).toContain(BASIS);

    // Refused on the page of the stage it concerns.
    await page.getByRole('button', { name: 'Record the assessment' }).click();
    await page
      .getByRole('heading', {
        level: 1,
        name: 'Is there reason to believe the child is a victim of trafficking or slavery?',
      })
      .waitFor();
    const summary = page.locator('.govuk-error-summary');
    await expect(summary.innerText()).resolves.toContain('Stage 1');
    await expect(summary.innerText()).resolves.toContain('Reasonable Grounds');
    const href = await summary.locator('a').first().getAttribute('href');
    expect(await page.locator(href!).count()).toBe(1);
    await expect(page.title()).resolves.toMatch(/^Error: /);
    await check(page, 'refused');

    await page.getByLabel('Yes').check();
    await page
      .getByLabel('What does your answer rest on?')
      .fill('A positive Reasonable Grounds decision is on the record.');
    await continueTo(page, 'Check your answers before recording the assessment');
    await page.getByRole('button', { name: /Change\s*the answer to: What is the outcome\?/ }).click();
    await page.getByRole('heading', { level: 1, name: 'What is the outcome?' }).waitFor();
    await page.getByLabel('No prosecution').check();
    await continueTo(page, 'Check your answers before recording the assessment');
    await page.getByRole('button', { name: 'Record the assessment' }).click();
    await page.getByRole('heading', { name: 'Assessment recorded' }).waitFor();
    await expect(page.locator('.govuk-panel').innerText()).resolves.toContain('No prosecution');
    await check(page, 'recorded');
  });

  it('the school’s lead sees the outcome on Kai’s page, and none of the reasoning', async () => {
    const page = await signIn(DSL);
    const section = await page.locator('.app-assessment').first().innerText();
    expect(section).toContain('No prosecution');
    const html = await page.content();
    expect(html).not.toContain('A positive Reasonable Grounds decision is on the record.');
    expect(html).not.toContain(RATIONALE);
    expect(html).not.toContain(BASIS);
    expect(await page.getByRole('button', { name: 'Record a non-punishment assessment' }).count()).toBe(0);
  });

  it('prints Kai’s chronology cleanly: the record and its timeline, without navigation, buttons or forms', async () => {
    const page = await signIn(DSL);
    await page.emulateMedia({ media: 'print' });
    for (const hidden of ['.govuk-service-navigation', '.govuk-footer', '.govuk-exit-this-page']) {
      expect(await page.locator(hidden).first().isVisible()).toBe(false);
    }
    expect(await page.getByRole('button', { name: 'Record a concern' }).isVisible()).toBe(false);
    expect(await page.locator('.moj-timeline').isVisible()).toBe(true);
    expect(await page.locator('.moj-timeline').innerText()).toContain('Kai arrived in new designer trainers');
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await page.emulateMedia({ media: 'screen' });
  });
});
