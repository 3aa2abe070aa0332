import { AgencyKind, Role } from '../src/common/enums/agencies';
import { PasswordService } from '../src/auth/password.service';
import { codeOf, GraphQLClient, SignedIn, TestApp } from '../libs/testing/src';

const CREATE_AGENCY = `mutation ($input: CreateAgencyInput!) {
  createAgency(input: $input) { id name kind localAuthority firstResponder active } }`;
const INVITE = `mutation ($input: InviteUserInput!) {
  inviteUser(input: $input) { id email roles token expiresAt agency { id name } } }`;
const ACCEPT = `mutation ($token: String!, $password: String!) {
  acceptInvitation(token: $token, password: $password) {
    token session { user { id email memberships { roles active agency { id } } } agency { id } roles } } }`;
const USERS = `query ($agencyId: ID!) { users(agencyId: $agencyId) { id email active memberships { roles active agency { id } } } }`;
const SET_ROLES = `mutation ($userId: ID!, $agencyId: ID!, $roles: [Role!]!) {
  setRoles(userId: $userId, agencyId: $agencyId, roles: $roles) { id memberships { roles } } }`;
const DEACTIVATE = `mutation ($userId: ID!) { deactivateUser(userId: $userId) { id active memberships { active } } }`;
const REACTIVATE = `mutation ($userId: ID!) {
  reactivateUser(userId: $userId) { id active platformDeactivated memberships { active } } }`;
const ME = `{ me { user { email } roles } }`;

const PASSWORD = 'correct horse battery staple';

describe('agencies and their people', () => {
  let app: TestApp;
  let platform: SignedIn;

  beforeAll(async () => {
    app = await TestApp.start();
    platform = await app.factories.platformAdmin();
  });
  afterAll(() => app.stop());

  const count = async (table: string): Promise<number> =>
    Number((await app.dataSource.query(`SELECT count(*) AS n FROM ${table}`))[0].n);

  async function invite(client: GraphQLClient, agencyId: string, email: string, roles: Role[]) {
    const data = await client.ok(INVITE, { input: { agencyId, email, displayName: 'New Person', roles } });
    return data.inviteUser;
  }

  async function accept(token: string, password = PASSWORD) {
    const data = await app.anonymous().ok(ACCEPT, { token, password });
    const payload = data.acceptInvitation;
    return { ...payload, client: new GraphQLClient(app.baseUrl, payload.token) };
  }

  it('lets the platform admin create an agency and invite its admin, who then runs its people', async () => {
    const { createAgency: agency } = await platform.client.ok(CREATE_AGENCY, {
      input: { name: 'Riverside High', kind: 'SCHOOL', localAuthority: 'Testshire' },
    });
    expect(agency).toMatchObject({ name: 'Riverside High', kind: 'SCHOOL', firstResponder: false, active: true });

    const invitation = await invite(platform.client, agency.id, '  Head@Riverside.Example ', [Role.AGENCY_ADMIN]);
    expect(invitation).toMatchObject({
      email: 'head@riverside.example',
      roles: ['AGENCY_ADMIN'],
      agency: { id: agency.id },
    });
    expect(invitation.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const [stored] = await app.dataSource.query(`SELECT token_hash FROM invitation WHERE id = $1`, [invitation.id]);
    expect(stored.token_hash).not.toContain(invitation.token);

    const sevenDays = 7 * 24 * 3600 * 1000;
    expect(Math.abs(new Date(invitation.expiresAt).getTime() - Date.now() - sevenDays)).toBeLessThan(60_000);

    const admin = await accept(invitation.token);
    expect(admin.session).toMatchObject({ agency: { id: agency.id }, roles: ['AGENCY_ADMIN'] });
    expect(admin.session.user.memberships).toEqual([
      { roles: ['AGENCY_ADMIN'], active: true, agency: { id: agency.id } },
    ]);

    const practitionerInvite = await invite(admin.client, agency.id, 'teacher@riverside.example', [Role.PRACTITIONER]);
    const practitioner = await accept(practitionerInvite.token);
    expect((await practitioner.client.ok(ME)).me.roles).toEqual(['PRACTITIONER']);

    const practitionerId = practitioner.session.user.id;
    await admin.client.ok(SET_ROLES, { userId: practitionerId, agencyId: agency.id, roles: ['SAFEGUARDING_LEAD'] });
    // Role changes apply to the practitioner's very next request, on the token they already hold.
    expect((await practitioner.client.ok(ME)).me.roles).toEqual(['SAFEGUARDING_LEAD']);

    const listed = (await admin.client.ok(USERS, { agencyId: agency.id })).users;
    expect(listed.map((u: { email: string }) => u.email).sort()).toEqual([
      'head@riverside.example',
      'teacher@riverside.example',
    ]);

    const { deactivateUser } = await admin.client.ok(DEACTIVATE, { userId: practitionerId });
    expect(deactivateUser).toEqual({ id: practitionerId, active: false, memberships: [{ active: false }] });
    expect(codeOf(await practitioner.client.query(ME))).toBe('UNAUTHENTICATED');
  });

  it('keeps a person with another agency active when one agency deactivates them', async () => {
    const school = await app.factories.signedIn({ roles: [Role.AGENCY_ADMIN] });
    const youth = await app.factories.agency({ kind: AgencyKind.YOUTH_SERVICE });
    const person = await app.factories.user({ agency: school.agency!, roles: [Role.PRACTITIONER] });
    await app.factories.membership(person.id, youth, [Role.PRACTITIONER]);
    const atSchool = await app.factories.signIn(person, school.agency);
    const atYouth = await app.factories.signIn(person, youth);

    const { deactivateUser } = await school.client.ok(DEACTIVATE, { userId: person.id });
    // The school's admin sees only the school membership: where else someone works is not its business.
    expect(deactivateUser).toEqual({ id: person.id, active: true, memberships: [{ active: false }] });
    expect(codeOf(await atSchool.client.query(ME))).toBe('UNAUTHENTICATED');
    expect((await atYouth.client.ok(ME)).me.user.email).toBe(person.email);
  });

  it('lets an invited existing person join a second agency only with their current password', async () => {
    const hash = await app.nest.get(PasswordService).hash(PASSWORD);
    const health = await app.factories.signedIn({ kind: AgencyKind.HEALTH, roles: [Role.AGENCY_ADMIN] });
    const school = await app.factories.agency();
    const person = await app.factories.user({ agency: school, email: 'nurse@both.example', passwordHash: hash });
    const invitation = await invite(health.client, health.agency!.id, 'nurse@both.example', [Role.SAFEGUARDING_LEAD]);

    const wrong = await app.anonymous().query(ACCEPT, { token: invitation.token, password: 'not the password at all' });
    expect(codeOf(wrong)).toBe('UNAUTHENTICATED');
    const joined = await accept(invitation.token);
    expect(joined.session.user.id).toBe(person.id);
    expect(joined.session.user.memberships.map((m: { agency: { id: string } }) => m.agency.id).sort()).toEqual(
      [school.id, health.agency!.id].sort(),
    );
  });

  it('lets the platform admin deactivate a whole account, ending its sessions in every agency', async () => {
    const school = await app.factories.agency();
    const police = await app.factories.agency({ kind: AgencyKind.POLICE });
    const person = await app.factories.user({ agency: school });
    await app.factories.membership(person.id, police, [Role.POLICE_OFFICER]);
    const sessions = [await app.factories.signIn(person, school), await app.factories.signIn(person, police)];

    const { deactivateUser } = await platform.client.ok(DEACTIVATE, { userId: person.id });
    expect(deactivateUser).toMatchObject({ id: person.id, active: false });
    for (const session of sessions) expect(codeOf(await session.client.query(ME))).toBe('UNAUTHENTICATED');
  });

  it('welcomes back a deactivated person invited again, with the password they had', async () => {
    const hash = await app.nest.get(PasswordService).hash(PASSWORD);
    const admin = await app.factories.signedIn({ roles: [Role.AGENCY_ADMIN] });
    const leaver = await app.factories.user({ agency: admin.agency!, email: 'back@example.test', passwordHash: hash });
    await admin.client.ok(DEACTIVATE, { userId: leaver.id });

    const invitation = await invite(admin.client, admin.agency!.id, 'back@example.test', [Role.SAFEGUARDING_LEAD]);
    const returned = await accept(invitation.token);
    expect(returned.session).toMatchObject({ user: { id: leaver.id }, roles: ['SAFEGUARDING_LEAD'] });
    const { users } = await admin.client.ok(USERS, { agencyId: admin.agency!.id });
    expect(users.find((u: { id: string }) => u.id === leaver.id)).toMatchObject({ active: true });
  });

  describe("the platform admin's deactivation, which no invitation undoes", () => {
    const invitationsTo = async (email: string) =>
      Number((await app.dataSource.query(`SELECT count(*) AS n FROM invitation WHERE email = $1`, [email]))[0].n);

    async function barred(email: string) {
      const hash = await app.nest.get(PasswordService).hash(PASSWORD);
      const admin = await app.factories.signedIn({ roles: [Role.AGENCY_ADMIN] });
      const person = await app.factories.user({ agency: admin.agency!, email, passwordHash: hash });
      const { deactivateUser } = await platform.client.ok(DEACTIVATE, { userId: person.id });
      return { admin, person, deactivateUser };
    }

    it("ends every membership, and refuses an agency admin's invitation to the account (FAILED_PRECONDITION)", async () => {
      const { admin, person, deactivateUser } = await barred('barred@example.test');
      expect(deactivateUser).toEqual({ id: person.id, active: false, memberships: [{ active: false }] });

      const res = await admin.client.query(INVITE, {
        input: {
          agencyId: admin.agency!.id,
          email: 'barred@example.test',
          displayName: 'Back',
          roles: ['PRACTITIONER'],
        },
      });
      expect(res.errors?.[0].extensions?.code).toBe('FAILED_PRECONDITION');
      expect(await invitationsTo('barred@example.test')).toBe(0);
    });

    it('refuses the acceptance of an invitation that escaped the withdrawal, keeping the account barred', async () => {
      const email = 'raced@example.test';
      const hash = await app.nest.get(PasswordService).hash(PASSWORD);
      const admin = await app.factories.signedIn({ roles: [Role.AGENCY_ADMIN] });
      const person = await app.factories.user({ agency: await app.factories.agency(), email, passwordHash: hash });
      const invitation = await invite(admin.client, admin.agency!.id, email, [Role.SAFEGUARDING_LEAD]);
      await platform.client.ok(DEACTIVATE, { userId: person.id });
      // As if the invitation had been committed while the deactivation withdrew the open ones.
      await app.dataSource.query(`UPDATE invitation SET expires_at = now() + interval '1 day' WHERE id = $1`, [
        invitation.id,
      ]);

      const res = await app.anonymous().query(ACCEPT, { token: invitation.token, password: PASSWORD });
      expect(codeOf(res)).toBe('FAILED_PRECONDITION');
      const [row] = await app.dataSource.query(
        `SELECT u.active, m.active AS member, m.roles FROM app_user u JOIN membership m ON m.user_id = u.id
          WHERE u.id = $1`,
        [person.id],
      );
      expect(row).toEqual({ active: false, member: false, roles: ['PRACTITIONER'] });
    });

    it('is lifted by the platform admin alone, audited; the old memberships stay ended until an agency invites again', async () => {
      const { admin, person } = await barred('lifted@example.test');
      expect(codeOf(await admin.client.query(REACTIVATE, { userId: person.id }))).toBe('FORBIDDEN');

      const { reactivateUser } = await platform.client.ok(REACTIVATE, { userId: person.id });
      expect(reactivateUser).toEqual({
        id: person.id,
        active: false,
        platformDeactivated: false,
        memberships: [{ active: false }],
      });
      const [event] = await app.dataSource.query(
        `SELECT user_id FROM audit_event WHERE action = 'reactivateUser' AND subject_id = $1`,
        [person.id],
      );
      expect(event).toEqual({ user_id: platform.user.id });

      const invitation = await invite(admin.client, admin.agency!.id, 'lifted@example.test', [Role.PRACTITIONER]);
      const back = await accept(invitation.token);
      expect(back.session).toMatchObject({ user: { id: person.id }, roles: ['PRACTITIONER'] });
    });

    it('refuses to reactivate an account the platform admin did not deactivate (FAILED_PRECONDITION), or no account', async () => {
      const person = await app.factories.user({ agency: await app.factories.agency() });
      expect(codeOf(await platform.client.query(REACTIVATE, { userId: person.id }))).toBe('FAILED_PRECONDITION');
      const unknown = '00000000-0000-4000-8000-000000000000';
      expect(codeOf(await platform.client.query(REACTIVATE, { userId: unknown }))).toBe('NOT_FOUND');
    });
  });

  describe('the roles each admin may give, which the pages offer as choices', () => {
    const ASSIGNABLE = `{ agencies { id assignableRoles } }`;
    const rolesFor = async (client: GraphQLClient, agencyId: string): Promise<string[]> =>
      (await client.ok(ASSIGNABLE)).agencies.find((agency: { id: string }) => agency.id === agencyId).assignableRoles;

    it("gives an agency admin its own agency's roles that its kind may hold, and none elsewhere", async () => {
      const school = await app.factories.signedIn({ kind: AgencyKind.SCHOOL, roles: [Role.AGENCY_ADMIN] });
      const police = await app.factories.signedIn({ kind: AgencyKind.POLICE, roles: [Role.AGENCY_ADMIN] });
      const schoolRoles = await rolesFor(school.client, school.agency!.id);
      expect(schoolRoles).toEqual(expect.arrayContaining([Role.AGENCY_ADMIN, Role.SAFEGUARDING_LEAD]));
      expect(schoolRoles).not.toContain(Role.POLICE_OFFICER);
      expect(schoolRoles).not.toContain(Role.PROSECUTOR);
      expect(await rolesFor(police.client, police.agency!.id)).toContain(Role.POLICE_OFFICER);
      expect(await rolesFor(school.client, police.agency!.id)).toEqual([]);
    });

    it('gives the platform admin the admin role only, and a practitioner nothing', async () => {
      const practitioner = await app.factories.signedIn({ roles: [Role.PRACTITIONER] });
      expect(await rolesFor(platform.client, practitioner.agency!.id)).toEqual([Role.AGENCY_ADMIN]);
      expect(await rolesFor(practitioner.client, practitioner.agency!.id)).toEqual([]);
    });
  });

  describe('what a practitioner may not do', () => {
    it('refuses an invitation from a practitioner (FORBIDDEN)', async () => {
      const practitioner = await app.factories.signedIn({ roles: [Role.PRACTITIONER] });
      const res = await practitioner.client.query(INVITE, {
        input: {
          agencyId: practitioner.agency!.id,
          email: 'x@example.test',
          displayName: 'X',
          roles: ['PRACTITIONER'],
        },
      });
      expect(codeOf(res)).toBe('FORBIDDEN');
      expect(codeOf(await practitioner.client.query(USERS, { agencyId: practitioner.agency!.id }))).toBe('FORBIDDEN');
    });
  });

  describe('one agency admin and another agency', () => {
    let adminA: SignedIn;
    let adminB: SignedIn;
    let personB: { id: string };

    beforeAll(async () => {
      adminA = await app.factories.signedIn({ roles: [Role.AGENCY_ADMIN] });
      adminB = await app.factories.signedIn({ roles: [Role.AGENCY_ADMIN] });
      personB = await app.factories.user({ agency: adminB.agency!, roles: [Role.PRACTITIONER] });
    });

    it("cannot list another agency's people: they do not exist for it (NOT_FOUND)", async () => {
      expect(codeOf(await adminA.client.query(USERS, { agencyId: adminB.agency!.id }))).toBe('NOT_FOUND');
    });

    it("cannot set the roles of or deactivate another agency's people (NOT_FOUND)", async () => {
      const setRoles = await adminA.client.query(SET_ROLES, {
        userId: personB.id,
        agencyId: adminB.agency!.id,
        roles: ['AGENCY_ADMIN'],
      });
      expect(codeOf(setRoles)).toBe('NOT_FOUND');
      expect(codeOf(await adminA.client.query(DEACTIVATE, { userId: personB.id }))).toBe('NOT_FOUND');
      const [row] = await app.dataSource.query(`SELECT roles, active FROM membership WHERE user_id = $1`, [personB.id]);
      expect(row).toEqual({ roles: ['PRACTITIONER'], active: true });
    });

    it('cannot invite people into another agency (FORBIDDEN: the agency is listed, its staffing is not theirs)', async () => {
      const before = await count('invitation');
      const res = await adminA.client.query(INVITE, {
        input: {
          agencyId: adminB.agency!.id,
          email: 'mole@example.test',
          displayName: 'Mole',
          roles: ['AGENCY_ADMIN'],
        },
      });
      expect(codeOf(res)).toBe('FORBIDDEN');
      expect(await count('invitation')).toBe(before);
    });
  });

  describe('rules that keep an agency manageable', () => {
    it('refuses setRoles on oneself (FORBIDDEN), so an agency admin cannot give itself child-reading roles', async () => {
      const admin = await app.factories.signedIn({ roles: [Role.AGENCY_ADMIN] });
      const other = await app.factories.signIn(
        await app.factories.user({ agency: admin.agency!, roles: [Role.AGENCY_ADMIN] }),
        admin.agency,
      );
      const vars = { userId: admin.user.id, agencyId: admin.agency!.id, roles: ['AGENCY_ADMIN', 'SAFEGUARDING_LEAD'] };
      expect(codeOf(await admin.client.query(SET_ROLES, vars))).toBe('FORBIDDEN');
      expect((await admin.client.ok(ME)).me.roles).toEqual(['AGENCY_ADMIN']);
      // Another admin of the agency may make the same change, and may demote it.
      await other.client.ok(SET_ROLES, vars);
      await other.client.ok(SET_ROLES, { ...vars, roles: ['PRACTITIONER'] });
      expect(codeOf(await admin.client.query(USERS, { agencyId: admin.agency!.id }))).toBe('FORBIDDEN');
    });

    it('has no role that makes a platform admin, so an agency admin cannot grant itself one', async () => {
      const admin = await app.factories.signedIn({ roles: [Role.AGENCY_ADMIN] });
      const vars = { userId: admin.user.id, agencyId: admin.agency!.id, roles: ['AGENCY_ADMIN', 'PLATFORM_ADMIN'] };
      expect(codeOf(await admin.client.query(SET_ROLES, vars))).toBe('BAD_USER_INPUT');
      const [row] = await app.dataSource.query(`SELECT platform_admin FROM app_user WHERE id = $1`, [admin.user.id]);
      expect(row.platform_admin).toBe(false);
    });

    it('refuses to deactivate yourself (FAILED_PRECONDITION)', async () => {
      const admin = await app.factories.signedIn({ roles: [Role.AGENCY_ADMIN] });
      expect(codeOf(await admin.client.query(DEACTIVATE, { userId: admin.user.id }))).toBe('FAILED_PRECONDITION');
    });

    it('keeps police and prosecution powers in their agencies (BAD_USER_INPUT naming roles)', async () => {
      const admin = await app.factories.signedIn({ roles: [Role.AGENCY_ADMIN] });
      const res = await admin.client.query(INVITE, {
        input: { agencyId: admin.agency!.id, email: 'cop@example.test', displayName: 'Cop', roles: ['POLICE_OFFICER'] },
      });
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.roles' });
    });

    it('lets the platform admin invite only agency admins, and never read child data', async () => {
      const agency = await app.factories.agency();
      const res = await platform.client.query(INVITE, {
        input: { agencyId: agency.id, email: 'dsl@example.test', displayName: 'DSL', roles: ['SAFEGUARDING_LEAD'] },
      });
      expect(codeOf(res)).toBe('FORBIDDEN');
      const mixed = await platform.client.query(INVITE, {
        input: {
          agencyId: agency.id,
          email: 'dsl@example.test',
          displayName: 'DSL',
          roles: ['AGENCY_ADMIN', 'PRACTITIONER'],
        },
      });
      expect(codeOf(mixed)).toBe('FORBIDDEN');
    });

    it('refuses a duplicate agency name in any case (CONFLICT), and createAgency to anyone but the platform admin', async () => {
      await platform.client.ok(CREATE_AGENCY, { input: { name: 'Unique Name Agency', kind: 'POLICE' } });
      const admin = await app.factories.signedIn({ roles: [Role.AGENCY_ADMIN] });
      const before = await count('agency');
      const dup = await platform.client.query(CREATE_AGENCY, {
        input: { name: ' unique name AGENCY ', kind: 'HEALTH' },
      });
      expect(codeOf(dup)).toBe('CONFLICT');
      expect(codeOf(await admin.client.query(CREATE_AGENCY, { input: { name: 'Mine', kind: 'SCHOOL' } }))).toBe(
        'FORBIDDEN',
      );
      expect(await count('agency')).toBe(before);
    });

    it('lists every agency to anyone signed in, and defaults police to first responder', async () => {
      const practitioner = await app.factories.signedIn();
      const { agencies } = await practitioner.client.ok(`{ agencies { name kind firstResponder } }`);
      expect(agencies).toContainEqual({ name: 'Unique Name Agency', kind: 'POLICE', firstResponder: true });
    });
  });

  describe('bad input is refused, names the field and writes nothing', () => {
    let admin: SignedIn;
    beforeAll(async () => {
      admin = await app.factories.signedIn({ roles: [Role.AGENCY_ADMIN] });
    });

    const inviteWith = (overrides: Record<string, unknown>) =>
      admin.client.query(INVITE, {
        input: {
          agencyId: admin.agency!.id,
          email: 'ok@example.test',
          displayName: 'Ok',
          roles: ['PRACTITIONER'],
          ...overrides,
        },
      });

    it.each([
      ['a malformed email', { email: 'not-an-email' }, 'input.email'],
      ['an empty display name', { displayName: '   ' }, 'input.displayName'],
      ['no roles', { roles: [] }, 'input.roles'],
    ])('refuses an invitation with %s', async (_what, overrides, field) => {
      const before = await count('invitation');
      const res = await inviteWith(overrides);
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(await count('invitation')).toBe(before);
    });

    it('refuses an unknown role', async () => {
      const before = await count('invitation');
      const res = await inviteWith({ roles: ['WIZARD'] });
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0].message).toContain('roles');
      expect(await count('invitation')).toBe(before);
    });

    it('refuses an unknown agency kind and an empty agency name', async () => {
      const before = await count('agency');
      expect(codeOf(await platform.client.query(CREATE_AGENCY, { input: { name: 'X', kind: 'BANK' } }))).toBe(
        'BAD_USER_INPUT',
      );
      const res = await platform.client.query(CREATE_AGENCY, { input: { name: ' ', kind: 'SCHOOL' } });
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.name' });
      expect(await count('agency')).toBe(before);
    });

    it('refuses a password shorter than 12 characters when accepting, and leaves the invitation usable', async () => {
      const invitation = await invite(admin.client, admin.agency!.id, 'short@example.test', [Role.PRACTITIONER]);
      const users = await count('app_user');
      const res = await app.anonymous().query(ACCEPT, { token: invitation.token, password: 'elevenchars' });
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'password' });
      expect(await count('app_user')).toBe(users);
      await accept(invitation.token, 'twelve chars');
    });

    it('refuses a used invitation, an expired one and an unknown token, creating nobody', async () => {
      const used = await invite(admin.client, admin.agency!.id, 'once@example.test', [Role.PRACTITIONER]);
      await accept(used.token);
      const expired = await invite(admin.client, admin.agency!.id, 'late@example.test', [Role.PRACTITIONER]);
      await app.dataSource.query(
        `UPDATE invitation SET created_at = now() - interval '8 days', expires_at = now() - interval '1 day' WHERE id = $1`,
        [expired.id],
      );
      const users = await count('app_user');
      const sessions = await count('auth_session');
      for (const token of [used.token, expired.token, 'made-up-token']) {
        const res = await app.anonymous().query(ACCEPT, { token, password: PASSWORD });
        expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'token' });
      }
      expect(await count('app_user')).toBe(users);
      expect(await count('auth_session')).toBe(sessions);
    });

    it('answers NOT_FOUND for ids that are not ids', async () => {
      expect(codeOf(await admin.client.query(DEACTIVATE, { userId: 'nobody' }))).toBe('NOT_FOUND');
      expect(codeOf(await admin.client.query(USERS, { agencyId: '42' }))).toBe('NOT_FOUND');
    });

    it('refuses inviting someone who is already an active member (CONFLICT)', async () => {
      const res = await inviteWith({ email: admin.user.email.toUpperCase() });
      expect(codeOf(res)).toBe('CONFLICT');
    });
  });
});
