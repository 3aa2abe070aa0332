/**
 * What the hash-chained audit log costs concurrent requests (issue 4: "the chain must not make concurrent
 * requests queue behind one lock for long").
 *
 * Each simulated request is one READ COMMITTED transaction that appends three events in one INSERT and commits,
 * which is what AuditLog does at the end of every audited request. The same load runs against `audit_event`
 * (chained by its trigger, in lanes) and against an unchained table with the same payload, at several
 * connection counts, on a fresh database of the PostgreSQL server at BENCH_DATABASE_URL
 * (default postgres://postgres@127.0.0.1:5432/test), which is dropped afterwards.
 *
 *   npm run bench:audit                      # 5 s per point, 1, 10, 20 and 40 connections
 *   npm run bench:audit -- --seconds 10 --connections 10,40
 */
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { option, withScratchDatabase } from './scratch-database';

const EVENTS_PER_REQUEST = 3;

interface Point {
  transactions: number;
  perSecond: number;
  p50: number;
  p99: number;
}

async function run(pool: Pool, table: string, connections: number, seconds: number): Promise<Point> {
  const latencies: number[] = [];
  const until = Date.now() + seconds * 1000;
  const values = Array.from(
    { length: EVENTS_PER_REQUEST },
    (_, i) => `('read', 'Child', $${i + 1}::uuid::text, $${i + 1}::uuid, 'INVOLVED')`,
  );
  const insert = `INSERT INTO ${table} (action, subject_type, subject_id, child_id, route) VALUES ${values.join(', ')}`;
  const worker = async () => {
    const client = await pool.connect();
    try {
      while (Date.now() < until) {
        const started = process.hrtime.bigint();
        await client.query('BEGIN');
        await client.query(
          insert,
          Array.from({ length: EVENTS_PER_REQUEST }, () => randomUUID()),
        );
        await client.query('COMMIT');
        latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
    } finally {
      client.release();
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: connections }, worker));
  const elapsed = (Date.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return { transactions: latencies.length, perSecond: latencies.length / elapsed, p50: at(0.5), p99: at(0.99) };
}

async function main(): Promise<void> {
  const seconds = Number(option('seconds', '5'));
  const counts = option('connections', '1,10,20,40').split(',').map(Number);
  await withScratchDatabase(async (url, source) => {
    await source.query(`
      CREATE TABLE audit_event_unchained (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(),
        action text NOT NULL, subject_type text NOT NULL, subject_id text, child_id uuid, route text)`);
    console.log(`audit append: ${EVENTS_PER_REQUEST} events per transaction, ${seconds} s per point`);
    console.log('connections  chained tx/s  p50 ms  p99 ms | unchained tx/s  p50 ms  p99 ms | ratio');
    for (const connections of counts) {
      const pool = new Pool({ connectionString: url, max: connections });
      // The database is dropped with FORCE at the end; idle connections being cut then is expected.
      pool.on('error', () => undefined);
      try {
        const chained = await run(pool, 'audit_event', connections, seconds);
        const plain = await run(pool, 'audit_event_unchained', connections, seconds);
        console.log(
          [
            String(connections).padStart(11),
            chained.perSecond.toFixed(0).padStart(13),
            chained.p50.toFixed(1).padStart(7),
            chained.p99.toFixed(1).padStart(7),
            '|',
            plain.perSecond.toFixed(0).padStart(14),
            plain.p50.toFixed(1).padStart(7),
            plain.p99.toFixed(1).padStart(7),
            '|',
            (chained.perSecond / plain.perSecond).toFixed(2).padStart(5),
          ].join(' '),
        );
      } finally {
        await pool.end();
      }
    }
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
