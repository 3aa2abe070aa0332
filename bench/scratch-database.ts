import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { loadConfig } from '../src/config/config';
import { openDatabase } from '../src/database/data-source-options';

/** The PostgreSQL server benchmarks make their scratch databases on. */
export const BENCH_SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The value of `--name <value>` on the command line, or the fallback. */
export function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
}

/** Runs one statement on BENCH_SERVER's own database (creating and dropping databases). */
export async function onServer(sql: string): Promise<void> {
  const client = new Client({ connectionString: BENCH_SERVER });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** The database at `url` with every migration applied, as its owner (the URL's role); the caller destroys it. */
export async function migrated(url: string): Promise<DataSource> {
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: url, JWT_SECRET: randomBytes(32).toString('hex') });
  const { options } = await openDatabase(config, 'migrations');
  const source = await new DataSource(options).initialize();
  try {
    await source.runMigrations({ transaction: 'each' });
  } catch (error) {
    await source.destroy().catch(() => undefined);
    throw error;
  }
  return source;
}

/**
 * Runs `use` on a fresh database of BENCH_SERVER with every migration applied (as its owner), and drops the
 * database afterwards, also when `use` fails.
 */
export async function withScratchDatabase(use: (url: string, source: DataSource) => Promise<void>): Promise<void> {
  const name = `sgc_bench_${Date.now().toString(36)}`;
  await onServer(`CREATE DATABASE ${name}`);
  const url = new URL(BENCH_SERVER);
  url.pathname = `/${name}`;
  try {
    const source = await migrated(url.toString());
    try {
      await use(url.toString(), source);
    } finally {
      await source.destroy().catch(() => undefined);
    }
  } finally {
    await onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}
