/**
 * The load benchmark of issue 14: the built service in production mode, as the restricted application role,
 * driven from this process per operation, at one dataset scale: throughput in a closed loop (autocannon), latency
 * at a steady offered rate (an open loop paced here, bench/runner/measure.ts).
 *
 * Against database `sgc_bench_<scale>` of BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test),
 * loaded first when it is missing or with --reload. Statements per request are counted once, before the load,
 * on a run of the service whose connections pass through a counting relay (bench/runner/statement-counter.ts);
 * the load itself runs on direct connections. Audit rows per request are counted in that sequential pass too,
 * and after a fresh load the platform admin verifies the whole audit chain through the service. Writes bench/results/<time>-<scale>.{json,md} and chart.svg.
 *
 * Operations take turns over `--rounds` rounds (a slow minute on a shared machine then lands on every
 * operation alike, not on one); each operation's figures are those of its median round by throughput.
 *
 *   npm run bench -- --scale small|medium|national [--reload] [--rounds 3] [--seconds 10] [--connections 50]
 *                    [--rate 200]
 */
import { Client } from 'pg';
import { join } from 'node:path';
import { databaseName, databaseUrl, loadDataset, loadRecord } from './dataset/load';
import { isScaleName, scaleOf } from './dataset/scale';
import { drive, pace, type Phase } from './runner/measure';
import { Operation, operations, verifyAuditChain } from './runner/operations';
import { OperationResult, ratios, RunReport, writeReport } from './runner/report';
import { Service } from './runner/service';
import { BASELINE_STATEMENTS, SqlBaseline } from './runner/sql-baseline';
import { StatementCounter } from './runner/statement-counter';
import { BENCH_SERVER, option } from './scratch-database';

/** The LOGIN role the service runs as: a member of safeguard_app and nothing more (README). */
const APP_ROLE = 'safeguard_bench';
const ROOT = join(__dirname, '..', '..');
const COUNTED_REQUESTS = 20;
const PORT = 3917;

async function ensureAppRole(db: Client): Promise<void> {
  await db.query(`
    DO $$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
        CREATE ROLE ${APP_ROLE} LOGIN IN ROLE safeguard_app;
      END IF;
    END $$`);
}

async function auditHead(db: Client): Promise<string> {
  const { rows } = await db.query<{ seq: string }>(`SELECT coalesce(max(seq), 0) AS seq FROM audit_event`);
  return rows[0].seq;
}

async function auditRowsSince(db: Client, seq: string): Promise<number> {
  const { rows } = await db.query<{ n: string }>(`SELECT count(*) AS n FROM audit_event WHERE seq > $1`, [seq]);
  return Number(rows[0].n);
}

/**
 * Waits (up to two minutes) until the service has had no statement running for a second: requests a phase's
 * client gave up on still run in the service after it, and would be counted against the next operation instead;
 * one idle glance could fall between two of their statements.
 */
async function drained(db: Client): Promise<void> {
  const deadline = Date.now() + 120_000;
  let idleSince: number | undefined;
  while (Date.now() < deadline) {
    const { rows } = await db.query<{ busy: number }>(
      `SELECT count(*)::int AS busy FROM pg_stat_activity WHERE usename = $1 AND state <> 'idle'`,
      [APP_ROLE],
    );
    if (rows[0].busy > 0) idleSince = undefined;
    else if (idleSince === undefined) idleSince = Date.now();
    else if (Date.now() - idleSince >= 1000) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the service was still busy two minutes after the last phase');
}

async function send(url: string, operation: Operation): Promise<void> {
  const response = await fetch(operation.target === 'service' ? `${url}/graphql` : url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${operation.token}` },
    body: operation.body(),
  });
  const text = await response.text();
  // A null child or conference would be measured as a cheap miss: every operation must find its record.
  if (!response.ok || text.includes('"errors"') || text.includes(':null}}'))
    throw new Error(`${operation.name} failed: ${text.slice(0, 500)}`);
}

/** What one round measured of one operation. */
interface RoundResult {
  closed: Phase;
  rate: Phase;
  cpuMs: number;
  peakMemoryMb: number;
}

async function main(): Promise<void> {
  const scaleName = option('scale', 'small');
  if (!isScaleName(scaleName)) throw new Error(`--scale must be small, medium or national, not "${scaleName}"`);
  const scale = scaleOf(scaleName);
  const seconds = Number(option('seconds', '10'));
  const connections = Number(option('connections', '50'));
  const rate = Number(option('rate', '200'));
  const rounds = Number(option('rounds', '3'));
  const name = databaseName(scale);
  const startedAt = new Date().toISOString();

  let dataset = process.argv.includes('--reload') ? undefined : await loadRecord(name);
  const loaded = !dataset;
  if (!dataset) dataset = await loadDataset(name, scale, 2, (line) => console.log(line));
  const db = new Client({ connectionString: databaseUrl(name) });
  await db.connect();
  const secret = Service.secret();
  try {
    await ensureAppRole(db);
    const appUrl = databaseUrl(name, APP_ROLE);

    // Statements per request, through the counting relay.
    const server = new URL(BENCH_SERVER);
    const counter = new StatementCounter({ host: server.hostname, port: Number(server.port || 5432) });
    const relayUrl = new URL(appUrl);
    relayUrl.hostname = '127.0.0.1';
    relayUrl.port = String(await counter.listen());
    // Audit rows per request too: requests here run one at a time, so every row counted is one of theirs.
    const statements = new Map<string, number>();
    const auditRows = new Map<string, number>();
    let counted = await Service.start(ROOT, relayUrl.toString(), PORT, secret);
    let ops: Operation[];
    try {
      if (loaded) {
        const started = Date.now();
        const events = await verifyAuditChain(counted.url, db);
        console.log(`audit chain verified: ${events} events in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      }
      ops = await operations(counted.url, db, scale, Number(option('pool', '200')));
      for (const operation of ops.filter((o) => o.target === 'service')) {
        for (let i = 0; i < 3; i++) await send(counted.url, operation);
        counter.statements = 0;
        const auditBefore = await auditHead(db);
        for (let i = 0; i < COUNTED_REQUESTS; i++) await send(counted.url, operation);
        statements.set(operation.name, counter.statements / COUNTED_REQUESTS);
        auditRows.set(operation.name, (await auditRowsSince(db, auditBefore)) / COUNTED_REQUESTS);
      }
    } finally {
      await counted.stop();
      await counter.close();
    }
    statements.set('sql-baseline', BASELINE_STATEMENTS);

    // The load, on direct connections; the tokens signed above stay valid (same secret, sessions in the database).
    counted = await Service.start(ROOT, appUrl, PORT, secret);
    const service = counted;
    const baseline = new SqlBaseline(appUrl, 10);
    const baselineUrl = await baseline.listen();
    // One round of one operation: a warm-up, the closed loop (throughput, with the server's CPU), the paced rate.
    const measureRound = async (operation: Operation, url: string): Promise<RoundResult> => {
      await drained(db);
      await drive(url, operation, { connections, seconds: 2 });
      service.resetPeakMemory();
      const cpuBefore = service.cpuMs();
      const closed = await drive(url, operation, { connections, seconds });
      const cpuMs = service.cpuMs() - cpuBefore;
      await drained(db);
      const atRate = await pace(url, operation, { connections, seconds, rate });
      return { closed, rate: atRate, cpuMs, peakMemoryMb: service.peakMemoryMb() };
    };
    const measured = new Map<string, RoundResult[]>();
    try {
      for (let round = 1; round <= rounds; round++) {
        for (const operation of ops) {
          const result = await measureRound(operation, operation.target === 'service' ? service.url : baselineUrl);
          measured.set(operation.name, [...(measured.get(operation.name) ?? []), result]);
          console.log(
            `round ${round}, ${operation.name}: ${result.closed.perSecond.toFixed(0)} req/s, p99 ${result.closed.p99.toFixed(0)} ms ` +
              `(paced at ${rate}/s: ${result.rate.p99.toFixed(0)} ms), ${result.closed.errors + result.rate.errors} errors`,
          );
        }
      }
    } finally {
      await baseline.close();
      await service.stop();
    }
    const results: OperationResult[] = ops.map((operation) => {
      const all = measured.get(operation.name) ?? [];
      const requests = all.reduce((sum, r) => sum + r.closed.requests, 0);
      const median = [...all].sort((a, b) => a.closed.perSecond - b.closed.perSecond)[Math.floor(all.length / 2)];
      return {
        name: operation.name,
        closed: median.closed,
        rate: median.rate,
        rounds: all.map((r) => ({ closed: r.closed, rate: r.rate })),
        statementsPerRequest: statements.get(operation.name) ?? NaN,
        auditRowsPerRequest: auditRows.get(operation.name) ?? 0,
        cpuMsPerRequest:
          operation.target === 'service' ? all.reduce((sum, r) => sum + r.cpuMs, 0) / Math.max(1, requests) : NaN,
        peakMemoryMb: Math.max(...all.map((r) => r.peakMemoryMb)),
      };
    });
    for (const result of results) {
      console.log(
        `${result.name}: ${result.closed.perSecond.toFixed(0)} req/s, p99 ${result.closed.p99.toFixed(0)} ms ` +
          `(paced at ${rate}/s: ${result.rate.p99.toFixed(0)} ms), ${result.statementsPerRequest} statements, ` +
          `${result.auditRowsPerRequest.toFixed(2)} audit rows, ${result.cpuMsPerRequest.toFixed(1)} CPU ms`,
      );
    }
    const report: RunReport = {
      scale: scale.name,
      startedAt,
      note: option('note', `One run on a 2-core machine; ${rounds} interleaved rounds, each operation's median shown.`),
      settings: { connections, rate, seconds, rounds },
      dataset,
      operations: results,
      ratios: ratios(results),
    };
    console.log(`written ${writeReport(join(ROOT, 'bench', 'results'), report)}.{json,md}`);
  } finally {
    await db.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
