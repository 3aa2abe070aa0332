import type { Browser, BrowserContext, Page } from 'playwright-core';
import WebSocket from 'ws';
import { GraphQLClient, TestApp } from '../../libs/testing/src';
import { DEMO_PASSWORD } from '../../src/demo/demo-people';
import { launchChromium, PageChecks } from './browser';

const ACADEMY_LEAD = 'dsl@academy.demo';
const ST_ANNES_LEAD = 'dsl@st-annes.demo';

const GRANT = `mutation ($input: GrantAccessInput!) { grantAccess(input: $input) { id } }`;

/**
 * A lead's notifications in the browser: the unread count in the header, the notifications page marking one read
 * without JavaScript, and with JavaScript the count going up as a notification arrives, without a reload. The
 * notifications are raised through the API by another person: the Academy's lead sharing a record with St Anne's,
 * whose lead is told.
 */
describe('notifications in the pages', () => {
  let app: TestApp;
  let browser: Browser;
  let checks: PageChecks;
  let academy: GraphQLClient;
  let stAnnes: GraphQLClient;
  let stAnnesId: string;
  /** Children the Academy may share, one for each notification the tests raise. */
  let shareable: string[];
  const contexts: BrowserContext[] = [];

  const apiAs = async (email: string) => {
    const { login } = await app
      .anonymous()
      .ok(`mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { token } }`, {
        email,
        password: DEMO_PASSWORD,
      });
    return new GraphQLClient(app.baseUrl, login.token);
  };

  beforeAll(async () => {
    [app, browser] = await Promise.all([TestApp.start({ env: { SEED_DEMO: 'true' } }), launchChromium()]);
    checks = new PageChecks(browser);
    [academy, stAnnes] = await Promise.all([apiAs(ACADEMY_LEAD), apiAs(ST_ANNES_LEAD)]);
    const { agencies } = await academy.ok(`{ agencies { id name } }`);
    stAnnesId = agencies.find((agency: { name: string }) => agency.name === "St Anne's Primary").id;
    const reached = new Set(
      (await stAnnes.ok(`{ children(first: 100) { edges { node { id } } } }`)).children.edges.map(
        (edge: { node: { id: string } }) => edge.node.id,
      ),
    );
    shareable = (await academy.ok(`{ children(first: 100) { edges { node { id } } } }`)).children.edges
      .map((edge: { node: { id: string } }) => edge.node.id)
      .filter((id: string) => !reached.has(id));
  }, 120_000);
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await checks?.close();
    await browser?.close();
    await app?.stop();
  });

  /** The Academy's lead shares a child with St Anne's, whose lead is told (ACCESS_GRANTED). */
  async function shareWithStAnnes(): Promise<string> {
    const childId = shareable.shift()!;
    await academy.ok(GRANT, {
      input: {
        childId,
        granteeAgencyId: stAnnesId,
        tiers: ['STANDARD'],
        lawfulBasis: 'SAFEGUARDING_OF_CHILDREN',
        purpose: 'Her younger brother attends St Anne’s; the leads are working together.',
        expiresAt: new Date(Date.now() + 7 * 24 * 3600 * 1000).toISOString(),
      },
    });
    return childId;
  }

  const unreadViaApi = async () =>
    (await stAnnes.ok(`{ notifications(unreadOnly: true) { id } }`)).notifications.length;

  async function signedIn(javaScriptEnabled: boolean): Promise<Page> {
    const context = await browser.newContext({ javaScriptEnabled, viewport: { width: 1200, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${app.baseUrl}/sign-in`);
    await page.getByLabel('Email address').fill(ST_ANNES_LEAD);
    await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'My children' }).waitFor();
    return page;
  }

  const headerCount = (page: Page) =>
    page.locator('.govuk-service-navigation [data-unread-count]').getAttribute('data-unread-count').then(Number);

  it('shows the unread count in the header, and marks one read on the notifications page without JavaScript', async () => {
    const childId = await shareWithStAnnes();
    const unread = await unreadViaApi();
    expect(unread).toBeGreaterThan(0);
    const page = await signedIn(false);
    expect(await headerCount(page)).toBe(unread);
    await expect(
      page
        .locator('.govuk-service-navigation')
        .getByRole('link', { name: /Notifications/ })
        .innerText(),
    ).resolves.toContain(String(unread));
    expect(await checks.violations(page, 'no-js-header-unread', { javaScript: false })).toEqual([]);

    await page
      .locator('.govuk-service-navigation')
      .getByRole('link', { name: /Notifications/ })
      .click();
    await page.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
    expect(await checks.violations(page, 'no-js-notifications', { javaScript: false })).toEqual([]);
    const shared = page.locator('.govuk-summary-card', { hasText: 'A record was shared with your agency' }).first();
    await expect(shared.getByRole('link', { name: /Go to the child's record/ }).getAttribute('href')).resolves.toBe(
      `/children/${childId}`,
    );
    await shared.getByRole('button', { name: /Mark as read/ }).click();
    await expect(page.locator('.govuk-notification-banner').innerText()).resolves.toContain('marked as read');
    expect(await headerCount(page)).toBe(unread - 1);
    expect(await unreadViaApi()).toBe(unread - 1);
    expect(await checks.violations(page, 'no-js-notifications-after-read', { javaScript: false })).toEqual([]);
  });

  it('refuses a form marking one read without its CSRF token, and changes nothing', async () => {
    const [notification] = (await stAnnes.ok(`{ notifications(unreadOnly: true) { id } }`)).notifications;
    const page = await signedIn(false);
    const response = await page.request.post(`${app.baseUrl}/notifications/${notification.id}/read`, {
      form: { _csrf: 'not the token' },
      maxRedirects: 0,
    });
    expect(response.status()).toBe(403);
    const { notifications } = await stAnnes.ok(`{ notifications(unreadOnly: true) { id } }`);
    expect(notifications.map((n: { id: string }) => n.id)).toContain(notification.id);
  });

  it('with JavaScript, counts a notification raised by someone else in the header without reloading', async () => {
    const page = await signedIn(true);
    const before = await headerCount(page);
    // Set on this document only: a reload would lose it.
    await page.evaluate(() => Object.assign(globalThis, { notReloaded: true }));
    // The socket is up once graphql-ws has its acknowledgement: raised before, the notification would be counted
    // by the page's own rendering, not the live update.
    await page.locator('[data-unread-badge][data-live=connected]').waitFor({ state: 'attached' });
    await shareWithStAnnes();
    await page.locator(`[data-unread-count="${before + 1}"]`).waitFor({ state: 'attached' });
    expect(await headerCount(page)).toBe(before + 1);
    expect(await page.evaluate(() => (globalThis as { notReloaded?: boolean }).notReloaded)).toBe(true);
    await expect(page.locator('[data-unread-announcement]').innerText()).resolves.toContain('new notification');
    expect(await checks.violations(page, 'js-header-live-count', { javaScript: true })).toEqual([]);
  });

  describe("the live count's socket, signed in by the session cookie", () => {
    let cookie: string;
    beforeAll(async () => {
      const page = await signedIn(false);
      const [session] = (await page.context().cookies()).filter((c) => c.name === 'safeguard_session');
      cookie = `${session.name}=${session.value}`;
    });

    /** What the server answers a socket that offers the cookie and no connectionParams, from `origin`. */
    function connect(origin: string | undefined): Promise<{ acknowledged: boolean; closeCode?: number }> {
      return new Promise((resolve, reject) => {
        const headers: Record<string, string> = { cookie };
        if (origin) headers.origin = origin;
        const socket = new WebSocket(`${app.baseUrl.replace('http', 'ws')}/graphql`, 'graphql-transport-ws', {
          headers,
        });
        socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
        socket.on('message', (data) => {
          if (JSON.parse(String(data)).type === 'connection_ack') {
            socket.close();
            resolve({ acknowledged: true });
          }
        });
        socket.on('close', (code) => resolve({ acknowledged: false, closeCode: code }));
        socket.on('error', reject);
      });
    }

    it("is accepted from the pages' own origin", async () => {
      await expect(connect(app.baseUrl)).resolves.toEqual({ acknowledged: true });
    });

    it("is refused from another site's page, and without an Origin (cross-site WebSocket hijacking)", async () => {
      await expect(connect('https://evil.example')).resolves.toEqual({ acknowledged: false, closeCode: 4403 });
      await expect(connect(undefined)).resolves.toEqual({ acknowledged: false, closeCode: 4403 });
    });
  });
});
