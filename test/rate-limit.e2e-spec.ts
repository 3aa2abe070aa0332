import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { codeOf, GraphQLClient, GraphQLResponse, SignedIn, TestApp } from '../libs/testing/src';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const LIMIT = 5;
const ME = '{ me { roles } }';

/** The same request answered by another replica: the same person, the same token. */
const on = (app: TestApp, client: GraphQLClient) => new GraphQLClient(app.baseUrl, client.token);

/** A request over the limit: refused as the whole answer, before anything ran. */
async function expectRateLimited(client: GraphQLClient, query = ME): Promise<void> {
  const response = await fetch(`${client.baseUrl}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(client.token ? { authorization: `Bearer ${client.token}` } : {}),
    },
    body: JSON.stringify({ query }),
  });
  const body = await response.json();
  expect(response.status).toBe(429);
  const retryAfter = Number(response.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(body).toEqual({
    errors: [
      {
        message: `Too many requests: try again in ${retryAfter} seconds`,
        extensions: { code: 'RATE_LIMITED', retryAfterSeconds: retryAfter },
      },
    ],
  });
}

async function spend(client: GraphQLClient, requests: number): Promise<void> {
  for (let i = 0; i < requests; i++) expect(codeOf(await client.query(ME))).toBeUndefined();
}

describe('the per-person request limit (RATE_LIMIT_PER_MINUTE)', () => {
  describe('counted in Redis by two replicas of the service', () => {
    // Keys of their own, so parallel test files and other checkouts sharing the Redis server never meet.
    const prefix = `sgc-test-${randomBytes(6).toString('hex')}:`;
    const redis = new Redis(REDIS_URL, { lazyConnect: true });
    let app: TestApp;
    let replica: TestApp;

    beforeAll(async () => {
      app = await TestApp.start({
        env: { RATE_LIMIT_PER_MINUTE: String(LIMIT), REDIS_URL, REDIS_KEY_PREFIX: prefix },
      });
      replica = await TestApp.start({ replicaOf: app });
      await redis.connect();
    });
    afterAll(async () => {
      await replica.stop();
      await app.stop();
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    });

    it("refuses a person's sixth request of the minute, whichever replica each one reaches", async () => {
      const dsl = await app.factories.signedIn({});
      for (let i = 0; i < LIMIT; i++) {
        expect(codeOf(await on(i % 2 ? replica : app, dsl.client).query(ME))).toBeUndefined();
      }
      await expectRateLimited(on(replica, dsl.client));
      await expectRateLimited(on(app, dsl.client));
    });

    it('keeps the count in Redis for one minute only', async () => {
      const dsl = await app.factories.signedIn({});
      await spend(dsl.client, 1);
      const ttl = await redis.pttl(`${prefix}rate:user:${dsl.user.id}`);
      expect(ttl).toBeGreaterThan(50_000);
      expect(ttl).toBeLessThanOrEqual(60_000);
    });

    it('counts the person, not the session or agency: signing in again buys nothing', async () => {
      const first: SignedIn = await app.factories.signedIn({});
      const second = await app.factories.signIn(first.user, first.agency);
      await spend(first.client, 3);
      await spend(on(replica, second.client), 2);
      await expectRateLimited(second.client);
      await expectRateLimited(first.client);
    });

    it('leaves everyone else their own allowance', async () => {
      const busy = await app.factories.signedIn({});
      const other = await app.factories.signedIn({ agency: busy.agency! });
      await spend(busy.client, LIMIT);
      await expectRateLimited(busy.client);
      await spend(on(replica, other.client), LIMIT);
    });

    it('runs nothing over the limit: a refused logout leaves the session live, and no session is looked up', async () => {
      const dsl = await app.factories.signedIn({});
      await spend(dsl.client, LIMIT);
      await expectRateLimited(dsl.client, 'mutation { logout }');
      const [session] = await app.dataSource.query(`SELECT revoked_at FROM auth_session WHERE id = $1`, [
        dsl.sessionId,
      ]);
      expect(session.revoked_at).toBeNull();
      // An ended session is refused UNAUTHENTICATED once its row is read; over the limit the row is never read.
      await app.dataSource.query(`UPDATE auth_session SET revoked_at = now() WHERE id = $1`, [dsl.sessionId]);
      await expectRateLimited(dsl.client);
    });

    it('counts each search or match a request asks for, so aliases do not multiply them', async () => {
      const dsl = await app.factories.signedIn({});
      const match = (i: number) =>
        `m${i}: possibleChildMatches(input: { givenName: "Kai", familyName: "Probe${i}" }) { childId }`;
      const five = `{ ${[0, 1, 2, 3, 4].map(match).join(' ')} }`;
      expect(codeOf(await dsl.client.query(five))).toBeUndefined();
      await expectRateLimited(dsl.client, '{ children(first: 1) { edges { cursor } } }');
      const other = await app.factories.signedIn({});
      await expectRateLimited(other.client, `{ ${[0, 1, 2, 3, 4, 5].map(match).join(' ')} }`);
    });

    it('counts a client without a valid token by its address, a forged token included', async () => {
      const anonymous = app.anonymous();
      const forged = new GraphQLClient(replica.baseUrl, 'forged.token.value');
      for (let i = 0; i < LIMIT; i++) {
        // The forged token is refused as UNAUTHENTICATED, but only after it was counted.
        const res: GraphQLResponse = await (i % 2 ? forged : anonymous).query('{ __typename }');
        expect(codeOf(res)).toBe(i % 2 ? 'UNAUTHENTICATED' : undefined);
      }
      await expectRateLimited(anonymous, '{ __typename }');
      await expectRateLimited(forged, '{ __typename }');
      // Only GraphQL is limited: the probes still answer.
      expect((await fetch(`${app.baseUrl}/health/live`)).status).toBe(200);
      // A person signed in from the same address has an allowance of their own.
      await spend((await app.factories.signedIn({})).client, 1);
    });
  });

  describe('counted in the process', () => {
    it('without REDIS_URL, and while Redis does not answer, each process still enforces the limit', async () => {
      // Port 1 on loopback refuses connections: Redis is configured but down.
      for (const env of [{}, { REDIS_URL: 'redis://127.0.0.1:1' }]) {
        const app = await TestApp.start({ env: { RATE_LIMIT_PER_MINUTE: String(LIMIT), ...env } });
        try {
          const dsl = await app.factories.signedIn({});
          await spend(dsl.client, LIMIT);
          await expectRateLimited(dsl.client);
        } finally {
          await app.stop();
        }
      }
    });
  });
});
