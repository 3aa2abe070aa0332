import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../src/demo/demo-people';
import type { PageChecks } from './browser';

/**
 * The demo's people, each in a browser context (and cookie jar) of their own, signed in through the pages; every
 * page a test looks at is checked with axe through `check`, and anything a page raised is kept in `problems`.
 */
export class People {
  readonly problems: string[] = [];
  private readonly signedIn = new Map<string, { page: Page; javaScript: boolean }>();

  constructor(
    private readonly browser: Browser,
    private readonly checks: PageChecks,
    private readonly baseUrl: () => string,
  ) {}

  /** The person's page, signing in the first time (the sign-in page and My children checked then). */
  async as(email: string, { javaScript = true }: { javaScript?: boolean } = {}): Promise<Page> {
    const known = this.signedIn.get(email);
    if (known) return known.page;
    const context = await this.browser.newContext({
      javaScriptEnabled: javaScript,
      viewport: { width: 1200, height: 900 },
    });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (error) => this.problems.push(`${email}: ${error.message}`));
    page.on('response', (response) => {
      if (response.status() >= 400 && response.request().resourceType() !== 'document') {
        this.problems.push(`${email}: ${response.status()} ${response.url()}`);
      }
    });
    this.signedIn.set(email, { page, javaScript });
    await page.goto(`${this.baseUrl()}/sign-in`);
    await this.check(email, `${email}-sign-in`);
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'My children' }).waitFor();
    await this.check(email, `${email}-my-children`);
    return page;
  }

  /** The person's page as it is now has no WCAG 2.2 AA violation (its screenshot kept as `name`). */
  async check(email: string, name: string): Promise<void> {
    const { page, javaScript } = this.signedIn.get(email)!;
    expect(await this.checks.violations(page, name, { javaScript })).toEqual([]);
  }

  async close(): Promise<void> {
    await Promise.all([...this.signedIn.values()].map(({ page }) => page.context().close()));
  }
}
