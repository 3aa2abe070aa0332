import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { DestinationStream } from 'pino';
import { DataSource } from 'typeorm';
import { Factories, GraphQLResponse, SignedIn, TestApp } from '../libs/testing/src';
import { AppModule } from '../src/app.module';
import { loadConfig } from '../src/config/config';
import { ContextFactory } from '../src/graphql/context.factory';
import { QUERY_LIMITS } from '../src/graphql/graphql.module';
import { createHttpAdapter } from '../src/http-adapter';
import { createLogger, PinoLoggerService } from '../src/logging/logger';

const ME = '{ me { roles } }';
const json = { 'content-type': 'application/json' };

interface Refused {
  name: string;
  body: string;
  headers?: Record<string, string>;
  /** A token whose session has ended, instead of the valid one. */
  endedSession?: true;
  /** 400 unless given. */
  status?: number;
  /** BAD_REQUEST unless given. */
  code?: string;
}

const overLimit = `{ ${Array.from({ length: QUERY_LIMITS.maxAliases + 1 }, (_, i) => `a${i}: me { roles }`).join(' ')} }`;

/** Every way a signed-in request can be refused before a resolver runs. */
const REFUSED: Refused[] = [
  { name: '`variables` as a JSON string', body: JSON.stringify({ query: ME, variables: '{}' }) },
  { name: 'a batch', body: JSON.stringify([{ query: ME }]) },
  { name: 'an empty object', body: '{}' },
  { name: '`query` as a number', body: JSON.stringify({ query: 1 }) },
  { name: '`extensions` as a string', body: JSON.stringify({ query: ME, extensions: 'x' }) },
  { name: 'invalid JSON', body: '{"query": ' },
  { name: 'an empty body', body: '' },
  {
    name: 'a body over the limit',
    body: JSON.stringify({ query: ME, variables: { pad: 'x'.repeat(1_100_000) } }),
    status: 413,
  },
  { name: 'another content type', body: '<query/>', headers: { 'content-type': 'application/xml' }, status: 415 },
  {
    name: 'a cross-site form post (CSRF)',
    body: JSON.stringify({ query: ME }),
    headers: { 'content-type': 'text/plain' },
  },
  { name: 'a parse error', body: JSON.stringify({ query: '{ me { ' }), code: 'GRAPHQL_PARSE_FAILED' },
  { name: 'a validation error', body: JSON.stringify({ query: '{ mee }' }), code: 'GRAPHQL_VALIDATION_FAILED' },
  { name: 'a query over a limit', body: JSON.stringify({ query: overLimit }), code: 'GRAPHQL_VALIDATION_FAILED' },
  {
    name: 'a session that has ended',
    body: JSON.stringify({ query: ME }),
    endedSession: true,
    status: 401,
    code: 'UNAUTHENTICATED',
  },
];

const TIMES = 50;
/**
 * A refusal takes milliseconds, and a request that waits for a connection never answers; the margins are for a
 * machine shared with other test runs.
 */
const AT_ONCE = 5_000;
const IN_A_BURST = 15_000;

/** The app's log lines (warnings and worse), parsed, as the service writes them. */
function logCollector(): { log: DestinationStream; env: NodeJS.ProcessEnv; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  return { log: { write: (line: string) => void lines.push(JSON.parse(line)) }, env: { LOG_LEVEL: 'warn' }, lines };
}

const ABANDONED = 'request ended holding its transaction; rolled back';

/**
 * A route with a fault that no real path has: it builds a request context as the GraphQL endpoint does, opens its
 * transaction and answers without ending it. Only the HTTP backstop can end it.
 */
function addAbandoningRoute(nest: NestFastifyApplication): void {
  nest
    .getHttpAdapter()
    .getInstance()
    .post('/test/abandon', async (request) => {
      const context = await nest.get(ContextFactory).forHttpRequest(request);
      await (await context.manager()).query('SELECT 1');
      return { requestId: request.id };
    });
}

async function post(
  baseUrl: string,
  body: string,
  headers: Record<string, string>,
  within = AT_ONCE,
): Promise<GraphQLResponse> {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers,
    body,
    signal: AbortSignal.timeout(within),
  });
  return { status: response.status, ...((await response.json()) as Omit<GraphQLResponse, 'status'>) };
}

function askMe(baseUrl: string, person: SignedIn): Promise<GraphQLResponse> {
  return post(baseUrl, JSON.stringify({ query: ME }), { ...json, authorization: `Bearer ${person.token}` });
}

/**
 * The specification, for either database: `signedIn` and `ended` are a live and an ended sign-in on `baseUrl`.
 * `openTransactions` counts the app's sessions idle in a transaction, where the database can tell.
 */
function specifyLifecycle(
  setup: () => { baseUrl: string; signedIn: SignedIn; ended: SignedIn; lines: Array<Record<string, unknown>> },
  openTransactions?: () => Promise<number>,
) {
  it.each(REFUSED.map((refused) => [refused.name, refused] as const))(
    `answers ${TIMES} requests refused before execution (%s) at once, in GraphQL's shape, holding nothing`,
    async (_, refused) => {
      const { baseUrl, signedIn, ended } = setup();
      const token = (refused.endedSession ? ended : signedIn).token;
      const headers = { ...json, ...refused.headers, authorization: `Bearer ${token}` };
      const answers = await Promise.all(
        Array.from({ length: TIMES }, () => post(baseUrl, refused.body, headers, IN_A_BURST)),
      );
      for (const answer of answers) {
        expect(answer.status).toBe(refused.status ?? 400);
        expect(answer.errors).toEqual([
          expect.objectContaining({
            message: expect.any(String),
            extensions: expect.objectContaining({ code: refused.code ?? 'BAD_REQUEST' }),
          }),
        ]);
      }
      if (openTransactions) expect(await openTransactions()).toBe(0);
    },
  );

  it('then answers `me` at once, and none of those requests ever opened a transaction for the backstop to end', async () => {
    const { baseUrl, signedIn, lines } = setup();
    const answer = await askMe(baseUrl, signedIn);
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.me.roles).toEqual(['PRACTITIONER']);
    expect(lines.filter((line) => line.msg === ABANDONED)).toEqual([]);
  });

  it('rolls back a transaction a request still holds when its answer leaves, and reports it with the request id', async () => {
    const { baseUrl, signedIn, lines } = setup();
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`${baseUrl}/test/abandon`, {
        method: 'POST',
        signal: AbortSignal.timeout(AT_ONCE),
      });
      const { requestId } = (await response.json()) as { requestId: string };
      expect(lines).toContainEqual(expect.objectContaining({ level: 40, requestId, msg: ABANDONED }));
    }
    if (openTransactions) expect(await openTransactions()).toBe(0);
    // On the embedded database the one connection would otherwise be held for good.
    expect((await askMe(baseUrl, signedIn)).data?.me.roles).toEqual(['PRACTITIONER']);
  });
}

async function endedSignIn(factories: Factories): Promise<SignedIn> {
  const person = await factories.signedIn({});
  await person.client.ok('mutation { logout }');
  return person;
}

describe('the request lifecycle on PostgreSQL', () => {
  let app: TestApp;
  let signedIn: SignedIn;
  let ended: SignedIn;
  const { log, env, lines } = logCollector();

  beforeAll(async () => {
    app = await TestApp.start({ log, env, beforeListen: addAbandoningRoute });
    signedIn = await app.factories.signedIn({});
    ended = await endedSignIn(app.factories);
  });
  afterAll(() => app.stop());

  /** Sessions of this test's database, the app's included, that sit in a transaction between statements. */
  const openTransactions = async () => {
    const [{ n }] = await app.ownerQuery<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'`,
    );
    return n;
  };

  specifyLifecycle(() => ({ baseUrl: app.baseUrl, signedIn, ended, lines }), openTransactions);

  it("sets PostgreSQL's statement and idle-in-transaction timeouts on every connection of the app's pool", async () => {
    // Held concurrently, so each answer comes from a different pooled connection.
    const settings = await Promise.all(
      Array.from({ length: 10 }, () =>
        app.dataSource.query(
          `SELECT pg_backend_pid() AS pid, current_setting('statement_timeout') AS statement,
                  current_setting('idle_in_transaction_session_timeout') AS idle, pg_sleep(0.1)`,
        ),
      ),
    );
    expect(new Set(settings.map(([row]) => row.pid)).size).toBe(10);
    for (const [row] of settings) expect(row).toMatchObject({ statement: '30s', idle: '30s' });
  });
});

describe('the database timeouts, set short', () => {
  let app: TestApp;
  let signedIn: SignedIn;
  let owner: Client;

  beforeAll(async () => {
    app = await TestApp.start({
      env: { DATABASE_STATEMENT_TIMEOUT_MS: '1000', DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: '2000' },
    });
    signedIn = await app.factories.signedIn({});
    owner = new Client({ connectionString: app.database.url });
    await owner.connect();
  });
  afterAll(async () => {
    await owner.end();
    await app.stop();
  });

  /** Runs `work` while the schema owner holds `table` locked against every reader. */
  async function whileLocked<T>(table: string, work: () => Promise<T>): Promise<T> {
    await owner.query(`BEGIN; LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
    try {
      return await work();
    } finally {
      await owner.query('ROLLBACK');
    }
  }

  const timedOut = (answer: GraphQLResponse) =>
    answer.errors?.length === 1 &&
    answer.errors[0].message === 'Internal server error' &&
    answer.errors[0].extensions?.code === 'INTERNAL_SERVER_ERROR' &&
    typeof answer.errors[0].extensions.correlationId === 'string';

  const ask = (query: string) =>
    post(app.baseUrl, JSON.stringify({ query }), { ...json, authorization: `Bearer ${signedIn.token}` });
  const alive = async (pid: number) =>
    (await owner.query(`SELECT 1 FROM pg_stat_activity WHERE pid = $1`, [pid])).rowCount === 1;

  it('answers a resolver whose statement runs past the limit with INTERNAL_SERVER_ERROR, instead of waiting', async () => {
    const answer = await whileLocked('child', () => ask('{ children(first: 5) { edges { node { id } } } }'));
    expect(timedOut(answer)).toBe(true);
    expect(JSON.stringify(answer)).not.toMatch(/SELECT|FROM|cancel|timeout|statement/i);
  });

  it('answers a session lookup that runs past the limit the same way, with a 500', async () => {
    const answer = await whileLocked('auth_session', () => ask(ME));
    expect(answer.status).toBe(500);
    expect(timedOut(answer)).toBe(true);
  });

  it('lets PostgreSQL end an app session left idle inside a transaction, and the pool carries on', async () => {
    const runner = app.dataSource.createQueryRunner();
    await runner.startTransaction();
    try {
      const [{ pid }] = await runner.query('SELECT pg_backend_pid() AS pid');
      expect(await alive(pid)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      expect(await alive(pid)).toBe(false);
      await expect(runner.query('SELECT 1')).rejects.toThrow();
    } finally {
      await runner.release();
    }
    expect((await ask(ME)).data?.me.roles).toEqual(['PRACTITIONER']);
  });
});

describe('the request lifecycle on the embedded database (one connection)', () => {
  let nest: INestApplication;
  let baseUrl: string;
  let signedIn: SignedIn;
  let ended: SignedIn;
  const dataDir = mkdtempSync(join(tmpdir(), 'sgc-lifecycle-'));
  const { log, env, lines } = logCollector();

  beforeAll(async () => {
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, SEED_DEMO: 'false', ...env });
    const logger = createLogger(config, log);
    const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), createHttpAdapter(logger), {
      logger: new PinoLoggerService(logger),
    });
    nest = app;
    addAbandoningRoute(app);
    await app.listen(0, '127.0.0.1');
    baseUrl = await app.getUrl();
    const factories = new Factories(app.get(DataSource), app, baseUrl);
    signedIn = await factories.signedIn({});
    ended = await endedSignIn(factories);
  }, 120_000);

  afterAll(async () => {
    await nest?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  specifyLifecycle(() => ({ baseUrl, signedIn, ended, lines }));

  it('sets no statement or idle-in-transaction timeout, which PGlite ignores or hangs on', async () => {
    const [row] = await nest
      .get(DataSource)
      .query(
        `SELECT current_setting('statement_timeout') AS statement, current_setting('idle_in_transaction_session_timeout') AS idle`,
      );
    expect(row).toEqual({ statement: '0', idle: '0' });
  });
});
