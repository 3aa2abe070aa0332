import { AgencyKind, Role } from '../src/common/enums/agencies';
import { PasswordService } from '../src/auth/password.service';
import { codeOf, GraphQLClient, GraphQLResponse, SignedIn, TestAgency, TestApp, TestUser } from '../libs/testing/src';

const LOGIN = `mutation ($email: String!, $password: String!, $agencyId: ID) {
  login(email: $email, password: $password, agencyId: $agencyId) { token } }`;
const CHANGE = `mutation ($currentPassword: String!, $newPassword: String!) {
  changePassword(currentPassword: $currentPassword, newPassword: $newPassword) {
    token expiresAt session { user { id } agency { id } roles } } }`;
const ISSUE = `mutation ($userId: ID!) {
  issuePasswordReset(userId: $userId) { id token expiresAt user { id email memberships { agency { id } } } } }`;
const RESET = `mutation ($token: String!, $password: String!, $agencyId: ID) {
  resetPassword(token: $token, password: $password, agencyId: $agencyId) {
    token session { user { id } agency { id } roles } } }`;
const DEACTIVATE = `mutation ($userId: ID!) { deactivateUser(userId: $userId) { id } }`;
const ME = `{ me { user { id } agency { id } } }`;

const PASSWORD = 'the password they started with';
const NEW_PASSWORD = 'a brand new passphrase';

describe('passwords: changing one, and a reset an admin issues', () => {
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

  /** A person with a known password in `agency`, and two sessions of theirs, as on two devices. */
  async function person(agency?: TestAgency | null) {
    const home = agency ?? (await app.factories.agency());
    const user = await app.factories.user({ agency: home, roles: [Role.PRACTITIONER], passwordHash: hash });
    return {
      user,
      agency: home,
      laptop: await app.factories.signIn(user, home),
      phone: await app.factories.signIn(user, home),
    };
  }

  async function lockOut(email: string): Promise<GraphQLResponse> {
    for (let attempt = 1; attempt <= 5; attempt++) await login(email, `wrong guess ${attempt}`);
    return login(email, PASSWORD);
  }

  const auditOf = (action: string, subjectId: string) =>
    app.dataSource.query(`SELECT user_id, agency_id FROM audit_event WHERE action = $1 AND subject_id = $2`, [
      action,
      subjectId,
    ]);

  /** Every audit event, as text, so a secret anywhere in any column would show. */
  const auditText = async () => JSON.stringify(await app.dataSource.query(`SELECT * FROM audit_event`));

  describe('changing your own password', () => {
    it('ends every session, this one too, answers a new one, and the old password no longer signs in', async () => {
      const { user, agency, laptop, phone } = await person();
      const { changePassword } = await laptop.client.ok(CHANGE, {
        currentPassword: PASSWORD,
        newPassword: NEW_PASSWORD,
      });
      expect(changePassword.session).toEqual({
        user: { id: user.id },
        agency: { id: agency.id },
        roles: ['PRACTITIONER'],
      });

      expect(codeOf(await phone.client.query(ME))).toBe('UNAUTHENTICATED');
      // A stolen copy of the very token the person changed their password with is ended too.
      expect(codeOf(await laptop.client.query(ME))).toBe('UNAUTHENTICATED');
      const renewed = new GraphQLClient(app.baseUrl, changePassword.token);
      expect((await renewed.ok(ME)).me.user.id).toBe(user.id);

      expect(codeOf(await login(user.email, PASSWORD))).toBe('UNAUTHENTICATED');
      expect(codeOf(await login(user.email, NEW_PASSWORD))).toBeUndefined();

      expect(await auditOf('changePassword', user.id)).toEqual([{ user_id: user.id, agency_id: agency.id }]);
      const audit = await auditText();
      for (const secret of [PASSWORD, NEW_PASSWORD, changePassword.token]) expect(audit).not.toContain(secret);
    });

    it('refuses a wrong current password (BAD_USER_INPUT naming it), counting it as a failed sign-in', async () => {
      const { user, laptop, phone } = await person();
      const res = await laptop.client.query(CHANGE, { currentPassword: 'not my password', newPassword: NEW_PASSWORD });
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'currentPassword' });
      const [{ n }] = await app.dataSource.query(`SELECT count(*)::int AS n FROM login_attempt WHERE email = $1`, [
        user.email,
      ]);
      expect(n).toBe(1);
      expect((await phone.client.ok(ME)).me.user.id).toBe(user.id);
      expect(codeOf(await login(user.email, PASSWORD))).toBeUndefined();
    });

    it('lets no stolen session guess the password: once locked out, even the right one is RATE_LIMITED', async () => {
      const { user, laptop } = await person();
      for (let attempt = 1; attempt <= 5; attempt++) {
        const res = await laptop.client.query(CHANGE, {
          currentPassword: `guess ${attempt}`,
          newPassword: NEW_PASSWORD,
        });
        expect(codeOf(res)).toBe('BAD_USER_INPUT');
      }
      const res = await laptop.client.query(CHANGE, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
      expect(codeOf(res)).toBe('RATE_LIMITED');
      expect(res.errors?.[0].extensions?.retryAt).toEqual(expect.any(String));
      expect(codeOf(await login(user.email, PASSWORD))).toBe('RATE_LIMITED');
    });

    it('holds the new password to the policy of a first one (BAD_USER_INPUT naming newPassword), changing nothing', async () => {
      const { user, laptop } = await person();
      const res = await laptop.client.query(CHANGE, { currentPassword: PASSWORD, newPassword: 'too short' });
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'newPassword' });
      expect((await laptop.client.ok(ME)).me.user.id).toBe(user.id);
      expect(codeOf(await login(user.email, PASSWORD))).toBeUndefined();
    });

    it('refuses anyone not signed in', async () => {
      const res = await app.anonymous().query(CHANGE, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
      expect(codeOf(res)).toBe('UNAUTHENTICATED');
    });
  });

  describe('a password reset issued by an agency admin', () => {
    let admin: SignedIn;
    beforeAll(async () => {
      admin = await app.factories.signedIn({ roles: [Role.AGENCY_ADMIN] });
    });

    async function issue(issuer: SignedIn, user: TestUser) {
      return (await issuer.client.ok(ISSUE, { userId: user.id })).issuePasswordReset;
    }

    it('is a long random token shown once and stored hashed, that sets the password once and signs the person in', async () => {
      const { user, laptop, phone } = await person(admin.agency);
      const reset = await issue(admin, user);
      expect(reset.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(reset.user).toEqual({
        id: user.id,
        email: user.email,
        memberships: [{ agency: { id: admin.agency!.id } }],
      });
      const day = 24 * 3600 * 1000;
      expect(Math.abs(new Date(reset.expiresAt).getTime() - Date.now() - day)).toBeLessThan(60_000);
      const [stored] = await app.dataSource.query(`SELECT token_hash FROM password_reset WHERE id = $1`, [reset.id]);
      expect(stored.token_hash).not.toContain(reset.token);

      const { resetPassword } = await app.anonymous().ok(RESET, { token: reset.token, password: NEW_PASSWORD });
      expect(resetPassword.session).toMatchObject({ user: { id: user.id }, agency: { id: admin.agency!.id } });
      expect((await new GraphQLClient(app.baseUrl, resetPassword.token).ok(ME)).me.user.id).toBe(user.id);
      for (const ended of [laptop, phone]) expect(codeOf(await ended.client.query(ME))).toBe('UNAUTHENTICATED');
      expect(codeOf(await login(user.email, PASSWORD))).toBe('UNAUTHENTICATED');
      expect(codeOf(await login(user.email, NEW_PASSWORD))).toBeUndefined();

      const again = await app.anonymous().query(RESET, { token: reset.token, password: 'a third password here' });
      expect(again.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'token' });
      expect(codeOf(await login(user.email, NEW_PASSWORD))).toBeUndefined();

      expect(await auditOf('issuePasswordReset', user.id)).toEqual([
        { user_id: admin.user.id, agency_id: admin.agency!.id },
      ]);
      expect(await auditOf('resetPassword', user.id)).toEqual([{ user_id: user.id, agency_id: admin.agency!.id }]);
      const audit = await auditText();
      for (const secret of [reset.token, NEW_PASSWORD, resetPassword.token]) expect(audit).not.toContain(secret);
    });

    it('refuses a used, an expired, a withdrawn and an unknown token with one answer, changing nothing', async () => {
      const { user } = await person(admin.agency);
      const used = await issue(admin, user);
      await app.anonymous().ok(RESET, { token: used.token, password: NEW_PASSWORD });
      const expired = await issue(admin, user);
      await app.dataSource.query(
        `UPDATE password_reset SET created_at = now() - interval '2 days', expires_at = now() - interval '1 day'
          WHERE id = $1`,
        [expired.id],
      );
      const withdrawn = await issue(admin, user);
      // A newer reset replaces the open one.
      await issue(admin, user);

      const answers = [];
      for (const token of [used.token, expired.token, withdrawn.token, 'a-made-up-token-of-the-same-shape-as-a-real']) {
        const res = await app.anonymous().query(RESET, { token, password: 'what an attacker wants' });
        answers.push({ data: res.data, errors: res.errors });
      }
      expect(answers[0].errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'token' });
      for (const answer of answers.slice(1)) expect(answer).toEqual(answers[0]);
      expect(codeOf(await login(user.email, NEW_PASSWORD))).toBeUndefined();
    });

    it("answers NOT_FOUND for another agency's person, exactly as for nobody, and issues nothing", async () => {
      const stranger = (await person()).user;
      const nobody = '00000000-0000-4000-8000-000000000000';
      const before = await app.dataSource.query(`SELECT count(*)::int AS n FROM password_reset`);
      const crossAgency = await admin.client.query(ISSUE, { userId: stranger.id });
      const unknown = await admin.client.query(ISSUE, { userId: nobody });
      expect(codeOf(crossAgency)).toBe('NOT_FOUND');
      expect(codeOf(unknown)).toBe('NOT_FOUND');
      expect(crossAgency.errors?.[0].message.replace(stranger.id, 'ID')).toBe(
        unknown.errors?.[0].message.replace(nobody, 'ID'),
      );
      expect(await app.dataSource.query(`SELECT count(*)::int AS n FROM password_reset`)).toEqual(before);
    });

    it('is refused for yourself (FORBIDDEN: change it with the current one) and to a practitioner', async () => {
      expect(codeOf(await admin.client.query(ISSUE, { userId: admin.user.id }))).toBe('FORBIDDEN');
      const { laptop, user } = await person(admin.agency);
      const colleague = await app.factories.user({ agency: admin.agency!, roles: [Role.PRACTITIONER] });
      expect(codeOf(await laptop.client.query(ISSUE, { userId: colleague.id }))).toBe('FORBIDDEN');
      expect(codeOf(await laptop.client.query(ISSUE, { userId: user.id }))).toBe('FORBIDDEN');
    });

    it('reaches only an account that is its agency alone: a person working for another agency too is for the platform admin', async () => {
      const { user } = await person(admin.agency);
      const police = await app.factories.agency({ kind: AgencyKind.POLICE });
      await app.factories.membership(user.id, police, [Role.POLICE_OFFICER]);
      expect(codeOf(await admin.client.query(ISSUE, { userId: user.id }))).toBe('FAILED_PRECONDITION');

      const platform = await app.factories.platformAdmin();
      const reset = await issue(platform, user);
      // Working for two agencies, the person says which one to sign in for, as at login.
      const unsaid = await app.anonymous().query(RESET, { token: reset.token, password: NEW_PASSWORD });
      expect(unsaid.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'agencyId' });
      const { resetPassword } = await app.anonymous().ok(RESET, {
        token: reset.token,
        password: NEW_PASSWORD,
        agencyId: police.id,
      });
      expect(resetPassword.session).toMatchObject({ agency: { id: police.id }, roles: ['POLICE_OFFICER'] });
      expect(await auditOf('issuePasswordReset', user.id)).toEqual([{ user_id: platform.user.id, agency_id: null }]);
    });

    it('is refused for a deactivated account, and one issued before the deactivation opens nothing', async () => {
      const { user } = await person(admin.agency);
      const reset = await issue(admin, user);
      await admin.client.ok(DEACTIVATE, { userId: user.id });
      expect(codeOf(await admin.client.query(ISSUE, { userId: user.id }))).toBe('FAILED_PRECONDITION');
      const res = await app.anonymous().query(RESET, { token: reset.token, password: NEW_PASSWORD });
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'token' });
      expect(codeOf(await login(user.email, NEW_PASSWORD))).toBe('UNAUTHENTICATED');
    });

    it('opens nothing once the person joined another agency after it was issued', async () => {
      const { user } = await person(admin.agency);
      const reset = await issue(admin, user);
      await app.factories.membership(user.id, await app.factories.agency({ kind: AgencyKind.HEALTH }), [
        Role.SAFEGUARDING_LEAD,
      ]);
      const res = await app.anonymous().query(RESET, { token: reset.token, password: NEW_PASSWORD });
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'token' });
      expect(codeOf(await login(user.email, PASSWORD, admin.agency!.id))).toBeUndefined();
    });

    it('works once even when used twice at the same moment', async () => {
      const { user } = await person(admin.agency);
      const reset = await issue(admin, user);
      const answers = await Promise.all(
        ['first of two passwords', 'second of two passwords'].map((password) =>
          app.anonymous().query(RESET, { token: reset.token, password }),
        ),
      );
      expect(answers.map(codeOf).sort()).toEqual(['BAD_USER_INPUT', undefined]);
      const winner = answers.findIndex((answer) => !answer.errors);
      const password = winner === 0 ? 'first of two passwords' : 'second of two passwords';
      expect(codeOf(await login(user.email, password))).toBeUndefined();
    });

    it('holds the new password to the policy, leaving the reset usable', async () => {
      const { user } = await person(admin.agency);
      const reset = await issue(admin, user);
      const res = await app.anonymous().query(RESET, { token: reset.token, password: 'short' });
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'password' });
      await app.anonymous().ok(RESET, { token: reset.token, password: NEW_PASSWORD });
    });

    it('is withdrawn when the person changes their password themself', async () => {
      const { user, laptop } = await person(admin.agency);
      const reset = await issue(admin, user);
      await laptop.client.ok(CHANGE, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
      const res = await app.anonymous().query(RESET, { token: reset.token, password: 'what an attacker wants' });
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(codeOf(await login(user.email, NEW_PASSWORD))).toBeUndefined();
    });
  });

  describe('the lockout', () => {
    it('says when to try again: retryAt, 15 minutes after the failure that reached the limit, and in the message', async () => {
      const { user } = await person();
      const before = Date.now();
      const locked = await lockOut(user.email);
      expect(codeOf(locked)).toBe('RATE_LIMITED');
      const extensions = locked.errors![0].extensions!;
      const retryAt = new Date(String(extensions.retryAt)).getTime();
      const window = 15 * 60 * 1000;
      expect(retryAt).toBeGreaterThan(before + window - 5_000);
      expect(retryAt).toBeLessThanOrEqual(Date.now() + window + 5_000);
      expect(Math.abs(Number(extensions.retryAfterSeconds) * 1000 - (retryAt - Date.now()))).toBeLessThan(5_000);
      expect(locked.errors![0].message).toBe('Too many failed sign-ins; try again in 15 minutes');
    });

    it('ends when the failure that reached the limit leaves the window, not the oldest one', async () => {
      const { user } = await person();
      await app.dataSource.query(
        `INSERT INTO login_attempt (email, address, attempted_at)
         SELECT $1, 'elsewhere', now() - make_interval(mins => m) FROM unnest(ARRAY[14, 10, 9, 8, 7, 6]) AS m`,
        [user.email],
      );
      const locked = await login(user.email, PASSWORD);
      expect(codeOf(locked)).toBe('RATE_LIMITED');
      // Six failures: the fifth newest, from 10 minutes ago, holds the lockout for 5 more minutes.
      const seconds = Number(locked.errors![0].extensions!.retryAfterSeconds);
      expect(seconds).toBeGreaterThan(4 * 60);
      expect(seconds).toBeLessThanOrEqual(5 * 60);
      expect(locked.errors![0].message).toBe('Too many failed sign-ins; try again in 5 minutes');
    });

    it('is lifted by a reset, so the person signs in at once with the new password', async () => {
      const admin = await app.factories.signedIn({ roles: [Role.AGENCY_ADMIN] });
      const { user } = await person(admin.agency);
      expect(codeOf(await lockOut(user.email))).toBe('RATE_LIMITED');
      const { issuePasswordReset } = await admin.client.ok(ISSUE, { userId: user.id });
      await app.anonymous().ok(RESET, { token: issuePasswordReset.token, password: NEW_PASSWORD });
      expect(codeOf(await login(user.email, NEW_PASSWORD))).toBeUndefined();
    });
  });
});
