import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page, type Request } from 'playwright-core';
import { Role } from '../src/common/enums/agencies';
import { PasswordService } from '../src/auth/password.service';
import { buildGraphiql } from '../src/graphql/graphiql/build';
import { BUNDLE_FILES } from '../src/graphql/graphiql/bundle';
import { BUNDLE_DIRECTORY, PROJECT_ROOT } from '../src/graphql/graphiql/paths';
import { TestApp, TestUser } from '../libs/testing/src';

const ARTIFACTS = join(PROJECT_ROOT, 'test-artifacts');
const PASSWORD = 'a long enough password';
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost']);

/** Debian's Chromium (STACK-NOTES): a browser download is not possible here, and nothing may phone home. */
const launchChromium = () =>
  chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });

/** What a Monaco editor shows: it draws each line as an element of its own, with non-breaking spaces. */
const textOf = async (editor: Locator) => (await editor.locator('.view-lines').innerText()).replace(/\u00a0/g, ' ');

/** Waits until a Monaco editor shows `text`, whitespace aside: a narrow pane wraps long lines anywhere. */
async function waitUntilShown(editor: Locator, text: string): Promise<void> {
  const compact = (value: string) => value.replace(/\s/g, '');
  for (const deadline = Date.now() + 10_000; ; await editor.page().waitForTimeout(100)) {
    const shown = await textOf(editor);
    if (compact(shown).includes(compact(text))) return;
    if (Date.now() > deadline) throw new Error(`the editor shows ${shown}, not ${text}`);
  }
}

/** The browser's navigator, where this runs in page.evaluate: the test is compiled with Node's types. */
interface BrowserNavigator {
  clipboard: { writeText(text: string): Promise<void> };
}

/**
 * Replaces what a Monaco editor holds, as a person would: click in, select all, paste over it (typed text
 * would get Monaco's closing brackets and quotes added as it goes). Monaco pastes asynchronously, so this
 * returns once the editor shows it.
 */
async function pasteInto(editor: Locator, text: string): Promise<void> {
  const page = editor.page();
  await page.evaluate((clip) => (navigator as unknown as BrowserNavigator).clipboard.writeText(clip), text);
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('ControlOrMeta+V');
  await waitUntilShown(editor, text);
}

// First, so the bundle that the next block builds is left in place for `npm run start:prod` and the like.
describe('GraphiQL before `npm run build`', () => {
  let app: TestApp;
  beforeAll(async () => {
    await rm(BUNDLE_DIRECTORY, { recursive: true, force: true });
    app = await TestApp.start({ env: { NODE_ENV: 'development' } });
  });
  afterAll(() => app.stop());

  it('says how to build it', async () => {
    const response = await fetch(`${app.baseUrl}/graphiql`);
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('npm run build');
  });
});

describe('GraphiQL in development', () => {
  let app: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let person: TestUser & { agency: string };
  const requests: Request[] = [];
  const operationEditor = () => page.locator('.graphiql-query-editor .monaco-editor');
  const headersEditor = () => page.getByRole('region', { name: 'Headers' }).getByRole('code');
  const problems: string[] = [];

  beforeAll(async () => {
    // What `npm run build` does: the server serves the bundle it writes.
    await buildGraphiql();
    [app, browser] = await Promise.all([TestApp.start({ env: { NODE_ENV: 'development' } }), launchChromium()]);
    const agency = await app.factories.agency({ name: 'Northbridge Primary' });
    const hash = await app.nest.get(PasswordService).hash(PASSWORD);
    person = {
      ...(await app.factories.user({ agency, roles: [Role.SAFEGUARDING_LEAD], passwordHash: hash })),
      agency: agency.name,
    };
    context = await browser.newContext({
      viewport: { width: 1400, height: 900 },
      permissions: ['clipboard-read', 'clipboard-write'],
    });
    // Every request the page and its workers make, whatever its kind.
    context.on('request', (request) => requests.push(request));
    page = await context.newPage();
    // Shorter than the test's own timeout, so a step that fails names itself.
    page.setDefaultTimeout(10_000);
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${app.baseUrl}/graphiql`);
    await operationEditor().waitFor();
  }, 180_000);
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await app?.stop();
  });

  it('is the GraphiQL editor, opening on how to sign in, with the Authorization header ready for a token', async () => {
    await expect(page.title()).resolves.toContain('GraphiQL');
    expect(await textOf(operationEditor())).toContain('mutation SignIn');
    expect(await textOf(headersEditor())).toContain('"Authorization": "Bearer <paste token>"');
  });

  it('loads the schema and shows its documentation before anyone signs in, the placeholder not sent', async () => {
    await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
    const docs = page.locator('.graphiql-doc-explorer');
    await docs.getByText('Query', { exact: true }).click();
    // The root type's fields, each with the description the schema gives it.
    await docs.getByText('me', { exact: true }).waitFor();
    await docs.getByText('Who is signed in, and for which agency and roles.').waitFor();
    const introspection = requests.filter((request) => request.postData()?.includes('IntrospectionQuery'));
    expect(introspection.map((request) => request.headers().authorization)).toEqual([undefined]);
  });

  it("checks the operation against the schema in Monaco's GraphQL worker", async () => {
    await pasteInto(operationEditor(), '{ me { notAField } }');
    await operationEditor().locator('.squiggly-error').waitFor();
  });

  it('signs in with the login mutation and runs a query with its token as a bearer header', async () => {
    await pasteInto(
      operationEditor(),
      `mutation { login(email: "${person.email}", password: "${PASSWORD}") { token } }`,
    );
    const signedIn = page.waitForResponse(
      (response) => response.request().postData()?.includes('mutation { login') ?? false,
    );
    await page.keyboard.press('ControlOrMeta+Enter');
    const { data, errors } = await (await signedIn).json();
    expect(errors).toBeUndefined();
    const token: string = data.login.token;

    await pasteInto(headersEditor(), JSON.stringify({ Authorization: `Bearer ${token}` }));
    await pasteInto(operationEditor(), '{ me { user { email } agency { name } roles } }');
    const answered = page.waitForRequest((request) => request.postData()?.includes('me {') ?? false);
    await page.keyboard.press('ControlOrMeta+Enter');
    const request = await answered;
    expect(request.headers()).toMatchObject({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });

    const me = { user: { email: person.email }, agency: { name: person.agency }, roles: ['SAFEGUARDING_LEAD'] };
    await waitUntilShown(page.locator('.graphiql-response'), JSON.stringify({ data: { me } }));
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'graphiql.png') });
  });

  it('serves the files the build wrote, each with its type, revalidated by ETag', async () => {
    for (const [file, type] of BUNDLE_FILES) {
      const response = await fetch(`${app.baseUrl}/graphiql/${file}`);
      expect([response.status, response.headers.get('content-type')]).toEqual([200, type]);
      expect(response.headers.get('cache-control')).toBe('no-cache');
      await response.arrayBuffer();
      const etag = response.headers.get('etag')!;
      const again = await fetch(`${app.baseUrl}/graphiql/${file}`, { headers: { 'if-none-match': etag } });
      expect(again.status).toBe(304);
    }
  });

  it('serves nothing else from disk, however the name is spelled', async () => {
    for (const path of ['package.json', '..%2Fpackage.json', '..%2F..%2Fpackage.json', '%2E%2E%2Fsrc%2Fmain.js']) {
      expect([path, (await fetch(`${app.baseUrl}/graphiql/${path}`)).status]).toEqual([path, 404]);
    }
  });

  it('is a page with no script of its own, under a policy that allows none', async () => {
    const response = await fetch(`${app.baseUrl}/graphiql`);
    const policy = response.headers.get('content-security-policy')!;
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("connect-src 'self'");
    expect(policy).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
    const scripts = (await response.text()).match(/<script[^>]*>[^<]*<\/script>/g);
    expect(scripts).toEqual(['<script type="module" src="/graphiql/graphiql.js"></script>']);
  });

  it('sends every request to this server and nowhere else, with no error on the page', () => {
    const hosts = new Set(requests.map((request) => new URL(request.url()).hostname));
    expect([...hosts].filter((host) => !LOCAL_HOSTS.has(host))).toEqual([]);
    // The page, its script and stylesheet, Monaco's workers, and the GraphQL requests.
    const paths = new Set(requests.map((request) => new URL(request.url()).pathname));
    expect([...paths].sort()).toEqual(
      ['/graphiql', ...[...BUNDLE_FILES.keys()].map((file) => `/graphiql/${file}`), '/graphql'].sort(),
    );
    expect(problems).toEqual([]);
  });
});

describe.each(['production', 'test'])('GraphiQL when NODE_ENV=%s', (env) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await TestApp.start({ env: { NODE_ENV: env } });
  });
  afterAll(() => app.stop());

  it('does not exist', async () => {
    for (const path of ['/graphiql', '/graphiql/graphiql.js']) {
      expect([path, (await fetch(`${app.baseUrl}${path}`)).status]).toEqual([path, 404]);
    }
  });
});
