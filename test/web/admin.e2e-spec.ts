import type { Browser, BrowserContext, Page } from 'playwright-core';
import { TestApp } from '../../libs/testing/src';
import { DEMO_PASSWORD, DEMO_PLATFORM_ADMIN } from '../../src/demo/demo-people';
import { launchChromium, PageChecks } from './browser';

const ACADEMY_ADMIN = 'admin@academy.demo';
const NEWCOMER = { name: 'Nina Patel', email: 'nina.patel@academy.example' };
const FIRST_PASSWORD = 'a first password for Nina';
const SECOND_PASSWORD = 'a second password for Nina';
const RESET_PASSWORD = 'the password Nina chose after the reset';

/**
 * The agency admin and the platform admin at work in a browser, on the demo dataset: inviting a person (who
 * accepts the link and is signed in), changing their roles, resetting their password, deactivating them; and
 * creating an agency and inviting its first admin. Every page checked by axe at WCAG 2.2 AA.
 */
describe('the admin pages', () => {
  let app: TestApp;
  let browser: Browser;
  let checks: PageChecks;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    [app, browser] = await Promise.all([TestApp.start({ env: { SEED_DEMO: 'true' } }), launchChromium()]);
    checks = new PageChecks(browser);
  }, 120_000);
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await checks?.close();
    await browser?.close();
    await app?.stop();
  });

  /** A browser of its own for each person, so one person's session is not another's. */
  async function browserFor(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('response', (response) => {
      if (response.status() >= 400 && response.request().resourceType() !== 'document') {
        problems.push(`${response.status()} ${response.url()}`);
      }
    });
    return page;
  }

  async function signIn(page: Page, email: string, password: string): Promise<void> {
    await page.goto(`${app.baseUrl}/sign-in`);
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  const axe = async (page: Page, name: string) =>
    expect(await checks.violations(page, name, { javaScript: true })).toEqual([]);

  let admin: Page;
  let newcomer: Page;
  let invitationLink: string;
  let resetLink: string;

  it("lets the Academy's admin invite a person, and shows the link to hand over", async () => {
    admin = await browserFor();
    await signIn(admin, ACADEMY_ADMIN, DEMO_PASSWORD);
    await admin.getByRole('heading', { name: 'Safeguard Conference', level: 1 }).waitFor();
    await axe(admin, 'admin-home');
    await admin.locator('.govuk-service-navigation').getByRole('link', { name: 'People' }).click();
    await admin.getByRole('heading', { name: 'People' }).waitFor();
    await expect(admin.locator('table').innerText()).resolves.toContain('Dana Shaw (demo)');
    await axe(admin, 'admin-people');

    await admin.getByRole('button', { name: 'Invite someone' }).click();
    await admin.getByRole('heading', { name: 'Invite someone' }).waitFor();
    // The roles a school may hold: no police or prosecution powers are offered.
    const offered = await admin
      .locator('input[name=roles]')
      .evaluateAll((inputs) => inputs.map((input) => input.getAttribute('value')));
    expect(offered).toEqual(expect.arrayContaining(['AGENCY_ADMIN', 'PRACTITIONER', 'SAFEGUARDING_LEAD']));
    expect(offered).not.toContain('POLICE_OFFICER');
    await axe(admin, 'admin-invite');

    await admin.getByRole('button', { name: 'Create the invitation' }).click();
    await admin.locator('.govuk-error-summary').waitFor();
    await axe(admin, 'admin-invite-errors');

    await admin.getByLabel('Full name').fill(NEWCOMER.name);
    await admin.getByLabel('Email address').fill(NEWCOMER.email);
    await admin.getByLabel('Practitioner').check();
    await admin.getByRole('button', { name: 'Create the invitation' }).click();
    await admin.getByRole('heading', { name: 'Invitation created' }).waitFor();
    invitationLink = (await admin.locator('[data-hand-over-link]').getAttribute('href'))!;
    expect(invitationLink).toMatch(new RegExp(`^${app.baseUrl}/invitations/accept\\?token=[\\w-]{43}$`));
    await axe(admin, 'admin-invited');
  });

  it('lets the invitee accept the link, signed in at once', async () => {
    newcomer = await browserFor();
    await newcomer.goto(invitationLink);
    await newcomer.getByRole('heading', { name: 'Accept your invitation' }).waitFor();
    await axe(newcomer, 'accept-invitation');
    await newcomer.getByLabel('Password', { exact: true }).fill(FIRST_PASSWORD);
    await newcomer.getByRole('button', { name: 'Accept and sign in' }).click();
    await newcomer.getByRole('heading', { name: 'My children' }).waitFor();
    await expect(newcomer.locator('.govuk-service-navigation').innerText()).resolves.toContain(
      `${NEWCOMER.name}, Northbridge Academy`,
    );
  });

  it('lets the invitee change their own password', async () => {
    await newcomer.getByRole('link', { name: 'Change your password' }).click();
    await newcomer.getByRole('heading', { name: 'Change your password' }).waitFor();
    await axe(newcomer, 'change-password');
    await newcomer.getByLabel('Current password').fill('not the password');
    await newcomer.getByLabel('New password').fill(SECOND_PASSWORD);
    await newcomer.getByRole('button', { name: 'Change password' }).click();
    await expect(newcomer.locator('.govuk-error-summary').innerText()).resolves.toContain('current password');
    await axe(newcomer, 'change-password-errors');
    await newcomer.getByLabel('Current password').fill(FIRST_PASSWORD);
    await newcomer.getByLabel('New password').fill(SECOND_PASSWORD);
    await newcomer.getByRole('button', { name: 'Change password' }).click();
    await expect(newcomer.locator('.govuk-notification-banner').innerText()).resolves.toContain(
      'Your password has been changed',
    );
    // Still signed in, on the session the change answered with.
    await newcomer.goto(`${app.baseUrl}/`);
    await newcomer.getByRole('heading', { name: 'My children' }).waitFor();
  });

  it('lets the admin change their roles', async () => {
    await admin.goto(`${app.baseUrl}/people`);
    await admin.getByRole('link', { name: NEWCOMER.name }).click();
    await admin.getByRole('heading', { name: NEWCOMER.name }).waitFor();
    await axe(admin, 'admin-person');
    await admin.getByLabel('Practitioner').uncheck();
    await admin.getByRole('button', { name: 'Save roles' }).click();
    await expect(admin.locator('.govuk-error-summary').innerText()).resolves.toContain('at least one role');
    await axe(admin, 'admin-person-errors');
    await admin.getByLabel('Safeguarding lead').check();
    await admin.getByRole('button', { name: 'Save roles' }).click();
    await expect(admin.locator('.govuk-notification-banner').innerText()).resolves.toContain('roles have been changed');
    const roles = await admin.locator('.govuk-summary-list').innerText();
    expect(roles).toContain('Safeguarding lead');
    expect(roles).not.toContain('Practitioner');
    const [membership] = await app.dataSource.query(
      `SELECT m.roles FROM membership m JOIN app_user u ON u.id = m.user_id WHERE u.email = $1`,
      [NEWCOMER.email],
    );
    expect(membership.roles).toEqual(['SAFEGUARDING_LEAD']);
  });

  it("resets the person's password with a link that works once", async () => {
    await admin.getByRole('button', { name: 'Reset their password' }).click();
    await admin.getByRole('heading', { name: 'Password reset link created' }).waitFor();
    resetLink = (await admin.locator('[data-hand-over-link]').getAttribute('href'))!;
    expect(resetLink).toMatch(new RegExp(`^${app.baseUrl}/password-reset\\?token=[\\w-]+$`));
    await axe(admin, 'admin-password-reset');

    const forgetful = await browserFor();
    await forgetful.goto(resetLink);
    await forgetful.getByRole('heading', { name: 'Set a new password' }).waitFor();
    await axe(forgetful, 'reset-password');
    await forgetful.getByLabel('New password').fill(RESET_PASSWORD);
    await forgetful.getByRole('button', { name: 'Set password and sign in' }).click();
    await forgetful.getByRole('heading', { name: 'My children' }).waitFor();

    const again = await browserFor();
    await again.goto(resetLink);
    await again.getByLabel('New password').fill('someone else trying the link');
    await again.getByRole('button', { name: 'Set password and sign in' }).click();
    await again.getByRole('heading', { name: 'This link does not work' }).waitFor();
    await axe(again, 'reset-password-used');
  });

  it('deactivates the person after a confirmation, and they can no longer sign in', async () => {
    await admin.getByRole('link', { name: `Back to ${NEWCOMER.name}` }).click();
    await admin.getByRole('button', { name: `Deactivate ${NEWCOMER.name}` }).click();
    await admin.getByRole('heading', { name: `Are you sure you want to deactivate ${NEWCOMER.name}?` }).waitFor();
    await axe(admin, 'admin-deactivate');
    await admin.getByRole('button', { name: `Deactivate ${NEWCOMER.name}` }).click();
    await expect(admin.locator('.govuk-notification-banner').innerText()).resolves.toContain('has been deactivated');
    await axe(admin, 'admin-people-after-deactivation');

    const barred = await browserFor();
    await signIn(barred, NEWCOMER.email, RESET_PASSWORD);
    await barred.locator('.govuk-error-summary').waitFor();
    expect(new URL(barred.url()).pathname).toBe('/sign-in');
    // And the session they had ends with it.
    await newcomer.goto(`${app.baseUrl}/`);
    expect(new URL(newcomer.url()).pathname).toBe('/sign-in');
  });

  it("reads the staff member's access log, paged", async () => {
    await admin.getByRole('link', { name: 'Dana Shaw (demo)' }).click();
    await admin.getByRole('link', { name: 'Read their access log' }).click();
    await admin.getByRole('heading', { name: 'Access log' }).waitFor();
    await axe(admin, 'admin-access-log');
  });

  it('lets the platform admin create an agency and invite its first admin, who accepts', async () => {
    const platform = await browserFor();
    await signIn(platform, DEMO_PLATFORM_ADMIN, DEMO_PASSWORD);
    await platform.locator('.govuk-service-navigation').getByRole('link', { name: 'Agencies' }).click();
    await platform.getByRole('heading', { name: 'Agencies' }).waitFor();
    await expect(platform.locator('table').innerText()).resolves.toContain('Northbridge Academy');
    await axe(platform, 'platform-agencies');

    await platform.getByRole('button', { name: 'Create an agency' }).click();
    await platform.getByRole('heading', { name: 'Create an agency' }).waitFor();
    await axe(platform, 'platform-new-agency');
    await platform.getByRole('button', { name: 'Create the agency' }).click();
    await platform.locator('.govuk-error-summary').waitFor();
    await axe(platform, 'platform-new-agency-errors');
    await platform.getByLabel('Name', { exact: true }).fill('Northbridge Sixth Form College');
    await platform.getByLabel('School').check();
    await platform.getByLabel('Local authority (optional)').fill('Northbridge');
    await platform.getByRole('button', { name: 'Create the agency' }).click();
    await platform.getByRole('heading', { name: 'Invite someone' }).waitFor();
    await expect(platform.locator('.govuk-notification-banner').innerText()).resolves.toContain(
      'Northbridge Sixth Form College has been created',
    );
    // The platform admin gives an agency its admins, and no role that reads children.
    const offered = await platform
      .locator('input[name=roles]')
      .evaluateAll((inputs) => inputs.map((input) => input.getAttribute('value')));
    expect(offered).toEqual(['AGENCY_ADMIN']);
    await axe(platform, 'platform-invite-first-admin');
    await platform.getByLabel('Full name').fill('Omar Haddad');
    await platform.getByLabel('Email address').fill('omar.haddad@sixthform.example');
    await platform.getByLabel('Agency admin').check();
    await platform.getByRole('button', { name: 'Create the invitation' }).click();
    await platform.getByRole('heading', { name: 'Invitation created' }).waitFor();
    const link = (await platform.locator('[data-hand-over-link]').getAttribute('href'))!;

    const firstAdmin = await browserFor();
    await firstAdmin.goto(link);
    await firstAdmin.getByLabel('Password', { exact: true }).fill('the sixth form admin password');
    await firstAdmin.getByRole('button', { name: 'Accept and sign in' }).click();
    await firstAdmin.locator('.govuk-service-navigation').getByRole('link', { name: 'People' }).click();
    await firstAdmin.getByRole('heading', { name: 'People' }).waitFor();
    await expect(firstAdmin.locator('.govuk-caption-l').innerText()).resolves.toBe('Northbridge Sixth Form College');
    await expect(firstAdmin.locator('table').innerText()).resolves.toContain('Omar Haddad');
  });

  it('loaded every script and style without an error', () => {
    expect(problems).toEqual([]);
  });
});
