import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { SignedIn, TestApp } from '../libs/testing/src';
import { AgencyKind, Role } from '../src/common/enums/agencies';
import { ANONYMOUS, MAX_OPERATION_NAMES, OTHER } from '../src/metrics/metrics.service';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Prometheus' text format, one sample per line after the # HELP and # TYPE lines. */
function parseMetrics(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [, name, labelText = '', value] = line.match(/^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/)!;
      const labels = Object.fromEntries(
        [...labelText.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, k, v]) => [k, v]),
      );
      return { name, labels, value: Number(value) };
    });
}

function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  return samples.find(
    (sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  )?.value;
}

type LogLine = Record<string, any> & { level: number; msg?: string; requestId?: string };

const METRICS_TOKEN = randomBytes(32).toString('hex');

/** A POST /graphql exactly as a client sends it, operationName and bearer included. */
async function post(app: TestApp, body: Record<string, unknown>, token?: string): Promise<Response> {
  return fetch(`${app.baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
}

describe('observability', () => {
  let app: TestApp;
  let school: SignedIn;
  const lines: LogLine[] = [];

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line));
        done();
      },
    });
    app = await TestApp.start({ env: { LOG_LEVEL: 'info', METRICS_TOKEN }, log: sink });
    school = await app.factories.signedIn({ kind: AgencyKind.SCHOOL, roles: [Role.SAFEGUARDING_LEAD] });
  });
  afterAll(() => app.stop());

  const scrape = async (headers: Record<string, string> = {}) => {
    const response = await fetch(`${app.baseUrl}/metrics`, { headers });
    return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
  };

  describe('GET /metrics', () => {
    it('counts GraphQL requests by operation name and outcome, and times them in latency buckets', async () => {
      const registered = await school.client.ok(
        `mutation RegisterPupil($input: RegisterChildInput!) { registerChild(input: $input) { child { id } } }`,
        { input: { basis: 'PUPIL', givenName: 'Metric', familyName: 'Quietly', dateOfBirth: '2014-05-06' } },
      );
      for (let i = 0; i < 2; i++) await app.anonymous().query(`query WhoAmI { me { roles } }`);
      await app.anonymous().query(`{ __typename }`);
      await app.anonymous().query(`query Broken { noSuchField }`);
      // An ended session is refused before GraphQL runs: counted by the name the client sent.
      await post(app, { query: 'query Mine { me { roles } }', operationName: 'Mine' }, 'not-a-live-session');

      const { status, type, text } = await scrape();
      expect(status).toBe(200);
      expect(type).toMatch(/^text\/plain; version=0\.0\.4/);
      const samples = parseMetrics(text);
      const requests = (operation: string, outcome: string) =>
        valueOf(samples, 'safeguard_graphql_requests_total', { operation, outcome });
      expect(requests('RegisterPupil', 'OK')).toBe(1);
      expect(requests('WhoAmI', 'UNAUTHENTICATED')).toBe(2);
      expect(requests(ANONYMOUS, 'OK')).toBe(1);
      expect(requests('Broken', 'GRAPHQL_VALIDATION_FAILED')).toBe(1);
      expect(requests('Mine', 'UNAUTHENTICATED')).toBe(1);

      const latency = (operation: string, outcome: string) =>
        samples.filter(
          (sample) =>
            sample.name === 'safeguard_graphql_request_duration_seconds_bucket' &&
            sample.labels.operation === operation &&
            sample.labels.outcome === outcome,
        );
      const buckets = latency('WhoAmI', 'UNAUTHENTICATED');
      expect(buckets.map((bucket) => bucket.labels.le)).toEqual([
        ...['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10'],
        '+Inf',
      ]);
      expect(buckets.at(-1)!.value).toBe(2);
      const count = { operation: 'RegisterPupil', outcome: 'OK' };
      expect(valueOf(samples, 'safeguard_graphql_request_duration_seconds_count', count)).toBe(1);
      expect(valueOf(samples, 'safeguard_graphql_request_duration_seconds_sum', count)).toBeGreaterThan(0);

      // The registration wrote its audit record; nothing in the figures names the child or the person.
      expect(valueOf(samples, 'safeguard_audit_write_duration_seconds_count')).toBeGreaterThanOrEqual(1);
      expect(text).not.toMatch(new RegExp(`Quietly|${registered.registerChild.child.id}|${school.user.email}`));
    });

    it('reports the database pool: its size, the connections open, in use and the requests waiting', async () => {
      // A connection is opened for it and, its answer sent, back in the pool (idle for a while) when scraped.
      await school.client.ok('{ me { roles } }');
      const samples = parseMetrics((await scrape()).text);
      expect(valueOf(samples, 'safeguard_db_pool_max_connections')).toBe(10);
      expect(valueOf(samples, 'safeguard_db_pool_open_connections')).toBeGreaterThanOrEqual(1);
      expect(valueOf(samples, 'safeguard_db_pool_in_use_connections')).toBe(0);
      expect(valueOf(samples, 'safeguard_db_pool_waiting_clients')).toBe(0);
    });

    it("reports the process's memory and Node's own metrics", async () => {
      const samples = parseMetrics((await scrape()).text);
      expect(valueOf(samples, 'process_resident_memory_bytes')).toBeGreaterThan(0);
      expect(valueOf(samples, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
      expect(valueOf(samples, 'nodejs_eventloop_lag_seconds')).toBeDefined();
    });

    it('is refused to a request a proxy forwarded, unless it carries METRICS_TOKEN as its bearer token', async () => {
      const forwarded = { 'x-forwarded-for': '203.0.113.7' };
      expect((await scrape(forwarded)).status).toBe(403);
      expect((await scrape({ ...forwarded, authorization: `Bearer ${METRICS_TOKEN}x` })).status).toBe(403);
      const allowed = await scrape({ ...forwarded, authorization: `Bearer ${METRICS_TOKEN}` });
      expect(allowed.status).toBe(200);
      expect(allowed.text).toContain('safeguard_graphql_requests_total');
    });
  });

  describe('the log lines of a request', () => {
    it('all carry its request id, an internal error logged inside a resolver too, and never its variables', async () => {
      await app.ownerQuery('ALTER TABLE login_attempt RENAME TO login_attempt_withdrawn');
      let correlationId: string;
      try {
        const response = await app
          .anonymous()
          .query('mutation ($e: String!) { login(email: $e, password: "irrelevant") { token } }', {
            e: 'parent.private@example.org',
          });
        correlationId = response.errors![0].extensions!.correlationId as string;
      } finally {
        await app.ownerQuery('ALTER TABLE login_attempt_withdrawn RENAME TO login_attempt');
      }
      const mine = lines.filter((line) => line.requestId === correlationId);
      expect(mine.map((line) => line.msg)).toEqual(['internal error', 'request completed']);
      // One access line a request, when it completes, saying what was asked for and how it ended.
      expect(mine[1]).toMatchObject({ req: { method: 'POST', path: '/graphql' }, res: { statusCode: 200 } });
      expect(JSON.stringify(lines)).not.toContain('parent.private');
    });

    it('carry it on what a service logs without being told the id: the warning that operation names are capped', async () => {
      const before = lines.length;
      const long = `Q${'x'.repeat(64)}`;
      expect((await app.anonymous().query(`query ${long} { __typename }`)).status).toBe(200);
      for (let i = 0; i <= MAX_OPERATION_NAMES; i++) await app.anonymous().query(`query Many${i} { __typename }`);
      const samples = parseMetrics((await scrape()).text);
      const requests = (operation: string) =>
        valueOf(samples, 'safeguard_graphql_requests_total', { operation, outcome: 'OK' });
      // Names longer than 64 characters, and every name beyond the cap, are "(other)".
      expect(requests(long)).toBeUndefined();
      expect(requests(OTHER)).toBeGreaterThanOrEqual(2);
      const labels = new Set(
        samples.filter((s) => s.name === 'safeguard_graphql_requests_total').map((s) => s.labels.operation),
      );
      expect(labels.size).toBeLessThanOrEqual(MAX_OPERATION_NAMES + 2);

      const warnings = lines.slice(before).filter((line) => line.level === 40);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatchObject({ context: 'Metrics', requestId: expect.any(String) });
      const request = lines.filter((line) => line.requestId === warnings[0].requestId).map((line) => line.msg);
      expect(request).toEqual([warnings[0].msg, 'request completed']);
    });
  });
});
