import { AgencyKind, Role } from '../src/common/enums/agencies';
import { codeOf, SignedIn, TestApp } from '../libs/testing/src';

/**
 * Text limits are counted as the database's checks count them (characters, i.e. code points), so input at the
 * edge is either accepted or refused as BAD_USER_INPUT naming the field, never an internal error from a check.
 * An emoji with a presentation selector ("❤️") is two characters to PostgreSQL.
 */
const HEART = '\u2764\uFE0F';

describe('text limits', () => {
  let app: TestApp;
  let dsl: SignedIn;

  beforeAll(async () => {
    app = await TestApp.start();
    dsl = await app.factories.signedIn({ kind: AgencyKind.SCHOOL, roles: [Role.SAFEGUARDING_LEAD] });
  });
  afterAll(() => app.stop());

  const register = (input: Record<string, unknown>) =>
    dsl.client.query(`mutation ($input: RegisterChildInput!) { registerChild(input: $input) { child { id } } }`, {
      input: { givenName: 'Kai', familyName: 'Tester', basis: 'PUPIL', ...input },
    });

  it.each([
    ['givenName', { givenName: 'x'.repeat(99) + HEART }],
    ['familyName', { familyName: 'x'.repeat(99) + HEART }],
    ['address', { address: 'x'.repeat(499) + HEART }],
    ['gender', { gender: 'x'.repeat(49) + HEART }],
  ])('a %s one character over the limit is BAD_USER_INPUT naming it', async (field, input) => {
    const result = await register(input);
    expect(codeOf(result)).toBe('BAD_USER_INPUT');
    expect(result.errors![0].extensions!.field).toBe(`input.${field}`);
  });

  it('a name of exactly the limit, emoji and all, is accepted', async () => {
    expect(codeOf(await register({ givenName: 'x'.repeat(98) + HEART }))).toBeUndefined();
  });

  it('an agency display name one character over is BAD_USER_INPUT naming it', async () => {
    const admin = await app.factories.signedIn({ agency: dsl.agency!, roles: [Role.AGENCY_ADMIN] });
    const result = await admin.client.query(
      `mutation ($input: InviteUserInput!) { inviteUser(input: $input) { id } }`,
      {
        input: {
          agencyId: dsl.agency!.id,
          email: 'new.person@example.test',
          displayName: 'x'.repeat(199) + HEART,
          roles: ['PRACTITIONER'],
        },
      },
    );
    expect(codeOf(result)).toBe('BAD_USER_INPUT');
    expect(result.errors![0].extensions!.field).toBe('input.displayName');
  });
});
