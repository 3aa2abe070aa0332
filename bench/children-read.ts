/**
 * What the child-record reads cost at a realistic volume (DESIGN §8, issue 3 item 6: "lists that scale").
 *
 * On a fresh database of the PostgreSQL server at BENCH_DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/test), dropped afterwards (also on failure), it runs the migrations, seeds
 * children, involvements of five agencies of different kinds (one school involved with about --school-children
 * of them), concerns across categories, tiers and agencies, risk assessments, identifiers, aliases and flags with
 * set-based SQL, ANALYZEs, boots the real application on it and times the main reads over real HTTP as a school
 * safeguarding lead and a police officer: latency of one client (p50, p99), requests per second of --clients
 * concurrent clients, and the plan PostgreSQL chose for the slowest statement each operation sent (captured
 * where statements leave for the server, then run again under EXPLAIN (ANALYZE, BUFFERS)).
 *
 *   npm run bench:children
 *   npm run bench:children -- --children 1000000 --concerns 10000000 --school-children 50000
 *   npm run bench:children -- --iterations 50 --clients 4 --seconds 5 --plans full
 */
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { loadConfig } from '../src/config/config';
import { createHttpAdapter } from '../src/http-adapter';
import { TokenService } from '../src/auth/token.service';
import { CATEGORIES, FAMILY_NAMES, GIVEN_NAMES, INDICATORS, LEVELS, pick, SETTINGS } from './dataset/vocabulary';
import { option, withScratchDatabase } from './scratch-database';

const CHILDREN = Number(option('children', '200000'));
const CONCERNS = Number(option('concerns', '1000000'));
const SCHOOL_CHILDREN = Number(option('school-children', '20000'));
const ITERATIONS = Number(option('iterations', '30'));
const CLIENTS = Number(option('clients', '4'));
const SECONDS = Number(option('seconds', '3'));
const DEEP_PAGES = Number(option('pages', '20'));
const FULL_PLANS = option('plans', 'summary') === 'full';

/** A child's id from its sequence number, so every table can refer to children without a lookup. */
const CHILD_ID = (n: string) => `md5('child' || ${n})::uuid`;

/** The agencies, each involved with a share of the children (every `every`-th one, offset so the sets overlap). */
const AGENCIES = [
  { key: 'school', kind: 'SCHOOL', basis: 'PUPIL', every: 0, role: 'SAFEGUARDING_LEAD' },
  { key: 'police', kind: 'POLICE', basis: 'INVESTIGATION', every: 7, role: 'POLICE_OFFICER' },
  { key: 'social', kind: 'CHILDRENS_SOCIAL_CARE', basis: 'OPEN_CASE', every: 4, role: 'SOCIAL_WORKER' },
  { key: 'health', kind: 'HEALTH', basis: 'HEALTH_CARE', every: 2, role: 'PRACTITIONER' },
  { key: 'youth', kind: 'YOUTH_SERVICE', basis: 'YOUTH_WORK', every: 9, role: 'PRACTITIONER' },
] as const;
type AgencyKey = (typeof AGENCIES)[number]['key'];

interface Seeded {
  agencies: Record<AgencyKey, string>;
  users: Record<AgencyKey, string>;
  /** Common surnames, so a name search finds about 1% of children. */
  searchName: string;
}

async function seed(db: Client): Promise<Seeded> {
  const agencies = {} as Record<AgencyKey, string>;
  const users = {} as Record<AgencyKey, string>;
  for (const agency of AGENCIES) {
    const [row] = (
      await db.query(`INSERT INTO agency (name, kind, local_authority) VALUES ($1, $2, 'Benchshire') RETURNING id`, [
        `Bench ${agency.kind.toLowerCase()}`,
        agency.kind,
      ])
    ).rows;
    agencies[agency.key] = row.id;
    const [user] = (
      await db.query(`INSERT INTO app_user (email, display_name) VALUES ($1, $2) RETURNING id`, [
        `${agency.key}@bench.test`,
        `Bench ${agency.key}`,
      ])
    ).rows;
    users[agency.key] = user.id;
    await db.query(`INSERT INTO membership (user_id, agency_id, roles) VALUES ($1, $2, $3)`, [
      user.id,
      row.id,
      [agency.role],
    ]);
  }

  const step = async (label: string, sql: string, values: unknown[] = []) => {
    const started = Date.now();
    const result = await db.query(sql, values);
    console.log(`  ${label}: ${result.rowCount ?? 0} rows in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  };

  await step(
    'children',
    `INSERT INTO child (id, given_name, family_name, aliases, date_of_birth, gender, address, flags, created_by)
     SELECT ${CHILD_ID('n')}, ${pick(GIVEN_NAMES, `'g' || n`)}, ${pick(FAMILY_NAMES, `'f' || n`)},
            CASE WHEN n % 20 = 0 THEN ARRAY[${pick(GIVEN_NAMES, `'a' || n`)} || ' ' || ${pick(FAMILY_NAMES, `'b' || n`)}]
                 ELSE '{}' END,
            DATE '2008-09-01' + (abs(hashtext('d' || n)) % 3650),
            CASE WHEN n % 2 = 0 THEN 'female' ELSE 'male' END,
            n || ' Example Street, Benchtown',
            CASE WHEN n % 33 = 0 THEN ARRAY['POTENTIAL_VICTIM_OF_EXPLOITATION']
                 WHEN n % 101 = 0 THEN ARRAY['UNDER_CHILD_PROTECTION_PLAN']
                 WHEN n % 499 = 0 THEN ARRAY['POTENTIAL_VICTIM_OF_EXPLOITATION','NRM_POSITIVE_REASONABLE_GROUNDS']
                 ELSE '{}' END,
            $2
       FROM generate_series(1, $1::int) n`,
    [CHILDREN, users.social],
  );

  // Every child has social care, health or another agency involved; the school's pupils are every k-th child.
  const schoolEvery = Math.max(1, Math.round(CHILDREN / SCHOOL_CHILDREN));
  for (const agency of AGENCIES) {
    const every = agency.key === 'school' ? schoolEvery : agency.every;
    await step(
      `involvements (${agency.key})`,
      `INSERT INTO involvement (child_id, agency_id, basis, since, until, created_by)
       SELECT ${CHILD_ID('n')}, $2, $3, DATE '2024-01-01' + (n % 600),
              CASE WHEN n % 50 = 1 THEN DATE '2025-12-31' END, $4
         FROM generate_series(1, $1::int) n
        WHERE (n + $5) % $6 = 0`,
      [CHILDREN, agencies[agency.key], agency.basis, users[agency.key], AGENCIES.indexOf(agency), every],
    );
  }

  await step(
    'identifiers',
    `INSERT INTO child_identifier (child_id, scheme, value, recorded_by_agency_id)
     SELECT ${CHILD_ID('n')}, s.scheme, s.scheme || '-' || lpad(n::text, 9, '0'), s.agency
       FROM generate_series(1, $1::int) n,
            (VALUES ('LOCAL_AUTHORITY', $2::uuid, 1), ('NHS_NUMBER', $3::uuid, 2), ('UPN', $4::uuid, 3)) s (scheme, agency, k)
      WHERE s.k = 1 OR n % s.k = 0`,
    [CHILDREN, agencies.social, agencies.health, agencies.school],
  );

  // Concerns skewed towards some children (a few have long chronologies, most a handful); each written by one of
  // the agencies, police entries mostly police-restricted and health entries often health-confidential.
  const authors = AGENCIES.map((agency) => agency.key);
  await step(
    'concerns',
    `INSERT INTO concern (child_id, agency_id, recorded_by, occurred_at, recorded_at, category, indicators,
                          recruitment_setting, risk_level, sensitivity, narrative)
     SELECT ${CHILD_ID('x.n')}, (ARRAY[$3, $4, $5, $6, $7]::uuid[])[x.a], (ARRAY[$8, $9, $10, $11, $12]::uuid[])[x.a],
            x.at, x.at, ${pick(CATEGORIES, `'c' || x.i`)}, ARRAY[${pick(INDICATORS, `'i' || x.i`)}],
            ${pick(SETTINGS, `'s' || x.i`)}, ${pick(LEVELS, `'l' || x.i`)},
            CASE WHEN x.a = 2 AND x.i % 5 <> 0 THEN 'POLICE_RESTRICTED'
                 WHEN x.a = 4 AND x.i % 2 = 0 THEN 'HEALTH_CONFIDENTIAL'
                 ELSE 'STANDARD' END,
            'Seen at ' || ${pick(SETTINGS, `'s' || x.i`)} || ' with older associates; reported by staff on duty. '
              || repeat('Details of what was seen and said. ', 1 + x.i % 6)
       FROM (SELECT i,
                    1 + floor($2::int * power((abs(hashtext('n' || i)) % 1000003) / 1000003.0, 1.6))::int AS n,
                    1 + (abs(hashtext('a' || i)) % 5) AS a,
                    now() - (abs(hashtext('t' || i)) % 2000) * interval '1 day' - (i % 1440) * interval '1 minute' AS at
               FROM generate_series(1, $1::int) i) x`,
    [CONCERNS, CHILDREN, ...authors.map((key) => agencies[key]), ...authors.map((key) => users[key])],
  );

  await step(
    'risk assessments',
    `INSERT INTO risk_assessment (child_id, agency_id, assessed_by, assessed_at, level, exploitation_types, rationale,
                                  sensitivity)
     SELECT ${CHILD_ID('n')}, (ARRAY[$2, $3, $4]::uuid[])[1 + k % 3], (ARRAY[$5, $6, $7]::uuid[])[1 + k % 3],
            now() - (abs(hashtext('r' || n || k)) % 900) * interval '1 day',
            ${pick(LEVELS, `'r' || n || k`)}, ARRAY['CRIMINAL_EXPLOITATION'], 'Agencies see the same pattern.',
            CASE WHEN k % 3 = 1 AND n % 2 = 0 THEN 'POLICE_RESTRICTED' ELSE 'STANDARD' END
       FROM generate_series(1, $1::int) n, generate_series(1, 2) k
      WHERE n % 5 = 0 AND (k = 1 OR n % 3 = 0)`,
    [CHILDREN, agencies.social, agencies.police, agencies.school, users.social, users.police, users.school],
  );

  const started = Date.now();
  await db.query('VACUUM ANALYZE');
  console.log(`  vacuum analyze: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { agencies, users, searchName: 'Okafor' };
}

/** Every statement the app sends, with its values and how long it took, captured where it leaves for the server. */
interface Statement {
  text: string;
  values: unknown[];
  ms: number;
}

class StatementCapture {
  private readonly original = Client.prototype.query;
  private captured: Statement[] | null = null;

  install(): void {
    const original = this.original;
    const capture = () => this.captured;
    Client.prototype.query = function (this: Client, ...args: unknown[]) {
      const into = capture();
      const config = args[0] as string | { text?: string; values?: unknown[] };
      const text = typeof config === 'string' ? config : String(config?.text);
      const values = (typeof config === 'string' ? args[1] : config?.values) as unknown[] | undefined;
      const started = process.hrtime.bigint();
      const result = (original as (...a: unknown[]) => unknown).apply(this, args);
      if (into && result instanceof Promise) {
        const done = () =>
          into.push({ text, values: values ?? [], ms: Number(process.hrtime.bigint() - started) / 1e6 });
        result.then(done, done);
      }
      return result;
    } as typeof Client.prototype.query;
  }

  async during(run: () => Promise<unknown>): Promise<Statement[]> {
    const statements: Statement[] = [];
    this.captured = statements;
    try {
      await run();
    } finally {
      this.captured = null;
    }
    return statements;
  }

  uninstall(): void {
    Client.prototype.query = this.original;
  }
}

class Http {
  constructor(
    private readonly url: string,
    private readonly token: string,
  ) {}

  async ok(query: string, variables: Record<string, unknown> = {}): Promise<any> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: any; errors?: unknown[] };
    if (body.errors?.length || !body.data) throw new Error(`GraphQL request failed: ${JSON.stringify(body)}`);
    return body.data;
  }
}

const PAGE_FIELDS = `
  edges { cursor node {
    id givenName familyName flags
    involvements { basis since agency { name } }
    currentRisk { level assessedAt }
    concerns(first: 5) { edges { node { id category sensitivity occurredAt narrative } } pageInfo { hasNextPage } }
  } }
  pageInfo { hasNextPage endCursor }`;
const PAGE = `query Page($first: Int!, $after: String, $filter: ChildFilter) {
  children(first: $first, after: $after, filter: $filter) { ${PAGE_FIELDS} }
}`;
const CHILD = `query Child($id: ID!) {
  child(id: $id) {
    id givenName familyName address flags
    identifiers { scheme value }
    involvements { basis agency { name } }
    currentRisk { level }
    concerns(first: 50) {
      edges { node { id category sensitivity occurredAt narrative agency { name } recordedBy { displayName } } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;
const MATCHES = `query Matches($input: ChildMatchInput!) {
  possibleChildMatches(input: $input) { childId initials birthYear score matchedOn involvedAgencies { name } }
}`;

interface Operation {
  name: string;
  run: () => Promise<unknown>;
}

interface Timing {
  p50: number;
  p99: number;
  perSecond: number;
}

const percentile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

async function time(operation: Operation): Promise<Timing> {
  for (let i = 0; i < 3; i++) await operation.run();
  const latencies: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const started = process.hrtime.bigint();
    await operation.run();
    latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  latencies.sort((a, b) => a - b);
  let done = 0;
  const until = Date.now() + SECONDS * 1000;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (Date.now() < until) {
        await operation.run();
        done++;
      }
    }),
  );
  return {
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    perSecond: done / ((Date.now() - started) / 1000),
  };
}

/** The plan of one captured statement, run again with its values; in summary, the scans and the totals. */
async function explain(url: string, statement: Statement): Promise<string[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${statement.text}`, statement.values);
    const lines = rows.map((row: Record<string, string>) => row['QUERY PLAN']);
    if (FULL_PLANS) return lines;
    return lines.filter((line) => /Scan|Execution Time|Sort Method|Hash Join|Nested Loop|Merge Join/.test(line));
  } finally {
    await client.end();
  }
}

const oneLine = (sql: string) => sql.replace(/\s+/g, ' ').trim();

async function bench(url: string, seeded: Seeded): Promise<void> {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: url,
    JWT_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'silent',
  });
  const capture = new StatementCapture();
  capture.install();
  let nest: INestApplication | undefined;
  try {
    nest = await NestFactory.create<NestFastifyApplication>(
      AppModule.forRoot(config),
      createHttpAdapter(undefined, config.trustProxy),
      {
        logger: false,
      },
    );
    await nest.listen(0, '127.0.0.1');
    const address = nest.getHttpServer().address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const db = nest.get(DataSource);
    const signIn = async (key: AgencyKey) => {
      const sessionId = randomUUID();
      const expiresAt = new Date(Date.now() + 3 * 3600_000);
      await db.query(`INSERT INTO auth_session (id, user_id, agency_id, expires_at) VALUES ($1, $2, $3, $4)`, [
        sessionId,
        seeded.users[key],
        seeded.agencies[key],
        expiresAt,
      ]);
      const token = await nest!.get(TokenService).sign(sessionId, seeded.users[key], expiresAt);
      return new Http(`http://127.0.0.1:${port}/graphql`, token);
    };
    const viewers = { 'school DSL': await signIn('school'), 'police officer': await signIn('police') };

    const operations: Operation[] = [];
    for (const [who, http] of Object.entries(viewers)) {
      const page = (filter?: Record<string, unknown>) => () => http.ok(PAGE, { first: 50, filter });
      const first = await http.ok(PAGE, { first: 50 });
      // The child with the longest chronology on the first page, for child(id).
      const [{ child_id: busiest }] = await db.query(
        `SELECT child_id FROM concern WHERE child_id = ANY($1) GROUP BY child_id ORDER BY count(*) DESC LIMIT 1`,
        [first.children.edges.map((edge: any) => edge.node.id)],
      );
      const [sample] = await db.query(
        `SELECT given_name, family_name, date_of_birth::text AS dob FROM child WHERE id = $1`,
        [busiest],
      );
      operations.push(
        { name: `${who}: children(first: 50)`, run: page() },
        { name: `${who}: search "${seeded.searchName}"`, run: page({ search: seeded.searchName }) },
        { name: `${who}: minRisk HIGH`, run: page({ minRisk: 'HIGH' }) },
        { name: `${who}: category COUNTY_LINES`, run: page({ category: 'COUNTY_LINES' }) },
        { name: `${who}: flag POTENTIAL_VICTIM`, run: page({ flag: 'POTENTIAL_VICTIM_OF_EXPLOITATION' }) },
        {
          name: `${who}: ${DEEP_PAGES} pages via after (per page)`,
          run: async () => {
            let after: string | null = null;
            for (let i = 0; i < DEEP_PAGES; i++) {
              const data: any = await http.ok(PAGE, { first: 50, after });
              after = data.children.pageInfo.endCursor;
              if (!after) break;
            }
          },
        },
        { name: `${who}: child(id) with 50 concerns`, run: () => http.ok(CHILD, { id: busiest }) },
        {
          name: `${who}: possibleChildMatches`,
          run: () =>
            http.ok(MATCHES, {
              input: { givenName: sample.given_name, familyName: sample.family_name, dateOfBirth: sample.dob },
            }),
        },
      );
    }

    console.log(
      `\nlatency of one client over ${ITERATIONS} requests, throughput of ${CLIENTS} clients over ${SECONDS} s`,
    );
    console.log('operation'.padEnd(52), '  p50 ms', '  p99 ms', '   req/s');
    const plans: Array<{ name: string; statement: Statement | undefined; count: number; top: Statement[] }> = [];
    for (const operation of operations) {
      const timing = await time(operation);
      const deep = operation.name.includes('pages via after');
      const scale = deep ? DEEP_PAGES : 1;
      console.log(
        operation.name.padEnd(52),
        (timing.p50 / scale).toFixed(1).padStart(8),
        (timing.p99 / scale).toFixed(1).padStart(8),
        (timing.perSecond * scale).toFixed(0).padStart(8),
      );
      // Over three runs, so one slow moment of a cheap statement does not stand in for the operation's cost.
      const totals = new Map<string, Statement>();
      let count = 0;
      for (let run = 0; run < 3; run++) {
        const statements = await capture.during(operation.run);
        count = statements.length;
        for (const statement of statements) {
          const total = totals.get(statement.text);
          totals.set(statement.text, { ...statement, ms: (total?.ms ?? 0) + statement.ms / 3 });
        }
      }
      const top = [...totals.values()].sort((a, b) => b.ms - a.ms);
      // Only reads are run again under EXPLAIN ANALYZE, which executes the statement.
      const statement = top.find((s) => /^\s*(SELECT|WITH)/i.test(s.text));
      plans.push({ name: operation.name, statement, count, top: top.slice(0, 3) });
    }

    const show = (sql: string) => `${oneLine(sql).slice(0, 200)}${oneLine(sql).length > 200 ? ' ...' : ''}`;
    console.log('\nwhere each operation spends its SQL time, and the plan of its costliest read (EXPLAIN ANALYZE)');
    for (const { name, statement, count, top } of plans) {
      console.log(`\n== ${name}: ${count} statements per run; costliest, in ms per run over all executions:`);
      for (const s of top) console.log(`   ${s.ms.toFixed(1).padStart(7)}  ${show(s.text)}`);
      if (statement) for (const line of await explain(url, statement)) console.log(`   ${line}`);
    }
  } finally {
    capture.uninstall();
    await nest?.close();
  }
}

async function main(): Promise<void> {
  await withScratchDatabase(async (url) => {
    console.log(
      `seeding ${CHILDREN} children, ${CONCERNS} concerns, a school involved with about ${SCHOOL_CHILDREN} of them`,
    );
    const db = new Client({ connectionString: url });
    await db.connect();
    let seeded: Seeded;
    try {
      seeded = await seed(db);
      const { rows } = await db.query(
        `SELECT g.kind, count(*) FILTER (WHERE i.until IS NULL OR i.until > current_date) AS active
           FROM involvement i JOIN agency g ON g.id = i.agency_id GROUP BY g.kind ORDER BY g.kind`,
      );
      console.log(`  active involvements: ${rows.map((row) => `${row.kind} ${row.active}`).join(', ')}`);
    } finally {
      await db.end();
    }
    await bench(url, seeded);
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
