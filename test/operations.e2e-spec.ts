import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { appRoleUrl, ownerRoleUrl } from '../libs/testing/src/test-app';
import { createTestDatabase, TestDatabase } from '../libs/testing/src/test-database';

const ROOT = join(__dirname, '..');

/** Runs src/main.ts in a process of its own, compiled on the fly by SWC exactly as Jest compiles it. */
const LAUNCH = `
const { transformSync } = require('@swc/core');
const { readFileSync } = require('node:fs');
require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename,
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
require('./src/main.ts');
`;

type LogLine = Record<string, unknown> & { level: number; msg?: string; requestId?: string };

/** The service as deployed: configured only by its environment, logging to stdout. */
class Service {
  readonly stdout: string[] = [];
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;

  constructor(env: Record<string, string>) {
    // Nothing from the test's own environment leaks in (no NODE_OPTIONS, no DATABASE_URL).
    this.child = spawn(process.execPath, ['-e', LAUNCH], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    });
    let partial = '';
    this.child.stdout!.on('data', (chunk: Buffer) => {
      const text = partial + chunk.toString();
      const lines = text.split('\n');
      partial = lines.pop()!;
      this.stdout.push(...lines);
    });
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
  }

  get pid(): number {
    return this.child.pid!;
  }

  logs(): LogLine[] {
    return this.stdout.map((line) => JSON.parse(line) as LogLine);
  }

  /** Resolves once /health/ready answers 200; fails if the process exits first. */
  async ready(baseUrl: string, timeoutMs = 90_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let ended = false;
    void this.exited.then(() => (ended = true));
    while (Date.now() < deadline && !ended) {
      const ok = await fetch(`${baseUrl}/health/ready`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`the service did not become ready:\n${this.stderr}\n${this.stdout.slice(-20).join('\n')}`);
  }

  stop(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function asOwner(database: TestDatabase, sql: string): Promise<void> {
  const client = new Client({ connectionString: database.url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function graphql(baseUrl: string, query: string, variables?: Record<string, unknown>) {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { errors?: Array<{ extensions: { code: string; correlationId?: string } }> };
}

/** Log lines are written asynchronously; give the last ones a moment to arrive. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

describe('the service in its own process', () => {
  describe('a missing or bad setting', () => {
    it.each([
      [
        'production without DATABASE_URL',
        { NODE_ENV: 'production', JWT_SECRET: randomBytes(32).toString('hex') },
        'DATABASE_URL',
      ],
      ['a PORT that is not a number', { PORT: 'http' }, 'PORT'],
    ])('stops it at once with one line naming the setting: %s', async (_, env, setting) => {
      const dataDir = join(tmpdir(), `sgc-operations-${randomBytes(4).toString('hex')}`);
      const service = new Service({ DATA_DIR: dataDir, ...env });
      expect(await service.exited).toEqual({ code: 1, signal: null });
      rmSync(dataDir, { recursive: true, force: true });
      const lines = service.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^configuration error: .*${setting}`));
      expect(service.stdout).toEqual([]);
    });
  });

  describe('the role DATABASE_URL connects as', () => {
    let database: TestDatabase;
    const start = (env: Record<string, string>) =>
      new Service({ JWT_SECRET: randomBytes(32).toString('hex'), LOG_LEVEL: 'info', ...env });

    beforeEach(async () => {
      database = await createTestDatabase();
    });

    afterEach(async () => {
      await database.drop();
    });

    /** The one line on stderr, after a start that must fail with exit status 1 and serve nothing. */
    async function refusal(service: Service): Promise<string> {
      expect(await service.exited).toEqual({ code: 1, signal: null });
      const lines = service.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(service.logs().filter((line) => line.level >= 50)).toEqual([]);
      return lines[0];
    }

    it('in production, refuses the postgres superuser in one line naming the fix', async () => {
      const service = start({ NODE_ENV: 'production', DATABASE_URL: database.url, PORT: String(await freePort()) });
      expect(await refusal(service)).toBe(
        'configuration error: DATABASE_URL connects as postgres, a superuser, which can switch the audit log ' +
          'trigger off: connect as a LOGIN role that is a member of safeguard_app and nothing more ' +
          '(README "Database roles and the audit log"), and keep the owner for MIGRATIONS_DATABASE_URL',
      );
    }, 120_000);

    it('in production, refuses the owner of the tables, which is no superuser', async () => {
      const owner = await ownerRoleUrl(database);
      const service = start({ NODE_ENV: 'production', DATABASE_URL: owner, PORT: String(await freePort()) });
      expect(await refusal(service)).toMatch(
        /^configuration error: DATABASE_URL connects as safeguard_owner_test, the owner of the tables, .*: connect as a LOGIN role that is a member of safeguard_app/,
      );
    }, 120_000);

    it('outside production, warns once and serves', async () => {
      const port = await freePort();
      const service = start({ NODE_ENV: 'test', DATABASE_URL: database.url, PORT: String(port) });
      try {
        await service.ready(`http://127.0.0.1:${port}`);
        await settle();
        const warnings = service.logs().filter((line) => line.level === 40);
        expect(warnings).toEqual([
          expect.objectContaining({ msg: expect.stringMatching(/^DATABASE_URL connects as postgres, a superuser/) }),
        ]);
      } finally {
        service.stop();
        await service.exited;
      }
    }, 120_000);
  });

  describe('in production, as the restricted role', () => {
    let database: TestDatabase;
    let service: Service;
    let baseUrl: string;
    let appUrl: string;
    const env = () => ({
      NODE_ENV: 'production',
      DATABASE_URL: appUrl,
      MIGRATIONS_DATABASE_URL: database.url,
      JWT_SECRET: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'info',
    });

    beforeAll(async () => {
      database = await createTestDatabase();
      appUrl = await appRoleUrl(database);
      const port = await freePort();
      baseUrl = `http://127.0.0.1:${port}`;
      service = new Service({ ...env(), PORT: String(port) });
      await service.ready(baseUrl);
    }, 120_000);

    afterAll(async () => {
      service?.stop();
      await database?.drop();
    });

    it('starts as a member of safeguard_app, with no warning about its role', async () => {
      await settle();
      expect(service.logs().filter((line) => line.level >= 40)).toEqual([]);
    });

    it('writes every log line as JSON with a level, a time and a message', async () => {
      await settle();
      expect(service.stdout.length).toBeGreaterThan(0);
      for (const line of service.logs()) expect(line).toEqual(expect.objectContaining({ level: expect.any(Number) }));
      expect(service.logs().every((line) => typeof line.time === 'string')).toBe(true);
    });

    it('logs a GET request (refused, but logged) by its path only, never the query or its variables', async () => {
      const variables = JSON.stringify({ email: 'pupil.secret@example.org' });
      const url = `${baseUrl}/graphql?query=${encodeURIComponent('{ __typename }')}&variables=${encodeURIComponent(variables)}`;
      const response = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
      expect(response.status).toBe(405);
      await settle();
      const text = service.stdout.join('\n');
      expect(text).toContain('"path":"/graphql"');
      expect(text).not.toMatch(/pupil\.secret|variables|__typename|\?query/);
    });

    it('never logs a request body, such as the email and password of a sign-in', async () => {
      const res = await graphql(
        baseUrl,
        'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
        {
          e: 'nobody.known@example.org',
          p: 'correct horse battery staple',
        },
      );
      expect(res.errors![0].extensions.code).toBe('UNAUTHENTICATED');
      await settle();
      expect(service.stdout.join('\n')).not.toMatch(/nobody\.known|horse battery/);
    });

    it('does not log expected errors such as UNAUTHENTICATED', async () => {
      expect((await graphql(baseUrl, '{ me { roles } }')).errors![0].extensions.code).toBe('UNAUTHENTICATED');
      await settle();
      expect(service.logs().filter((line) => line.level >= 50)).toEqual([]);
    });

    it('logs an internal error once, under the correlation id its answer quotes, without the SQL parameters', async () => {
      await asOwner(database, 'ALTER TABLE login_attempt RENAME TO login_attempt_withdrawn');
      let correlationId: string | undefined;
      try {
        const res = await graphql(
          baseUrl,
          'mutation ($e: String!) { login(email: $e, password: "irrelevant") { token } }',
          {
            e: 'parent.private@example.org',
          },
        );
        expect(res.errors![0].extensions.code).toBe('INTERNAL_SERVER_ERROR');
        correlationId = res.errors![0].extensions.correlationId;
      } finally {
        await asOwner(database, 'ALTER TABLE login_attempt_withdrawn RENAME TO login_attempt');
      }
      await settle();
      const errors = service.logs().filter((line) => line.level >= 50);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ requestId: correlationId, msg: 'internal error' });
      expect(JSON.stringify(errors[0])).toContain('login_attempt');
      expect(service.stdout.join('\n')).not.toContain('parent.private');
    });

    it('on SIGTERM finishes the request in flight, closes its database connections and exits', async () => {
      const body = JSON.stringify({ query: '{ __typename }' });
      const socket = connect(Number(new URL(baseUrl).port), '127.0.0.1');
      let answer = '';
      socket.on('data', (chunk) => (answer += chunk.toString()));
      const closed = new Promise((resolve) => socket.on('close', resolve));
      await new Promise((resolve) => socket.once('connect', resolve));
      // Headers and half the body: the request is in flight when the signal arrives.
      socket.write(
        `POST /graphql HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\n` +
          `content-length: ${body.length}\r\nconnection: close\r\n\r\n${body.slice(0, 5)}`,
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      process.kill(service.pid, 'SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 500));
      socket.write(body.slice(5));
      await closed;
      expect(answer).toMatch(/^HTTP\/1\.1 200/);
      expect(answer).toContain('{"data":{"__typename":"Query"}}');

      const { code, signal } = await service.exited;
      expect(code === 0 || signal === 'SIGTERM').toBe(true);
      const client = new Client({ connectionString: database.url });
      await client.connect();
      const { rows } = await client
        .query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
        )
        .finally(() => client.end());
      expect(rows[0].n).toBe(0);
    });

    it('respects LOG_LEVEL: at warn, serving requests writes nothing', async () => {
      const port = await freePort();
      const quiet = new Service({ ...env(), PORT: String(port), LOG_LEVEL: 'warn' });
      try {
        await quiet.ready(`http://127.0.0.1:${port}`);
        await graphql(`http://127.0.0.1:${port}`, '{ __typename }');
        await settle();
        expect(quiet.logs().filter((line) => line.level < 40)).toEqual([]);
      } finally {
        quiet.stop();
      }
    }, 120_000);
  });
});
