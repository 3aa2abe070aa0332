import { Client } from 'pg';
import { PasswordService } from '../../src/auth/password.service';
import { BENCH_SERVER, migrated, onServer } from '../scratch-database';
import type { Scale } from './scale';
import { CHAIN_AGGREGATE, datasetSteps, Step } from './steps';

/** Every bench person's password (the demo's are public too; this dataset holds no real person). */
export const BENCH_PASSWORD = 'bench-password-not-secret';

/** What a finished load leaves in the database's comment: a database without it is incomplete. */
export interface LoadRecord {
  scale: Scale;
  loadedAt: string;
  seconds: number;
  steps: Array<{ label: string; rows: number; seconds: number }>;
}

export const databaseName = (scale: Scale) => `sgc_bench_${scale.name}`;

export function databaseUrl(name: string, role?: string): string {
  const url = new URL(BENCH_SERVER);
  url.pathname = `/${name}`;
  if (role) {
    url.username = role;
    url.password = '';
  }
  return url.toString();
}

/** The record of the finished load of database `name`, or undefined when it is missing or was never finished. */
export async function loadRecord(name: string): Promise<LoadRecord | undefined> {
  const client = new Client({ connectionString: BENCH_SERVER });
  await client.connect();
  try {
    const { rows } = await client.query<{ comment: string | null }>(
      `SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1`,
      [name],
    );
    return rows[0]?.comment ? (JSON.parse(rows[0].comment) as LoadRecord) : undefined;
  } finally {
    await client.end();
  }
}

const seconds = (since: number) => (Date.now() - since) / 1000;

/** Rows [from, to] of each of `chunks` equal parts of 1..rows. */
export function chunkRanges(rows: number, chunks: number): Array<[number, number]> {
  return Array.from({ length: chunks }, (_, j): [number, number] => [
    Math.floor((j * rows) / chunks) + 1,
    Math.floor(((j + 1) * rows) / chunks),
  ]).filter(([from, to]) => from <= to);
}

/** Works through `items` on every connection at once, each connection taking the next item as it finishes one. */
async function shareOut<T>(
  clients: Client[],
  items: readonly T[],
  work: (client: Client, item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    clients.map(async (client) => {
      for (let at = next++; at < items.length; at = next++) await work(client, items[at]);
    }),
  );
}

const onEach = (clients: Client[], sql: string) => Promise.all(clients.map((client) => client.query(sql)));

async function runStep(step: Step, clients: Client[], print: (line: string) => void): Promise<number> {
  const ranges = chunkRanges(step.rows, step.chunks);
  let done = 0;
  let rows = 0;
  const started = Date.now();
  if (step.replica) await onEach(clients, `SET session_replication_role = replica`);
  try {
    await shareOut(clients, ranges, async (client, range) => {
      const result = await client.query(step.sql(...range));
      rows += result.rowCount ?? 0;
      done += 1;
      if (ranges.length > 1)
        print(`  ${step.label}: ${done}/${ranges.length}, ${rows} rows, ${seconds(started).toFixed(0)} s`);
    });
  } finally {
    if (step.replica) await onEach(clients, `RESET session_replication_role`);
  }
  print(`${step.label}: ${rows} rows in ${seconds(started).toFixed(1)} s`);
  return rows;
}

/** An index the load drops before filling the tables and builds again afterwards. */
interface DeferredIndex {
  name: string;
  definition: string;
}

/**
 * The indexes no constraint owns (constraints' own indexes stay, foreign keys need them). Rows inserted in
 * generation order would update each of them at a random place, row by row; built after the load, each is one
 * sort. The unique ones among them check their rule again when they are built, so nothing goes unchecked.
 */
async function dropDeferredIndexes(client: Client): Promise<DeferredIndex[]> {
  const { rows } = await client.query<DeferredIndex>(
    `SELECT format('%I.%I', n.nspname, ic.relname) AS name, pg_get_indexdef(i.indexrelid) AS definition
       FROM pg_index i
       JOIN pg_class ic ON ic.oid = i.indexrelid
       JOIN pg_namespace n ON n.oid = ic.relnamespace
      WHERE n.nspname = 'public'
        AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
      ORDER BY pg_relation_size(i.indrelid) DESC`,
  );
  for (const index of rows) await client.query(`DROP INDEX ${index.name}`);
  return rows;
}

/** A foreign key the load drops before filling the tables and adds again, validated, afterwards. */
interface DeferredForeignKey {
  table: string;
  name: string;
  definition: string;
}

/**
 * Every foreign key of the schema. Checked row by row, they took a third of the time of the concerns' insert;
 * added again afterwards, PostgreSQL validates each over the whole table in one anti-join, so a row the
 * generator got wrong still fails the load, and the audit log, whose rows go in with triggers off, is checked too.
 */
async function dropForeignKeys(client: Client): Promise<DeferredForeignKey[]> {
  const { rows } = await client.query<DeferredForeignKey>(
    `SELECT format('%I.%I', n.nspname, t.relname) AS table, quote_ident(k.conname) AS name,
            pg_get_constraintdef(k.oid) AS definition
       FROM pg_constraint k
       JOIN pg_class t ON t.oid = k.conrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE k.contype = 'f' AND n.nspname = 'public'
      ORDER BY pg_relation_size(t.oid) DESC, k.conname`,
  );
  for (const key of rows) await client.query(`ALTER TABLE ${key.table} DROP CONSTRAINT ${key.name}`);
  return rows;
}

/**
 * Adds the keys back NOT VALID (at once, no scan) and then validates them on every connection: VALIDATE takes
 * locks that do not conflict with each other, where adding a key outright locks the table it refers to, so two
 * keys onto the same table would wait for each other.
 */
async function addForeignKeys(keys: DeferredForeignKey[], clients: Client[], print: (line: string) => void) {
  const started = Date.now();
  for (const key of keys) {
    await clients[0].query(`ALTER TABLE ${key.table} ADD CONSTRAINT ${key.name} ${key.definition} NOT VALID`);
  }
  await shareOut(clients, keys, (client, key) =>
    client.query(`ALTER TABLE ${key.table} VALIDATE CONSTRAINT ${key.name}`),
  );
  print(`foreign keys: ${keys.length} validated in ${seconds(started).toFixed(1)} s`);
}

async function buildIndexes(indexes: DeferredIndex[], clients: Client[], print: (line: string) => void) {
  const started = Date.now();
  await onEach(clients, `SET maintenance_work_mem = '512MB'`);
  await shareOut(clients, indexes, (client, index) => client.query(index.definition));
  print(`indexes: ${indexes.length} built in ${seconds(started).toFixed(1)} s`);
}

/**
 * Creates database `name` on BENCH_SERVER (dropping one left from before), migrates it, and fills it at `scale`
 * on `jobs` connections at once, builds the indexes and foreign keys it put off, then VACUUM ANALYZEs it and
 * records the load in the database's comment. A load that fails drops what it made.
 */
export async function loadDataset(
  name: string,
  scale: Scale,
  jobs: number,
  print: (line: string) => void,
): Promise<LoadRecord> {
  const started = Date.now();
  await onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await onServer(`CREATE DATABASE ${name}`);
  try {
    const url = databaseUrl(name);
    await (await migrated(url)).destroy();
    print(`${name}: migrated in ${seconds(started).toFixed(1)} s`);
    const passwordHash = await new PasswordService().hash(BENCH_PASSWORD);
    const clients = Array.from({ length: jobs }, () => new Client({ connectionString: url }));
    const steps: LoadRecord['steps'] = [];
    try {
      for (const client of clients) {
        await client.connect();
        // Large sorts (the audit lanes' running hash) stay in memory; commits need not wait for the disk.
        await client.query(`SET work_mem = '256MB'; SET synchronous_commit = off`);
        for (const sql of CHAIN_AGGREGATE) await client.query(sql);
      }
      const deferred = await dropDeferredIndexes(clients[0]);
      const foreignKeys = await dropForeignKeys(clients[0]);
      const { rows: columns } = await clients[0].query<{ name: string }>(
        `SELECT attname AS name FROM pg_attribute
          WHERE attrelid = 'audit_event'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
      );
      for (const step of datasetSteps(
        scale,
        passwordHash,
        columns.map((column) => column.name),
      )) {
        const stepStarted = Date.now();
        const rows = await runStep(step, clients, print);
        steps.push({ label: step.label, rows, seconds: seconds(stepStarted) });
      }
      await clients[0].query(`SELECT setval('audit_event_seq', $1)`, [scale.auditEvents]);
      const indexed = Date.now();
      await buildIndexes(deferred, clients, print);
      steps.push({ label: 'indexes', rows: deferred.length, seconds: seconds(indexed) });
      const validated = Date.now();
      await addForeignKeys(foreignKeys, clients, print);
      steps.push({ label: 'foreign keys', rows: foreignKeys.length, seconds: seconds(validated) });
      const vacuumed = Date.now();
      const { rows: tables } = await clients[0].query<{ name: string }>(
        `SELECT format('%I.%I', schemaname, relname) AS name FROM pg_stat_user_tables ORDER BY relname`,
      );
      await shareOut(clients, tables, (client, table) => client.query(`VACUUM (ANALYZE) ${table.name}`));
      print(`vacuum analyze: ${seconds(vacuumed).toFixed(1)} s`);
      steps.push({ label: 'vacuum analyze', rows: 0, seconds: seconds(vacuumed) });
    } finally {
      await Promise.all(clients.map((client) => client.end().catch(() => undefined)));
    }
    const record: LoadRecord = { scale, loadedAt: new Date().toISOString(), seconds: seconds(started), steps };
    await onServer(`COMMENT ON DATABASE ${name} IS '${JSON.stringify(record).replace(/'/g, "''")}'`);
    print(`${name}: loaded in ${record.seconds.toFixed(0)} s`);
    return record;
  } catch (error) {
    await onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
    throw error;
  }
}
