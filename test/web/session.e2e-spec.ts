import type { Browser, BrowserContext, Page } from 'playwright-core';
import { TestApp } from '../../libs/testing/src';
import { PasswordService } from '../../src/auth/password.service';
import { AgencyKind, Role } from '../../src/common/enums/agencies';
import { launchChromium, PageChecks } from './browser';

const PASSWORD = 'a long enough password';
/**
 * Short, so the idle timeout and its warning can be watched (the warning comes halfway), yet long enough that an
 * axe check with the warning open still ends before the idle time does on a loaded machine.
 */
const IDLE_SECONDS = 12;

describe('signing in and out of the pages', () => {
  let app: TestApp;
  let browser: Browser;
  let checks: PageChecks;
  let hash: string;

  beforeAll(async () => {
    [app, browser] = await Promise.all([
      TestApp.start({ env: { SESSION_IDLE_TIMEOUT_SECONDS: String(IDLE_SECONDS) } }),
      launchChromium(),
    ]);
    checks = new PageChecks(browser);
    hash = await app.nest.get(PasswordService).hash(PASSWORD);
  }, 120_000);
  afterAll(async () => {
    await checks?.close();
    await browser?.close();
    await app?.stop();
  });

  async function person(roles = [Role.SAFEGUARDING_LEAD]) {
    const agency = await app.factories.agency({ kind: AgencyKind.SCHOOL });
    return { ...(await app.factories.user({ agency, roles, passwordHash: hash })), agency };
  }

  async function signIn(page: Page, email: string): Promise<void> {
    await page.goto(`${app.baseUrl}/sign-in`);
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  const liveSessions = async (userId: string) =>
    Number(
      (
        await app.dataSource.query(`SELECT count(*) FROM auth_session WHERE user_id = $1 AND revoked_at IS NULL`, [
          userId,
        ])
      )[0].count,
    );

  describe('without JavaScript', () => {
    let context: BrowserContext;
    let page: Page;
    beforeEach(async () => {
      context = await browser.newContext({ javaScriptEnabled: false });
      page = await context.newPage();
      page.setDefaultTimeout(10_000);
    });
    afterEach(() => context?.close());

    it('keeps the session in an HttpOnly, SameSite=Lax cookie, sent over plain HTTP only outside production', async () => {
      const dsl = await person();
      await signIn(page, dsl.email);
      await page.getByRole('heading', { name: 'My children' }).waitFor();
      const cookie = (await context.cookies()).find((c) => c.name === 'safeguard_session')!;
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false, expires: -1 });
    });

    it('says the same for an unknown email and a wrong password, linking to the field', async () => {
      const dsl = await person();
      for (const email of [dsl.email, 'nobody@example.test']) {
        await page.goto(`${app.baseUrl}/sign-in`);
        await page.getByLabel('Email address').fill(email);
        await page.getByLabel('Password', { exact: true }).fill('not the password');
        await page.getByRole('button', { name: 'Sign in' }).click();
        const summary = page.locator('.govuk-error-summary');
        await expect(summary.innerText()).resolves.toContain('The email or password is incorrect');
        await expect(summary.locator('a').getAttribute('href')).resolves.toBe('#email');
      }
      expect(await checks.violations(page, 'no-js-sign-in-error', { javaScript: false })).toEqual([]);
    });

    it('asks a person in several agencies which one they work for now, and signs them in for it', async () => {
      const multi = await person();
      const police = await app.factories.agency({ kind: AgencyKind.POLICE, name: 'Northbridge Police (test)' });
      await app.factories.membership(multi.id, police, [Role.POLICE_OFFICER]);
      await signIn(page, multi.email);
      const choice = page.getByRole('group', { name: 'Which agency are you working for now?' });
      await choice.waitFor();
      expect(await checks.violations(page, 'no-js-sign-in-agency-choice', { javaScript: false })).toEqual([]);
      await choice.getByLabel('Northbridge Police (test)').check();
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'My children' }).waitFor();
      await expect(page.locator('.govuk-service-navigation').innerText()).resolves.toContain(
        'Northbridge Police (test)',
      );
    });

    it('comes back to the page asked for once signed in', async () => {
      const dsl = await person();
      await page.goto(`${app.baseUrl}/?search=Kai`);
      await page.getByLabel('Email address').fill(dsl.email);
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${app.baseUrl}/?search=Kai`);
    });

    it('ends the session on the server at sign out', async () => {
      const dsl = await person();
      await signIn(page, dsl.email);
      await page.getByRole('heading', { name: 'My children' }).waitFor();
      expect(await liveSessions(dsl.id)).toBe(1);
      await page.getByRole('button', { name: 'Sign out' }).click();
      await expect(page.locator('.govuk-notification-banner').innerText()).resolves.toContain('You have signed out');
      expect(await liveSessions(dsl.id)).toBe(0);
      await page.goto(`${app.baseUrl}/`);
      expect(new URL(page.url()).pathname).toBe('/sign-in');
    });

    it('signs out on the server a person idle longer than the timeout, on their next page', async () => {
      const dsl = await person();
      await signIn(page, dsl.email);
      await page.getByRole('heading', { name: 'My children' }).waitFor();
      await page.waitForTimeout((IDLE_SECONDS + 1) * 1000);
      await page.goto(`${app.baseUrl}/`);
      expect(new URL(page.url()).pathname).toBe('/sign-in');
      await expect(page.locator('.govuk-notification-banner').innerText()).resolves.toContain(
        'You were signed out because you had not used the service for a while',
      );
      expect(await liveSessions(dsl.id)).toBe(0);
    });

    it('shows an internal error with the correlation id to quote, and nothing of the cause', async () => {
      const dsl = await person();
      await signIn(page, dsl.email);
      await page.getByRole('heading', { name: 'My children' }).waitFor();
      await app.ownerQuery('ALTER TABLE agency RENAME COLUMN name TO name_withdrawn');
      try {
        const response = await page.goto(`${app.baseUrl}/`);
        expect(response?.status()).toBe(500);
        const reference = await page.locator('[data-correlation-id]').innerText();
        expect(reference).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        expect(await page.locator('main').innerText()).not.toMatch(/name_withdrawn|column|SQL/i);
        expect(await checks.violations(page, 'no-js-internal-error', { javaScript: false })).toEqual([]);
      } finally {
        await app.ownerQuery('ALTER TABLE agency RENAME COLUMN name_withdrawn TO name');
      }
    });

    it('refuses a sign-in form posted without its token', async () => {
      const dsl = await person();
      const response = await page.request.post(`${app.baseUrl}/sign-in`, {
        form: { email: dsl.email, password: PASSWORD },
      });
      expect(response.status()).toBe(403);
      expect(await liveSessions(dsl.id)).toBe(0);
    });
  });

  describe('with JavaScript', () => {
    let context: BrowserContext;
    let page: Page;
    beforeEach(async () => {
      context = await browser.newContext();
      page = await context.newPage();
      page.setDefaultTimeout(10_000);
    });
    afterEach(() => context?.close());

    it('warns before the timeout, and "Stay signed in" keeps the session', async () => {
      const dsl = await person();
      await signIn(page, dsl.email);
      await page.getByRole('heading', { name: 'My children' }).waitFor();
      const dialog = page.getByRole('dialog', { name: 'You’re about to be signed out' });
      await dialog.waitFor({ timeout: IDLE_SECONDS * 1000 });
      expect(await checks.violations(page, 'js-timeout-warning', { javaScript: true })).toEqual([]);
      await dialog.getByRole('button', { name: 'Stay signed in' }).click();
      await dialog.waitFor({ state: 'hidden' });
      // Past the first deadline: still signed in, because staying started the idle time again.
      await page.waitForTimeout(IDLE_SECONDS * 600);
      await page.reload();
      await page.getByRole('heading', { name: 'My children' }).waitFor();
      expect(await liveSessions(dsl.id)).toBe(1);
    });

    it('signs out a person who lets the warning run out', async () => {
      const dsl = await person();
      await signIn(page, dsl.email);
      await page.getByRole('heading', { name: 'My children' }).waitFor();
      await page.waitForURL(/\/sign-in\?signedOut=timed-out/, { timeout: (IDLE_SECONDS + 3) * 1000 });
      await expect(page.locator('.govuk-notification-banner').innerText()).resolves.toContain('You were signed out');
      expect(await liveSessions(dsl.id)).toBe(0);
    });
  });

  it('leaves the API as it was: GraphQL over POST only, without the pages’ policy', async () => {
    const get = await fetch(`${app.baseUrl}/graphql?query=%7B__typename%7D`);
    expect(get.status).toBe(405);
    const post = await fetch(`${app.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(post.status).toBe(200);
    expect(post.headers.get('content-security-policy')).toBeNull();
  });
});
