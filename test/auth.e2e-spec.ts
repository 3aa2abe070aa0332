import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { AgencyKind, Role } from '../src/common/enums/agencies';
import { AppModule } from '../src/app.module';
import { PasswordService } from '../src/auth/password.service';
import { codeOf, GraphQLClient, TestApp, TestUser } from '../libs/testing/src';

const LOGIN = `mutation ($email: String!, $password: String!, $agencyId: ID) {
  login(email: $email, password: $password, agencyId: $agencyId) {
    token expiresAt session { user { email platformAdmin } agency { id } roles } } }`;
const ME = `{ me { user { email } agency { id } roles } }`;
const PASSWORD = 'a long enough password';

describe('signing in', () => {
  let app: TestApp;
  let hash: string;

  beforeAll(async () => {
    app = await TestApp.start();
    hash = await app.nest.get(PasswordService).hash(PASSWORD);
  });
  afterAll(() => app.stop());
  // Every test starts with a clean throttle: they all come from one test address.
  beforeEach(() => app.dataSource.query(`DELETE FROM login_attempt`));

  const login = (email: string, password: string, agencyId?: string) =>
    app.anonymous().query(LOGIN, { email, password, agencyId });

  async function person(roles: Role[] = [Role.PRACTITIONER]): Promise<TestUser & { agencyId: string }> {
    const agency = await app.factories.agency();
    const user = await app.factories.user({ agency, roles, passwordHash: hash });
    return { ...user, agencyId: agency.id };
  }

  it('signs a person with one agency in for it, with a token that works on the next request', async () => {
    const dsl = await person([Role.SAFEGUARDING_LEAD]);
    const res = await login(`  ${dsl.email.toUpperCase()} `, PASSWORD);
    const payload = res.data!.login;
    expect(payload.session).toEqual({
      user: { email: dsl.email, platformAdmin: false },
      agency: { id: dsl.agencyId },
      roles: ['SAFEGUARDING_LEAD'],
    });
    expect(new Date(payload.expiresAt).getTime()).toBeGreaterThan(Date.now());
    const me = await new GraphQLClient(app.baseUrl, payload.token).ok(ME);
    expect(me.me.agency.id).toBe(dsl.agencyId);
  });

  it('stores only an argon2id hash of the password', async () => {
    const dsl = await person();
    const [row] = await app.dataSource.query(`SELECT password_hash FROM app_user WHERE id = $1`, [dsl.id]);
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('gives the same answer for an unknown email, a wrong password and a deactivated person', async () => {
    const known = await person();
    const deactivated = await person();
    await app.dataSource.query(`UPDATE app_user SET active = false WHERE id = $1`, [deactivated.id]);
    const answers = [
      await login('nobody@example.test', PASSWORD),
      await login(known.email, 'the wrong password'),
      await login(deactivated.email, PASSWORD),
    ].map((res) => ({
      data: res.data,
      errors: res.errors?.map((e) => ({ message: e.message, code: e.extensions?.code })),
    }));
    expect(answers[0].errors).toEqual([{ message: expect.any(String), code: 'UNAUTHENTICATED' }]);
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
  });

  it('answers the sixth failed sign-in for an account within 15 minutes with RATE_LIMITED, even with the right password', async () => {
    const target = await person();
    for (let attempt = 1; attempt <= 5; attempt++) {
      expect(codeOf(await login(target.email, `wrong guess ${attempt}`))).toBe('UNAUTHENTICATED');
    }
    const sixth = await login(target.email, PASSWORD);
    expect(codeOf(sixth)).toBe('RATE_LIMITED');
    expect(sixth.errors![0].extensions!.retryAfterSeconds).toBeGreaterThan(0);
    const [{ n }] = await app.dataSource.query(`SELECT count(*)::int AS n FROM login_attempt WHERE email = $1`, [
      target.email,
    ]);
    expect(n).toBe(5);
  });

  it("lets the person's agency admin lift a lockout, so they sign in at once; nobody else may (audited)", async () => {
    const agency = await app.factories.agency();
    const admin = await app.factories.signedIn({ agency, roles: [Role.AGENCY_ADMIN] });
    const colleague = await app.factories.signedIn({ agency });
    const stranger = await app.factories.signedIn({ roles: [Role.AGENCY_ADMIN] });
    const target = await app.factories.user({ agency, passwordHash: hash });
    for (let attempt = 1; attempt <= 5; attempt++) await login(target.email, `wrong guess ${attempt}`);
    expect(codeOf(await login(target.email, PASSWORD))).toBe('RATE_LIMITED');

    const UNLOCK = `mutation ($userId: ID!) { unlockUser(userId: $userId) { id } }`;
    expect(codeOf(await colleague.client.query(UNLOCK, { userId: target.id }))).toBe('FORBIDDEN');
    expect(codeOf(await stranger.client.query(UNLOCK, { userId: target.id }))).toBe('NOT_FOUND');
    expect(codeOf(await login(target.email, PASSWORD))).toBe('RATE_LIMITED');

    expect((await admin.client.ok(UNLOCK, { userId: target.id })).unlockUser).toEqual({ id: target.id });
    expect((await login(target.email, PASSWORD)).data?.login.session.user.email).toBe(target.email);
    const [event] = await app.dataSource.query(
      `SELECT user_id FROM audit_event WHERE action = 'unlockUser' AND subject_id = $1`,
      [target.id],
    );
    expect(event).toEqual({ user_id: admin.user.id });
  });

  it('throttles an unknown email exactly like a wrong password, so neither reveals whether an account exists', async () => {
    const known = await person();
    const sequence = async (email: string) => {
      const codes: Array<string | undefined> = [];
      for (let attempt = 1; attempt <= 6; attempt++) codes.push(codeOf(await login(email, 'not the password')));
      return codes;
    };
    const forKnown = await sequence(known.email);
    expect(forKnown).toEqual([...Array(5).fill('UNAUTHENTICATED'), 'RATE_LIMITED']);
    expect(await sequence('nobody-at-all@example.test')).toEqual(forKnown);
  });

  it('forgets earlier failures once the person signs in successfully', async () => {
    const target = await person();
    for (let attempt = 1; attempt <= 4; attempt++) await login(target.email, 'a typo in it');
    expect(codeOf(await login(target.email, PASSWORD))).toBeUndefined();
    expect(codeOf(await login(target.email, 'one more typo'))).toBe('UNAUTHENTICATED');
    expect(codeOf(await login(target.email, PASSWORD))).toBeUndefined();
  });

  it('throttles one network address after 30 failed sign-ins across any accounts', async () => {
    for (let attempt = 1; attempt <= 30; attempt++) {
      expect(codeOf(await login(`spray-${attempt}@example.test`, 'password123456'))).toBe('UNAUTHENTICATED');
    }
    const innocent = await person();
    expect(codeOf(await login(innocent.email, PASSWORD))).toBe('RATE_LIMITED');
  });

  it('keeps failed sign-ins a day, pruning older ones as new failures arrive', async () => {
    await app.dataSource.query(
      `INSERT INTO login_attempt (email, address, attempted_at) VALUES ('old@example.test', '10.0.0.1', now() - interval '2 days')`,
    );
    await login('fresh@example.test', 'not the password');
    const rows = await app.dataSource.query(`SELECT email FROM login_attempt ORDER BY attempted_at`);
    expect(rows).toEqual([{ email: 'fresh@example.test' }]);
  });

  it('requires a person in several agencies to choose one (BAD_USER_INPUT naming agencyId)', async () => {
    const multi = await person();
    const police = await app.factories.agency({ kind: AgencyKind.POLICE });
    await app.factories.membership(multi.id, police, [Role.POLICE_OFFICER]);

    const res = await login(multi.email, PASSWORD);
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'agencyId' });
    // The agencies to choose from, for a sign-in page to offer: told only once the password matched.
    const choices = res.errors?.[0].extensions?.choices as Array<{ value: string; label: string }>;
    expect(choices.map((choice) => choice.value).sort()).toEqual([police.id, multi.agencyId].sort());
    const asPolice = (await login(multi.email, PASSWORD, police.id)).data!.login;
    expect(asPolice.session).toMatchObject({ agency: { id: police.id }, roles: ['POLICE_OFFICER'] });

    const elsewhere = await app.factories.agency();
    const notMember = await login(multi.email, PASSWORD, elsewhere.id);
    expect(notMember.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'agencyId' });
  });

  it('signs a platform admin in for no agency', async () => {
    await app.factories.user({ platformAdmin: true, email: 'root@example.test', passwordHash: hash });
    const { session } = (await login('root@example.test', PASSWORD)).data!.login;
    expect(session).toEqual({ user: { email: 'root@example.test', platformAdmin: true }, agency: null, roles: [] });
  });

  it('ends the session at logout: the same token is refused on the next request (UNAUTHENTICATED)', async () => {
    const practitioner = await person();
    const { token } = (await login(practitioner.email, PASSWORD)).data!.login;
    const client = new GraphQLClient(app.baseUrl, token);
    expect((await client.ok(`mutation { logout }`)).logout).toBe(true);
    const after = await client.query(ME);
    expect(codeOf(after)).toBe('UNAUTHENTICATED');
    expect(after.errors![0].message).not.toMatch(/context creation/i);
  });

  it('refuses a token whose membership was deactivated or whose roles changed, on the very next request', async () => {
    const practitioner = await person();
    const signedIn = await app.factories.signIn(practitioner, {
      id: practitioner.agencyId,
      name: '',
      kind: AgencyKind.SCHOOL,
    });
    await app.dataSource.query(`UPDATE membership SET roles = '{ANALYST}' WHERE user_id = $1`, [practitioner.id]);
    expect((await signedIn.client.ok(ME)).me.roles).toEqual(['ANALYST']);
    await app.dataSource.query(`UPDATE membership SET active = false WHERE user_id = $1`, [practitioner.id]);
    expect(codeOf(await signedIn.client.query(ME))).toBe('UNAUTHENTICATED');
  });
});

describe('the first platform admin', () => {
  const env = { BOOTSTRAP_ADMIN_EMAIL: 'First.Admin@Example.test', BOOTSTRAP_ADMIN_PASSWORD: 'bootstrap password 1' };
  let app: TestApp;
  beforeAll(async () => {
    app = await TestApp.start({ env });
  });
  afterAll(() => app.stop());

  const admins = () => app.dataSource.query(`SELECT email FROM app_user WHERE platform_admin`);

  it('is created from BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD and can sign in', async () => {
    expect(await admins()).toEqual([{ email: 'first.admin@example.test' }]);
    const res = await app
      .anonymous()
      .query(LOGIN, { email: env.BOOTSTRAP_ADMIN_EMAIL, password: env.BOOTSTRAP_ADMIN_PASSWORD });
    expect(res.data!.login.session.user.platformAdmin).toBe(true);
  });

  it('is not created again, nor its password reset, when the service restarts with other settings', async () => {
    const restarted = await NestFactory.create(
      AppModule.forRoot({
        ...app.config,
        bootstrapAdmin: { email: 'second@example.test', password: 'another password 2' },
      }),
      new FastifyAdapter(),
      { logger: false },
    );
    await restarted.init();
    await restarted.close();
    expect(await admins()).toEqual([{ email: 'first.admin@example.test' }]);
    const res = await app
      .anonymous()
      .query(LOGIN, { email: env.BOOTSTRAP_ADMIN_EMAIL, password: env.BOOTSTRAP_ADMIN_PASSWORD });
    expect(codeOf(res)).toBeUndefined();
  });
});
