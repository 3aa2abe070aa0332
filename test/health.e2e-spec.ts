import { Client } from 'pg';
import { TestApp } from '../libs/testing/src';

/** A statement as the owner, through the server's maintenance database: it alters the test database itself. */
async function onServer(app: TestApp, sql: string): Promise<void> {
  const url = new URL(app.database.url);
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function probe(app: TestApp, path: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${app.baseUrl}${path}`);
  return { status: response.status, body: await response.json() };
}

describe('the health probes', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await TestApp.start();
  });
  afterAll(() => app.stop());

  it('say the process is live, without signing in', async () => {
    expect(await probe(app, '/health/live')).toEqual({ status: 200, body: { status: 'ok' } });
  });

  it('say the service is ready when the database answers', async () => {
    expect(await probe(app, '/health/ready')).toEqual({ status: 200, body: { status: 'ok' } });
  });

  it('answer 503 while the database refuses connections, and ready again once it accepts them', async () => {
    const name = app.database.name;
    await onServer(app, `ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
    await onServer(app, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}'`);
    try {
      expect(await probe(app, '/health/ready')).toEqual({ status: 503, body: { status: 'unavailable' } });
      expect((await probe(app, '/health/live')).status).toBe(200);
    } finally {
      await onServer(app, `ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
    }
    expect(await probe(app, '/health/ready')).toEqual({ status: 200, body: { status: 'ok' } });
  });
});
