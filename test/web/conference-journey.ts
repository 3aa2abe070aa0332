import type { Browser, BrowserContext, Page } from 'playwright-core';
import { GraphQLClient, TestApp } from '../../libs/testing/src';
import { DEMO_PASSWORD } from '../../src/demo/demo-people';
import { launchChromium, PageChecks } from './browser';

const CHAIR = 'chair@childrens-services.demo';
const DSL = 'dsl@academy.demo';
const OFFICER = 'officer@police.demo';
const YOUTH_WORKER = 'practitioner@youth-service.demo';
const RESTRICTED = 'Operation Kestrel: Kai was seen at the Seabourne address';

/** A calendar date `days` from today, as GOV.UK date input parts. */
function dayParts(days: number) {
  const at = new Date(Date.now() + days * 24 * 3600_000);
  return { day: String(at.getUTCDate()), month: String(at.getUTCMonth() + 1), year: String(at.getUTCFullYear()) };
}

/**
 * Kai's initial child protection conference in the browser (issue 13): the chair convenes it and sees its due date
 * before saving; the school, the police and the youth service accept and report (the school's attendee does not
 * read the police's restricted report); the chair records attendance and decides VICTIM_PROTECTION with plan
 * actions and a dissent, and the school's lead sees the decision arrive in the header (live with JavaScript, on the
 * next page without); the school marks its action done. With JavaScript and without, every page checked by axe.
 */
export function describeConferenceJourney(label: string, javaScriptEnabled: boolean): void {
  describe(`conferences, as the chair and the agencies around the table use them, ${label}`, () => {
    let app: TestApp;
    let browser: Browser;
    let checks: PageChecks;
    let kaiId: string;

    beforeAll(async () => {
      [app, browser] = await Promise.all([TestApp.start({ env: { SEED_DEMO: 'true' } }), launchChromium()]);
      checks = new PageChecks(browser);
      [{ id: kaiId }] = await app.dataSource.query(`SELECT id FROM child WHERE given_name = 'Kai'`);
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

    describe('the initial conference', () => {
      const tag = `conf-${javaScriptEnabled ? 'js' : 'no-js'}`;
      const contexts: BrowserContext[] = [];
      const pages: Record<string, Page> = {};
      let conferenceId: string;

      const check = async (page: Page, name: string) =>
        expect(await checks.violations(page, `${tag}-${name}`, { javaScript: javaScriptEnabled })).toEqual([]);

      const signIn = async (email: string) => {
        const context = await browser.newContext({ javaScriptEnabled, viewport: { width: 1200, height: 900 } });
        contexts.push(context);
        const page = await context.newPage();
        page.setDefaultTimeout(10_000);
        await page.goto(`${app.baseUrl}/sign-in`);
        await page.getByLabel('Email address').fill(email);
        await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByRole('heading', { name: 'My children' }).waitFor();
        pages[email] = page;
        return page;
      };

      afterAll(async () => {
        for (const context of contexts) await context.close();
      });

      it('the chair convenes the initial conference from Kai’s page and sees its due date before saving', async () => {
        const page = await signIn(CHAIR);
        await page.goto(`${app.baseUrl}/children/${kaiId}`);
        await page.getByRole('button', { name: 'Convene a conference' }).click();
        await page.getByRole('heading', { name: 'Convene a conference' }).waitFor();
        await check(page, 'convene');
        await page.getByLabel('Initial child protection conference', { exact: true }).check();
        const discussion = dayParts(-3);
        const strategy = page.getByRole('group', { name: 'When was the strategy discussion?' });
        await strategy.getByLabel('Day').fill(discussion.day);
        await strategy.getByLabel('Month').fill(discussion.month);
        await strategy.getByLabel('Year').fill(discussion.year);
        const held = dayParts(10);
        const date = page.getByRole('group', { name: 'Date', exact: true });
        await date.getByLabel('Day').fill(held.day);
        await date.getByLabel('Month').fill(held.month);
        await date.getByLabel('Year').fill(held.year);
        await page.getByLabel('Hour').fill('10');
        await page.getByLabel('Minute').fill('00');
        for (const agency of ['Northbridge Academy', 'Northbridge Police', 'Northbridge Youth Service']) {
          await page.getByLabel(agency, { exact: true }).check();
        }
        await page.getByRole('button', { name: 'Continue' }).click();
        await page.getByRole('heading', { name: 'Check the conference before convening it' }).waitFor();
        const shownDue = await page.locator('#due-by').innerText();
        await check(page, 'convene-check');
        await page.getByRole('button', { name: 'Convene the conference' }).click();
        await page.getByRole('heading', { name: 'Initial child protection conference' }).waitFor();
        conferenceId = new URL(page.url()).pathname.split('/').pop()!;
        const { conference } = await (
          await apiAs(CHAIR)
        ).ok(`query ($id: ID!) { conference(id: $id) { dueBy } }`, { id: conferenceId });
        const [year, month, day] = conference.dueBy.split('-').map(Number);
        expect(shownDue).toBe(
          new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' }).format(
            new Date(Date.UTC(year, month - 1, day)),
          ),
        );
        expect(await page.locator('.govuk-summary-list').first().innerText()).toContain(shownDue);
        await check(page, 'conference-convened');
      });

      it('the school, the police and the youth service accept and submit their reports', async () => {
        const reports: Array<[string, string, string]> = [
          [DSL, `Attendance has fallen to 60% since September (${label}).`, 'Standard'],
          [OFFICER, `${RESTRICTED} (${label}).`, 'Police restricted'],
          [YOUTH_WORKER, `Kai stopped coming to the youth club in October (${label}).`, 'Standard'],
        ];
        for (const [email, content, tier] of reports) {
          const page = await signIn(email);
          const [invitation] = (
            await (await apiAs(email)).ok(`{ conferenceInvitations(response: PENDING) { id conferenceId } }`)
          ).conferenceInvitations.filter((inv: { conferenceId: string }) => inv.conferenceId === conferenceId);
          await page.getByRole('link', { name: 'My conferences' }).click();
          await page.getByRole('heading', { name: 'My conferences' }).waitFor();
          if (email === DSL) await check(page, 'my-conferences-invited');
          await page
            .locator(`form[action="/conferences/invitations/${invitation.id}"]`)
            .getByRole('button', { name: /Accept/ })
            .click();
          await page.getByRole('heading', { name: 'Initial child protection conference' }).waitFor();
          await page.getByLabel('Your agency’s report').fill(content);
          await page.getByLabel(tier, { exact: true }).check();
          await page.getByRole('button', { name: 'Submit the report' }).click();
          await page.locator('.govuk-notification-banner', { hasText: 'report was submitted' }).waitFor();
          if (email === OFFICER) await check(page, 'conference-reported');
        }
      });

      it('the school’s attendee reads the reports in its tiers, not the police’s restricted one', async () => {
        const page = pages[DSL];
        await page.goto(`${app.baseUrl}/conferences/${conferenceId}`);
        const reports = await page.locator('.app-report').allInnerTexts();
        expect(reports.join('\n')).toContain('Attendance has fallen to 60%');
        expect(reports.join('\n')).toContain('stopped coming to the youth club');
        expect(reports.join('\n')).not.toContain('Operation Kestrel');
        expect(await pages[OFFICER].reload().then(() => pages[OFFICER].locator('.app-report').allInnerTexts())).toEqual(
          expect.arrayContaining([expect.stringContaining('Operation Kestrel')]),
        );
      });

      const unreadIn = (page: Page) =>
        page.locator('.govuk-service-navigation [data-unread-count]').getAttribute('data-unread-count').then(Number);

      it('the chair records attendance, sees quorum met, and decides with plan actions and a dissent', async () => {
        // The school's lead keeps the conference open meanwhile; with JavaScript its header hears of the decision.
        const school = pages[DSL];
        const unreadBefore = await unreadIn(school);
        const page = pages[CHAIR];
        await page.goto(`${app.baseUrl}/conferences/${conferenceId}`);
        await expect(page.locator('.govuk-summary-list').first().innerText()).resolves.toContain(
          'Attendance not recorded yet',
        );
        await page.getByRole('button', { name: 'Start the conference' }).click();
        await page.locator('.govuk-notification-banner', { hasText: 'attendance is recorded' }).waitFor();
        await expect(page.locator('.govuk-summary-list').first().innerText()).resolves.toContain('Quorum met');
        await check(page, 'conference-in-session');

        // Sent without a recommendation: the error summary links to it.
        await page.getByRole('button', { name: 'Record the decision' }).click();
        const summary = page.locator('.govuk-error-summary');
        await summary.waitFor();
        await expect(summary.innerText()).resolves.toContain('Select the conference’s recommendation');
        await check(page, 'conference-decision-errors');

        await page.getByLabel('Protect the child as a victim').check();
        await page
          .getByLabel('Why?')
          .fill(`Kai is being groomed into county lines; protect him as a victim (${label}).`);
        await page.getByRole('button', { name: 'Add another action' }).click();
        await page.getByRole('group', { name: 'Action 4' }).waitFor();
        const due = dayParts(14);
        const actions: Array<[number, string, string]> = [
          [1, 'Daily check-in with a trusted adult at school', 'Northbridge Academy'],
          [4, 'Disruption plan for the Seabourne address', 'Northbridge Police'],
        ];
        for (const [n, description, owner] of actions) {
          const row = page.getByRole('group', { name: `Action ${n}`, exact: true });
          await row.getByLabel('What is to be done').fill(description);
          await row.getByLabel('Owning agency').selectOption({ label: owner });
          await row.getByLabel('Day').fill(due.day);
          await row.getByLabel('Month').fill(due.month);
          await row.getByLabel('Year').fill(due.year);
        }
        await page
          .getByLabel('Northbridge Police dissents (optional)')
          .fill('The police would keep a prosecution open while the NRM decides.');
        await page.getByRole('button', { name: 'Record the decision' }).click();
        await page.locator('.govuk-notification-banner', { hasText: 'decision was recorded' }).waitFor();
        const decision = await page.locator('#decision ~ .govuk-summary-list').first().innerText();
        expect(decision).toContain('Protect the child as a victim');
        expect(await page.locator('.app-dissent').innerText()).toContain('Northbridge Police');
        const rows = await page.locator('#actions ~ table tbody tr').allInnerTexts();
        expect(rows).toHaveLength(2);
        expect(rows[0]).toContain('Daily check-in');
        expect(rows[1]).toContain('Disruption plan');
        expect(await page.getByText('Next review due by').count()).toBe(1);
        await check(page, 'conference-decided');
        if (javaScriptEnabled) {
          // Without a reload: the decision arrives over the page's subscription (assets/live-notifications.ts).
          await school
            .locator(`.govuk-service-navigation [data-unread-count="${unreadBefore + 1}"]`)
            .waitFor({ timeout: 15_000 });
          expect(await unreadIn(school)).toBe(unreadBefore + 1);
        } else {
          await school.reload();
          expect(await unreadIn(school)).toBe(unreadBefore + 1);
        }
      });

      it('the school marks its action done, and the conference pack prints what was decided', async () => {
        const page = pages[DSL];
        await page.goto(`${app.baseUrl}/conferences/${conferenceId}`);
        await page.getByRole('heading', { name: 'Plan actions' }).waitFor();
        await page.getByRole('button', { name: /Mark done\s*: Daily check-in/ }).click();
        await page.locator('.govuk-notification-banner', { hasText: 'action was updated' }).waitFor();
        expect(await page.locator('#actions ~ table tbody tr').first().innerText()).toContain('Done');
        await page.getByRole('link', { name: 'Print the conference pack' }).click();
        await page
          .getByRole('heading', { name: /Conference pack|initial child protection conference/ })
          .first()
          .waitFor();
        await check(page, 'conference-pack');
        await page.emulateMedia({ media: 'print' });
        expect(await page.locator('.govuk-service-navigation').isVisible()).toBe(false);
        expect(await page.locator('main').innerText()).toContain('Daily check-in');
        await page.emulateMedia({ media: 'screen' });
      });
    });
  });
}
