import { Role } from '../src/common/enums/agencies';
import { codeOf, TestApp } from '../libs/testing/src';

describe('the signed-in session', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await TestApp.start();
  });
  afterAll(() => app.stop());

  it('tells a practitioner who they are and for which agency they act', async () => {
    const dsl = await app.factories.signedIn({ roles: [Role.SAFEGUARDING_LEAD] });
    const data = await dsl.client.ok(`{ me { user { email } agency { id } roles } }`);
    expect(data.me).toEqual({
      user: { email: dsl.user.email },
      agency: { id: dsl.agency!.id },
      roles: ['SAFEGUARDING_LEAD'],
    });
  });

  it('refuses a caller who is not signed in', async () => {
    expect(codeOf(await app.anonymous().query(`{ me { roles } }`))).toBe('UNAUTHENTICATED');
  });
});
