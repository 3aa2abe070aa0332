// `npm run schema:emit` writes the served schema to schema.graphql; `npm run schema:check` (--check) fails when
// the committed file is stale. The schema comes from booting the real app, so it is exactly what is served.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AppModule } from '../app.module';
import { loadConfig } from '../config/config';

const COMMITTED = resolve('schema.graphql');

/** Boots the app on a throwaway embedded database, which it needs to start, and writes the schema to `file`. */
async function emit(file: string, dataDir: string): Promise<void> {
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, SCHEMA_FILE: file, LOG_LEVEL: 'warn' });
  const app = await NestFactory.create(AppModule.forRoot(config), new FastifyAdapter(), { logger: ['error'] });
  try {
    await app.init();
  } finally {
    await app.close();
  }
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const scratch = mkdtempSync(join(tmpdir(), 'sgc-schema-'));
  try {
    const file = check ? join(scratch, 'schema.graphql') : COMMITTED;
    await emit(file, join(scratch, 'data'));
    if (!check) return;
    const stale = !existsSync(COMMITTED) || readFileSync(COMMITTED, 'utf8') !== readFileSync(file, 'utf8');
    if (stale) {
      console.error('schema.graphql is stale: run `npm run schema:emit` and commit the result');
      process.exitCode = 1;
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
