import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { Role } from '../src/common/enums/agencies';
import { AppModule } from '../src/app.module';
import { PasswordService } from '../src/auth/password.service';
import { loadConfig } from '../src/config/config';
import { createHttpAdapter } from '../src/http-adapter';
import { codeOf, GraphQLClient, GraphQLResponse, SignedIn, TestApp } from '../libs/testing/src';

const LOGIN = `mutation ($email: String!, $password: String!) {
  login(email: $email, password: $password) { token } }`;
const INVITE = `mutation ($input: InviteUserInput!) { inviteUser(input: $input) { id token } }`;
const ACCEPT = `mutation ($token: String!, $password: String!) {
  acceptInvitation(token: $token, password: $password) { token session { user { id } } } }`;
const DEACTIVATE = `mutation ($userId: ID!) { deactivateUser(userId: $userId) { id } }`;
const PASSWORD = 'a long enough password';

/** A sign-in as a load balancer would pass it on, naming the client's address. */
async function loginForwardedFor(
  app: TestApp,
  address: string,
  email: string,
  password: string,
): Promise<GraphQLResponse> {
  const response = await fetch(`${app.baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
    body: JSON.stringify({ query: LOGIN, variables: { email, password } }),
  });
  return { status: response.status, ...((await response.json()) as Omit<GraphQLResponse, 'status'>) };
}

describe('sign-in under concurrency', () => {
  let app: TestApp;
  let hash: string;

  beforeAll(async () => {
    app = await TestApp.start();
    hash = await app.nest.get(PasswordService).hash(PASSWORD);
  });
  afterAll(() => app.stop());
  beforeEach(() => app.dataSource.query(`DELETE FROM login_attempt`));

  const login = (email: string, password: string) => app.anonymous().query(LOGIN, { email, password });

  it('checks at most 5 passwords for an account however many wrong guesses arrive at once, then refuses the right one too', async () => {
    const agency = await app.factories.agency();
    const target = await app.factories.user({ agency, roles: [Role.PRACTITIONER], passwordHash: hash });
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, guess) => login(target.email, `wrong guess number ${guess}`)),
    );
    const checked = answers.filter((res) => codeOf(res) !== 'RATE_LIMITED');
    expect(checked.length).toBeLessThanOrEqual(5);
    expect(checked.every((res) => codeOf(res) === 'UNAUTHENTICATED')).toBe(true);
    expect(codeOf(await login(target.email, PASSWORD))).toBe('RATE_LIMITED');
  });

  it('refuses a locked-out account at once, without waiting for its turn behind a sign-in in progress', async () => {
    const email = 'locked.out@example.test';
    for (let attempt = 1; attempt <= 5; attempt++) await login(email, `wrong guess ${attempt}`);
    const inProgress = new Client({ connectionString: app.database.url });
    await inProgress.connect();
    try {
      await inProgress.query(`SELECT pg_advisory_lock(hashtext($1))`, [`account:${email}`]);
      expect(codeOf(await login(email, 'one more guess'))).toBe('RATE_LIMITED');
    } finally {
      await inProgress.end();
    }
  });

  it('throttles a burst of guesses at an unknown email exactly as at a known one', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, guess) => login('Nobody.Here@example.test', `wrong guess number ${guess}`)),
    );
    expect(answers.filter((res) => codeOf(res) !== 'RATE_LIMITED').length).toBeLessThanOrEqual(5);
  });

  it("answers an email too long to be anyone's exactly as an unknown one, and still counts it", async () => {
    const long = `${randomBytes(3000).toString('hex')}@example.test`;
    const answers = [await login(long, 'not the password'), await login('unknown@example.test', 'not the password')];
    expect(answers.map((res) => res.errors?.map((e) => [e.message, e.extensions?.code]))).toEqual([
      [[expect.any(String), 'UNAUTHENTICATED']],
      [[answers[1].errors![0].message, 'UNAUTHENTICATED']],
    ]);
    const [{ n }] = await app.dataSource.query(`SELECT count(*)::int AS n FROM login_attempt`);
    expect(n).toBe(2);
  });

  it('believes no forwarded address unless a proxy is trusted, so a forged one cannot escape the address limit', async () => {
    for (let attempt = 1; attempt <= 30; attempt++) {
      await loginForwardedFor(app, `192.0.2.${attempt}`, `forged-${attempt}@example.test`, 'not the password');
    }
    expect(codeOf(await loginForwardedFor(app, '192.0.2.99', 'another@example.test', 'not the password'))).toBe(
      'RATE_LIMITED',
    );
  });

  it('checks no more than one password per request, however many login fields it aliases', async () => {
    const fields = Array.from(
      { length: 10 },
      (_, guess) => `g${guess}: login(email: "alias@example.test", password: "wrong guess ${guess}") { token }`,
    );
    await app.anonymous().query(`mutation { ${fields.join(' ')} }`);
    const [{ n }] = await app.dataSource.query(`SELECT count(*)::int AS n FROM login_attempt`);
    expect(n).toBe(1);
  });
});

describe('sign-in throttling per network address behind a load balancer', () => {
  let app: TestApp;
  let hash: string;
  beforeAll(async () => {
    // The test client stands in for the load balancer, on the loopback address.
    app = await TestApp.start({ env: { TRUST_PROXY: 'loopback' } });
    hash = await app.nest.get(PasswordService).hash(PASSWORD);
  });
  afterAll(() => app.stop());

  const loginFrom = (address: string, email: string, password: string) =>
    loginForwardedFor(app, address, email, password);

  it("counts failures against the client's address, not the load balancer's, so one attacker cannot lock everyone out", async () => {
    for (let attempt = 1; attempt <= 30; attempt++) {
      expect(codeOf(await loginFrom('203.0.113.7', `spray-${attempt}@example.test`, 'not the password'))).toBe(
        'UNAUTHENTICATED',
      );
    }
    const agency = await app.factories.agency();
    const colleague = await app.factories.user({ agency, roles: [Role.PRACTITIONER], passwordHash: hash });
    expect(codeOf(await loginFrom('203.0.113.7', colleague.email, PASSWORD))).toBe('RATE_LIMITED');
    expect(codeOf(await loginFrom('198.51.100.20', colleague.email, PASSWORD))).toBeUndefined();
  });
});

describe('people management', () => {
  let app: TestApp;
  let admin: SignedIn;

  beforeAll(async () => {
    app = await TestApp.start();
    admin = await app.factories.signedIn({ roles: [Role.AGENCY_ADMIN] });
  });
  afterAll(() => app.stop());

  it('refuses a NUL character in text as BAD_USER_INPUT naming the field, where PostgreSQL would fail', async () => {
    const platform = await app.factories.platformAdmin();
    const answers = [
      await admin.client.query(INVITE, {
        input: {
          agencyId: admin.agency!.id,
          email: 'nul@example.test',
          displayName: 'A\u0000B',
          roles: ['PRACTITIONER'],
        },
      }),
      await platform.client.query(`mutation ($input: CreateAgencyInput!) { createAgency(input: $input) { id } }`, {
        input: { name: 'Nul\u0000School', kind: 'SCHOOL' },
      }),
      await app.anonymous().query(LOGIN, { email: 'nul\u0000@example.test', password: PASSWORD }),
    ];
    expect(answers.map((res) => res.errors?.[0].extensions)).toEqual([
      expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'input.displayName' }),
      expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'input.name' }),
      expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'email' }),
    ]);
  });

  it('lets only one of two simultaneous acceptances of the same invitation succeed', async () => {
    const { inviteUser } = await admin.client.ok(INVITE, {
      input: { agencyId: admin.agency!.id, email: 'twice@example.test', displayName: 'Twice', roles: ['PRACTITIONER'] },
    });
    const answers = await Promise.all([
      app.anonymous().query(ACCEPT, { token: inviteUser.token, password: PASSWORD }),
      app.anonymous().query(ACCEPT, { token: inviteUser.token, password: PASSWORD }),
    ]);
    expect(answers.filter((res) => codeOf(res) === undefined)).toHaveLength(1);
    const [{ n }] = await app.dataSource.query(
      `SELECT count(*)::int AS n FROM auth_session s JOIN app_user u ON u.id = s.user_id WHERE u.email = $1`,
      ['twice@example.test'],
    );
    expect(n).toBe(1);
  });

  it("makes one account of two agencies' invitations to a new email accepted at the same moment", async () => {
    const other = await app.factories.signedIn({ roles: [Role.AGENCY_ADMIN] });
    const tokens = await Promise.all(
      [admin, other].map(async (inviter) => {
        const { inviteUser } = await inviter.client.ok(INVITE, {
          input: {
            agencyId: inviter.agency!.id,
            email: 'both@example.test',
            displayName: 'Both',
            roles: ['PRACTITIONER'],
          },
        });
        return inviteUser.token as string;
      }),
    );
    const answers = await Promise.all(
      tokens.map((token) => app.anonymous().query(ACCEPT, { token, password: PASSWORD })),
    );
    expect(answers.map(codeOf)).toEqual([undefined, undefined]);
    const rows = await app.dataSource.query(
      `SELECT m.agency_id FROM membership m JOIN app_user u ON u.id = m.user_id WHERE u.email = 'both@example.test'`,
    );
    expect(rows).toHaveLength(2);
  });

  it('keeps an admin in the agency when its only two admins deactivate each other at the same moment', async () => {
    for (let round = 0; round < 5; round++) {
      const first = await app.factories.signedIn({ roles: [Role.AGENCY_ADMIN] });
      const secondUser = await app.factories.user({ agency: first.agency!, roles: [Role.AGENCY_ADMIN] });
      const second = await app.factories.signIn(secondUser, first.agency);
      await Promise.all([
        first.client.query(DEACTIVATE, { userId: second.user.id }),
        second.client.query(DEACTIVATE, { userId: first.user.id }),
      ]);
      const [{ n }] = await app.dataSource.query(
        `SELECT count(*)::int AS n FROM membership m JOIN app_user u ON u.id = m.user_id
          WHERE m.agency_id = $1 AND m.active AND u.active AND 'AGENCY_ADMIN' = ANY (m.roles)`,
        [first.agency!.id],
      );
      expect(n).toBe(1);
    }
  });

  describe('invitations issued before a change to the person', () => {
    const invite = async (email: string, roles: Role[]) =>
      (
        await admin.client.ok(INVITE, {
          input: { agencyId: admin.agency!.id, email, displayName: 'Invited Twice', roles },
        })
      ).inviteUser;
    const accept = (token: string) => app.anonymous().query(ACCEPT, { token, password: PASSWORD });
    const membershipOf = async (email: string) =>
      (
        await app.dataSource.query(
          `SELECT m.active, m.roles FROM membership m JOIN app_user u ON u.id = m.user_id
          WHERE u.email = $1 AND m.agency_id = $2`,
          [email, admin.agency!.id],
        )
      )[0];

    it('lets no one an agency deactivated back in through an invitation it had issued them before', async () => {
      const first = await invite('leaver@example.test', [Role.PRACTITIONER]);
      const spare = await invite('leaver@example.test', [Role.PRACTITIONER]);
      const joined = await accept(first.token);
      await admin.client.ok(DEACTIVATE, {
        userId: joined.data!.acceptInvitation.session.user.id,
      });
      const res = await accept(spare.token);
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'token' });
      expect(await membershipOf('leaver@example.test')).toMatchObject({ active: false });
    });

    it('ends up deactivated, without a server error, when accepting a spare invitation while being deactivated', async () => {
      for (let round = 0; round < 5; round++) {
        const email = `racing-${round}@example.test`;
        const first = await invite(email, [Role.PRACTITIONER]);
        const spare = await invite(email, [Role.PRACTITIONER]);
        const joined = await accept(first.token);
        const [deactivated, accepted] = await Promise.all([
          admin.client.query(DEACTIVATE, {
            userId: joined.data!.acceptInvitation.session.user.id,
          }),
          accept(spare.token),
        ]);
        expect(codeOf(deactivated)).toBeUndefined();
        expect(codeOf(accepted)).not.toBe('INTERNAL_SERVER_ERROR');
        expect(await membershipOf(email)).toMatchObject({ active: false });
      }
    });

    it("keeps an active member's roles as the admin last set them when an older invitation is accepted (CONFLICT)", async () => {
      const first = await invite('lead@example.test', [Role.SAFEGUARDING_LEAD]);
      const spare = await invite('lead@example.test', [Role.SAFEGUARDING_LEAD]);
      const joined = await accept(first.token);
      await admin.client.ok(
        `mutation ($userId: ID!, $agencyId: ID!) { setRoles(userId: $userId, agencyId: $agencyId, roles: [PRACTITIONER]) { id } }`,
        { userId: joined.data!.acceptInvitation.session.user.id, agencyId: admin.agency!.id },
      );
      expect(codeOf(await accept(spare.token))).toBe('CONFLICT');
      expect(await membershipOf('lead@example.test')).toEqual({ active: true, roles: ['PRACTITIONER'] });
    });
  });
});

describe('platform admins', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await TestApp.start();
  });
  afterAll(() => app.stop());

  it('keeps an active platform admin when the only two deactivate each other at the same moment', async () => {
    for (let round = 0; round < 5; round++) {
      await app.dataSource.query(`UPDATE app_user SET active = false WHERE platform_admin`);
      const [first, second] = await Promise.all([app.factories.platformAdmin(), app.factories.platformAdmin()]);
      await Promise.all([
        first.client.query(DEACTIVATE, { userId: second.user.id }),
        second.client.query(DEACTIVATE, { userId: first.user.id }),
      ]);
      const [{ n }] = await app.dataSource.query(
        `SELECT count(*)::int AS n FROM app_user WHERE platform_admin AND active`,
      );
      expect(n).toBe(1);
    }
  });
});

describe('sign-in throttling on the embedded database (one connection)', () => {
  let nest: INestApplication;
  let client: GraphQLClient;
  const dataDir = mkdtempSync(join(tmpdir(), 'sgc-review-auth-'));

  beforeAll(async () => {
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, SEED_DEMO: 'false', LOG_LEVEL: 'silent' });
    nest = await NestFactory.create(AppModule.forRoot(config), createHttpAdapter(), { logger: false });
    await nest.listen(0, '127.0.0.1');
    client = new GraphQLClient(await nest.getUrl());
  }, 120_000);

  afterAll(async () => {
    await nest?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('records each failure and lets a burst of guesses take turns instead of waiting forever', async () => {
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, guess) =>
        client.query(LOGIN, { email: 'someone@example.test', password: `wrong guess ${guess}` }),
      ),
    );
    expect(answers.map(codeOf).sort()).toEqual([...Array(3).fill('RATE_LIMITED'), ...Array(5).fill('UNAUTHENTICATED')]);
    const [{ n }] = await nest.get(DataSource).query(`SELECT count(*)::int AS n FROM login_attempt`);
    expect(n).toBe(5);
  });
});
