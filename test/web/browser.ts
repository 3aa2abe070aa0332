import AxeBuilder from '@axe-core/playwright';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../src/graphql/graphiql/paths';

/**
 * A journey walks a person through several pages in a real browser beside the service and PostgreSQL: on a slow
 * two-core machine with the other test worker busy too, one took over the suite's 30 s (measured: 21 s alone).
 * Importing this module gives its test file the longer limit.
 */
jest.setTimeout(90_000);

/** Where each page visited is kept as a screenshot (git-ignored), for a person to look at after a run. */
const SCREENSHOTS = join(PROJECT_ROOT, 'test-artifacts', 'web');

/** Debian's Chromium (STACK-NOTES): a browser download is not possible here, and nothing may phone home. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** WCAG 2.2 at level AA, as axe tags it. */
const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** What every page a test visits must pass: no WCAG 2.2 AA violation axe can find, and its screenshot kept. */
export class PageChecks {
  private replay?: Page;

  constructor(private readonly browser: Browser) {}

  /**
   * The violations on the page as it is now, naming the rules and the elements, so a failing test says what.
   * axe runs as a script in the page; a page shown without JavaScript is checked as its DOM stands, replayed in
   * a page of its own with its scripts refused.
   */
  async violations(page: Page, name: string, { javaScript }: { javaScript: boolean }): Promise<string[]> {
    await mkdir(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
    const target = javaScript ? page : await this.replayed(page);
    const { violations } = await new AxeBuilder({ page: target }).withTags(WCAG_22_AA).analyze();
    return violations.map(
      (violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
    );
  }

  async close(): Promise<void> {
    await this.replay?.context().close();
  }

  private async replayed(page: Page): Promise<Page> {
    const url = page.url();
    const html = await page.content();
    this.replay ??= await (await this.browser.newContext()).newPage();
    await this.replay.unrouteAll();
    await this.replay.route('**/*', (route) => {
      const request = route.request();
      if (request.url() === url && request.resourceType() === 'document') {
        return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
      }
      return request.resourceType() === 'script' ? route.abort() : route.continue();
    });
    await this.replay.goto(url);
    return this.replay;
  }
}
