import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'graphql-ws';
import { DataSource } from 'typeorm';
import WebSocket from 'ws';
import { AppModule } from '../src/app.module';
import { loadConfig } from '../src/config/config';
import { DEMO_PASSWORD, DEMO_PLATFORM_ADMIN } from '../src/demo/demo-people';
import { createHttpAdapter } from '../src/http-adapter';

/**
 * The default a newcomer gets from `npm start`: no DATABASE_URL, so the embedded PGlite database in DATA_DIR,
 * seeded with the demo dataset. Booted here, and walked through as the demo's school lead, so the embedded path
 * (PostgreSQL 18 in WebAssembly, one connection) cannot rot while every other test runs on PostgreSQL 15.
 */
describe('the embedded default (PGlite, no DATABASE_URL)', () => {
  let nest: INestApplication;
  let baseUrl: string;
  const dataDir = mkdtempSync(join(tmpdir(), 'sgc-smoke-'));

  beforeAll(async () => {
    const config = loadConfig({ NODE_ENV: 'development', DATA_DIR: dataDir, SEED_DEMO: 'true', LOG_LEVEL: 'silent' });
    nest = await NestFactory.create(AppModule.forRoot(config), createHttpAdapter(), { logger: false });
    await nest.listen(0, '127.0.0.1');
    baseUrl = await nest.getUrl();
  }, 120_000);

  afterAll(async () => {
    await nest?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('applies every migration', async () => {
    const files = readdirSync(join(__dirname, '..', 'migrations')).filter((f) => f.endsWith('.ts'));
    const applied = await nest.get(DataSource).query('SELECT name FROM schema_migration');
    expect(applied).toHaveLength(files.length);
  });

  it('keeps its generated signing secret in the data folder', () => {
    expect(existsSync(join(dataDir, 'jwt-secret'))).toBe(true);
  });

  it('answers GraphQL: `me` is UNAUTHENTICATED for a caller who is not signed in', async () => {
    const response = await fetch(`${baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ me { roles } }' }),
    });
    const body = (await response.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  async function graphql(query: string, variables: Record<string, unknown> = {}, token?: string) {
    const response = await fetch(`${baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: any; errors?: unknown[] };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  }

  it("walks the demo as the Academy's safeguarding lead: the chronology, a new concern, the audit trail", async () => {
    const { login } = await graphql(
      'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
      { e: 'dsl@academy.demo', p: DEMO_PASSWORD },
    );
    const { children } = await graphql(
      '{ children(filter: { search: "Kai" }) { edges { node { id } } } }',
      {},
      login.token,
    );
    const kai = children.edges[0].node.id;
    const chronology = `query ($id: ID!) { child(id: $id) { accessRoute concerns(first: 20) { edges { node { sensitivity } } } } }`;
    const before = (await graphql(chronology, { id: kai }, login.token)).child;
    expect(before.accessRoute).toBe('INVOLVED');
    // The police and health entries in Kai's story are beyond a school's tiers.
    expect(before.concerns.edges.every((edge: any) => edge.node.sensitivity === 'STANDARD')).toBe(true);

    await graphql(
      'mutation ($input: RecordConcernInput!) { recordConcern(input: $input) { id } }',
      {
        input: {
          childId: kai,
          occurredAt: '2026-11-20T08:40:00Z',
          category: 'CRIMINAL_EXPLOITATION',
          indicators: ['OLDER_OR_CONTROLLING_ASSOCIATES'],
          recruitmentSetting: 'SECONDARY_SCHOOL',
          riskLevel: 'HIGH',
          sensitivity: 'STANDARD',
          narrative: 'Collected from the gate by a man in a car the school does not know.',
        },
      },
      login.token,
    );
    const after = (await graphql(chronology, { id: kai }, login.token)).child;
    expect(after.concerns.edges).toHaveLength(before.concerns.edges.length + 1);

    const { auditTrail } = await graphql(
      'query ($id: ID!) { auditTrail(childId: $id, first: 50) { edges { node { action route } } } }',
      { id: kai },
      login.token,
    );
    const actions = auditTrail.edges.map((edge: any) => edge.node.action);
    expect(actions).toEqual(expect.arrayContaining(['read', 'recordConcern']));
  });

  it('audits a refused break-glass after its rollback, on the one connection, and the trail shows it', async () => {
    const { login } = await graphql(
      'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
      { e: 'dsl@academy.demo', p: DEMO_PASSWORD },
    );
    const { children } = await graphql(
      '{ children(filter: { search: "Kai" }) { edges { node { id } } } }',
      {},
      login.token,
    );
    const kai = children.edges[0].node.id;
    const response = await fetch(`${baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${login.token}` },
      body: JSON.stringify({
        query: 'mutation ($id: ID!, $r: String!) { breakGlass(childId: $id, reason: $r) { id } }',
        variables: { id: kai, r: 'Checking the record at night after a missing-person report.' },
      }),
    });
    const refused = (await response.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(refused.errors[0].extensions.code).toBe('FAILED_PRECONDITION');
    const { auditTrail } = await graphql(
      'query ($id: ID!) { auditTrail(childId: $id, first: 5) { edges { node { action outcome } } } }',
      { id: kai },
      login.token,
    );
    expect(auditTrail.edges.map((edge: any) => edge.node)).toContainEqual({
      action: 'breakGlass',
      outcome: 'FAILED_PRECONDITION',
    });
  });

  it('chains the audit log in the database and names every broken link', async () => {
    const { login } = await graphql(
      'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
      { e: DEMO_PLATFORM_ADMIN, p: DEMO_PASSWORD },
    );
    const verify = async () =>
      (await graphql('{ verifyAuditChain { valid firstInvalidSeq invalidSeqs } }', {}, login.token)).verifyAuditChain;
    expect(await verify()).toEqual({ valid: true, firstInvalidSeq: null, invalidSeqs: [] });

    // The embedded database has one role, the owner: it may switch the append-only trigger off.
    const database = nest.get(DataSource);
    const [altered, deleted] = (await database.query(`SELECT seq FROM audit_event ORDER BY seq LIMIT 2 OFFSET 1`)).map(
      (row: { seq: string }) => row.seq,
    );
    await database.transaction(async (manager) => {
      await manager.query(`ALTER TABLE audit_event DISABLE TRIGGER USER`);
      await manager.query(`UPDATE audit_event SET action = 'forged' WHERE seq = $1`, [altered]);
      await manager.query(`DELETE FROM audit_event WHERE seq = $1`, [deleted]);
      await manager.query(`ALTER TABLE audit_event ENABLE TRIGGER USER`);
    });
    expect(await verify()).toEqual({ valid: false, firstInvalidSeq: altered, invalidSeqs: [altered, deleted] });
  });

  it("runs the reminder jobs in-process: the demo's open conference is swept into the queue and reminded when due", async () => {
    const database = nest.get(DataSource);
    const [review] = await database.query(
      `SELECT id, chair_id AS "chairId" FROM conference WHERE status = 'CONVENED' ORDER BY due_by LIMIT 1`,
    );
    const jobOf = async () =>
      (
        await database.query(
          `SELECT id, state FROM pgboss.job WHERE name = 'conference-deadline-approaching' AND data->>'conferenceId' = $1`,
          [review.id],
        )
      )[0] as { id: string; state: string } | undefined;
    const until = async (done: (job: { state: string } | undefined) => boolean) => {
      const deadline = Date.now() + 20_000;
      while (!done(await jobOf()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
      return jobOf();
    };
    // The demo writes its rows without reminders; the sweep a starting worker sends schedules them.
    expect(await until((job) => job !== undefined)).toMatchObject({ state: 'created' });
    await database.query(`UPDATE pgboss.job SET start_after = now() WHERE id = $1`, [(await jobOf())!.id]);
    expect(await until((job) => job?.state === 'completed')).toMatchObject({ state: 'completed' });
    const told = await database.query(
      `SELECT user_id AS "userId" FROM notification WHERE kind = 'DEADLINE_APPROACHING' AND conference_id = $1`,
      [review.id],
    );
    expect(told.map((row: { userId: string }) => row.userId)).toContain(review.chairId);
  });

  it('delivers live updates in its one process: PGlite signals a committed notification to its addressee', async () => {
    const { login } = await graphql(
      'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
      { e: 'dsl@academy.demo', p: DEMO_PASSWORD },
    );
    const database = nest.get(DataSource);
    const [{ id: userId }] = await database.query(`SELECT id FROM app_user WHERE email = 'dsl@academy.demo'`);
    const client = createClient({
      url: `${baseUrl.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${login.token}` },
      retryAttempts: 0,
    });
    try {
      const delivered = client.iterate<{ notificationAdded: { kind: string; message: string } }>({
        query: 'subscription { notificationAdded { kind message } }',
      });
      const first = delivered.next();
      // Any writer signals through the table's trigger: inserted here until one arrives.
      const raise = setInterval(() => {
        void database.query(
          `INSERT INTO notification (user_id, kind, message) VALUES ($1, 'ACCESS_GRANTED', 'Shared')`,
          [userId],
        );
      }, 100);
      try {
        expect((await first).value?.data?.notificationAdded).toEqual({ kind: 'ACCESS_GRANTED', message: 'Shared' });
      } finally {
        clearInterval(raise);
        await delivered.return?.();
      }
    } finally {
      await client.dispose();
    }
  });

  it('is ready', async () => {
    const response = await fetch(`${baseUrl}/health/ready`);
    expect(response.status).toBe(200);
  });
});
