import { AgencyKind, Role } from '../src/common/enums/agencies';
import { GraphQLResponse, SignedIn, TestApp } from '../libs/testing/src';

const REGISTER = `mutation ($input: RegisterChildInput!) { registerChild(input: $input) { child { id } } }`;
const CHILD = `query ($id: ID!) { child(id: $id) { id } }`;

/** The one error of a refused request, which must be BAD_USER_INPUT naming `field`. */
function expectNamed(res: GraphQLResponse, field: string) {
  expect(res.errors).toHaveLength(1);
  expect(res.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', field });
}

describe('every BAD_USER_INPUT names its field', () => {
  let app: TestApp;
  let dsl: SignedIn;

  beforeAll(async () => {
    app = await TestApp.start();
    dsl = await app.factories.signedIn({ kind: AgencyKind.SCHOOL, roles: [Role.SAFEGUARDING_LEAD] });
  });
  afterAll(() => app.stop());

  const child = { givenName: 'Kai', familyName: 'Field', basis: 'PUPIL' };

  describe('a variable whose value does not fit its type names the variable, and where in it', () => {
    it('a required variable left out or null', async () => {
      const missing = await dsl.client.query(CHILD, {});
      expectNamed(missing, '$id');
      expect(missing.errors![0].message).toBe('Variable "$id" of required type "ID!" was not provided.');
      expectNamed(await dsl.client.query(CHILD, { id: null }), '$id');
    });

    it('a value of the wrong type deep in an input object', async () => {
      const res = await dsl.client.query(REGISTER, {
        input: {
          ...child,
          identifiers: [
            { scheme: 'UPN', value: 'A123' },
            { scheme: 'UPN', value: 12 },
          ],
        },
      });
      expectNamed(res, '$input.identifiers[1].value');
    });

    it('an enum value that does not exist, in a list', async () => {
      const res = await dsl.client.query(
        `mutation ($roles: [Role!]!) { setRoles(userId: "x", agencyId: "y", roles: $roles) { id } }`,
        { roles: ['PRACTITIONER', 'PRACTITONER'] },
      );
      expectNamed(res, '$roles[1]');
    });

    it('a required input field left out, and one the type does not have', async () => {
      expectNamed(
        await dsl.client.query(REGISTER, { input: { familyName: 'Field', basis: 'PUPIL' } }),
        '$input.givenName',
      );
      expectNamed(await dsl.client.query(REGISTER, { input: { ...child, nickname: 'K' } }), '$input.nickname');
    });

    it('a scalar that refuses the value', async () => {
      expectNamed(
        await dsl.client.query(REGISTER, { input: { ...child, dateOfBirth: '2013-02-30' } }),
        '$input.dateOfBirth',
      );
    });

    it('under a variable named unlike its argument, and with the client text quoting a path of its own', async () => {
      const res = await dsl.client.query(
        `mutation ($details: RegisterChildInput!) { registerChild(input: $details) { child { id } } }`,
        { details: { ...child, dateOfBirth: 'x" at "details.address"; y' } },
      );
      expectNamed(res, '$details.dateOfBirth');
      const key = await dsl.client.query(REGISTER, { input: { ...child, 'a" at "input.gender': 1 } });
      expectNamed(key, '$input');
    });

    it('each of several bad values, each with its own field', async () => {
      const res = await dsl.client.query(REGISTER, { input: { givenName: 1, familyName: 2, basis: 'PUPIL' } });
      expect(res.errors!.map((error) => error.extensions)).toEqual(
        expect.arrayContaining([
          { code: 'BAD_USER_INPUT', field: '$input.givenName' },
          { code: 'BAD_USER_INPUT', field: '$input.familyName' },
        ]),
      );
      expect(res.errors).toHaveLength(2);
    });

    it('fifty bad values at most, then one BAD_REQUEST for the request as a whole, not a server error', async () => {
      const res = await dsl.client.query(
        `mutation ($roles: [Role!]!) { setRoles(userId: "x", agencyId: "y", roles: $roles) { id } }`,
        { roles: Array.from({ length: 60 }, () => 'NOPE') },
      );
      expect(res.status).toBe(400);
      expect(res.errors).toHaveLength(51);
      expect(res.errors!.slice(0, 50).map((error) => error.extensions)).toEqual(
        Array.from({ length: 50 }, (_, i) => ({ code: 'BAD_USER_INPUT', field: `$roles[${i}]` })),
      );
      expect(res.errors![50].extensions).toEqual({ code: 'BAD_REQUEST' });
    });
  });

  it('an input field that breaks a rule of its own names it as the argument holds it', async () => {
    const res = await dsl.client.query(REGISTER, {
      input: {
        ...child,
        identifiers: [
          { scheme: 'OTHER', value: 'ok' },
          { scheme: 'OTHER', value: 'x'.repeat(101) },
        ],
      },
    });
    expectNamed(res, 'input.identifiers[1].value');
  });
});
