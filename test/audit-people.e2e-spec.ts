import { codeOf, SignedIn, TestApp } from '../libs/testing/src';
import { AgencyKind, Role } from '../src/common/enums/agencies';

const INVITE = `mutation ($input: InviteUserInput!) { inviteUser(input: $input) { id token } }`;
const ACCEPT = `mutation ($token: String!, $password: String!) {
  acceptInvitation(token: $token, password: $password) { token session { user { id } } } }`;
const SET_ROLES = `mutation ($userId: ID!, $agencyId: ID!, $roles: [Role!]!) {
  setRoles(userId: $userId, agencyId: $agencyId, roles: $roles) { id } }`;
const DEACTIVATE = `mutation ($userId: ID!) { deactivateUser(userId: $userId) { id } }`;
const LOGOUT = `mutation { logout }`;
const STAFF_LOG = `query ($userId: ID!) {
  staffAccessLog(userId: $userId) { edges { node { action subjectType subjectId agency { id } } } }
}`;

describe('the audit log of changes to people', () => {
  let app: TestApp;
  let admin: SignedIn;
  let otherAdmin: SignedIn;

  const actionsOf = async (userId: string) =>
    (await otherAdmin.client.ok(STAFF_LOG, { userId })).staffAccessLog.edges.map((e: any) => e.node);

  beforeAll(async () => {
    app = await TestApp.start();
    admin = await app.factories.signedIn({ kind: AgencyKind.SCHOOL, roles: [Role.AGENCY_ADMIN] });
    otherAdmin = await app.factories.signedIn({ agency: admin.agency!, roles: [Role.AGENCY_ADMIN] });
  });
  afterAll(() => app.stop());

  it('records an invitation, its acceptance and sign-in, a change of roles and a deactivation', async () => {
    const email = 'new.teacher@example.test';
    const invited = (
      await admin.client.ok(INVITE, {
        input: { agencyId: admin.agency!.id, email, displayName: 'New Teacher', roles: ['PRACTITIONER'] },
      })
    ).inviteUser;
    const accepted = (await app.anonymous().ok(ACCEPT, { token: invited.token, password: 'a long enough passphrase' }))
      .acceptInvitation;
    const teacherId = accepted.session.user.id;
    await app.anonymous().withToken(accepted.token).ok(LOGOUT);
    await admin.client.ok(SET_ROLES, { userId: teacherId, agencyId: admin.agency!.id, roles: ['SAFEGUARDING_LEAD'] });
    await admin.client.ok(DEACTIVATE, { userId: teacherId });

    const school = { id: admin.agency!.id };
    expect(await actionsOf(admin.user.id)).toEqual([
      { action: 'deactivateUser', subjectType: 'User', subjectId: teacherId, agency: school },
      { action: 'setRoles', subjectType: 'User', subjectId: teacherId, agency: school },
      { action: 'inviteUser', subjectType: 'Invitation', subjectId: invited.id, agency: school },
    ]);
    expect((await actionsOf(teacherId)).map((e: any) => e.action)).toEqual(['logout', 'login', 'acceptInvitation']);
  });

  it('a refused change leaves no audit event', async () => {
    const target = otherAdmin.user.id;
    // The target reads its own log here, and each read of a staff access log is itself audited.
    const changes = async () => (await actionsOf(target)).filter((e: any) => e.action !== 'staffAccessLog');
    const before = await changes();
    const res = await admin.client.query(SET_ROLES, { userId: target, agencyId: admin.agency!.id, roles: [] });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(await changes()).toEqual(before);
  });
});
