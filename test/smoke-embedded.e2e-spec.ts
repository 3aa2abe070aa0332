import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { loadConfig } from '../src/config/config';

/**
 * The default a newcomer gets from `npm start`: no DATABASE_URL, so the embedded PGlite database in DATA_DIR.
 * Booted here so the embedded path cannot rot while every other test runs on PostgreSQL.
 */
describe('the embedded default (PGlite, no DATABASE_URL)', () => {
  let nest: INestApplication;
  let baseUrl: string;
  const dataDir = mkdtempSync(join(tmpdir(), 'sgc-smoke-'));

  beforeAll(async () => {
    const config = loadConfig({ NODE_ENV: 'development', DATA_DIR: dataDir, SEED_DEMO: 'false', LOG_LEVEL: 'silent' });
    nest = await NestFactory.create(AppModule.forRoot(config), new FastifyAdapter(), { logger: false });
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

  it('is ready', async () => {
    const response = await fetch(`${baseUrl}/health/ready`);
    expect(response.status).toBe(200);
  });
});
