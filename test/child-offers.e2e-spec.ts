import { SignedIn, TestApp } from '../libs/testing/src';
import { AgencyKind, Role } from '../src/common/enums/agencies';
import { IdentifierScheme } from '../src/common/enums/children';

const MAY = `query ($id: ID!) { child(id: $id) { accessRoute mayShare mayReadAuditTrail mayRecord } }`;
const SCHEMES = `{ identifierSchemesToRecord }`;

/**
 * What the API tells a client it may do, so the pages offer only that: each answer is the decision the act itself
 * would meet (src/access), not a second copy of the rules.
 */
describe('what a person is offered on a child, and the schemes they register by', () => {
  let app: TestApp;
  let schoolLead: SignedIn;
  let schoolPractitioner: SignedIn;
  let youthWorker: SignedIn;
  let police: SignedIn;
  let childId: string;

  beforeAll(async () => {
    app = await TestApp.start();
    schoolLead = await app.factories.signedIn({ kind: AgencyKind.SCHOOL, roles: [Role.SAFEGUARDING_LEAD] });
    schoolPractitioner = await app.factories.signedIn({ agency: schoolLead.agency!, roles: [Role.PRACTITIONER] });
    youthWorker = await app.factories.signedIn({ kind: AgencyKind.YOUTH_SERVICE, roles: [Role.PRACTITIONER] });
    police = await app.factories.signedIn({ kind: AgencyKind.POLICE, roles: [Role.POLICE_OFFICER] });
    childId = await app.factories.children.child({ involved: [schoolLead.agency!] });
  });
  afterAll(() => app.stop());

  const offers = async (person: SignedIn) => (await person.client.ok(MAY, { id: childId })).child;

  it('an involved lead may share, read the trail and record; the practitioner beside them only records', async () => {
    expect(await offers(schoolLead)).toEqual({
      accessRoute: 'INVOLVED',
      mayShare: true,
      mayReadAuditTrail: true,
      mayRecord: true,
    });
    const practitioner = await offers(schoolPractitioner);
    expect(practitioner).toMatchObject({ accessRoute: 'INVOLVED', mayShare: false, mayRecord: true });
    const grant = await schoolPractitioner.client.query(
      `mutation ($input: GrantAccessInput!) { grantAccess(input: $input) { id } }`,
      {
        input: {
          childId,
          granteeAgencyId: youthWorker.agency!.id,
          tiers: ['STANDARD'],
          lawfulBasis: 'SAFEGUARDING_OF_CHILDREN',
          purpose: 'Youth club',
          expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
        },
      },
    );
    expect(grant.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('an agency the record was shared with is offered none of them, as the API would refuse each', async () => {
    await app.factories.sharing.grant({
      childId,
      from: schoolLead.agency!,
      by: schoolLead.user,
      to: youthWorker.agency!,
    });
    expect(await offers(youthWorker)).toEqual({
      accessRoute: 'GRANTED',
      mayShare: false,
      mayReadAuditTrail: false,
      mayRecord: false,
    });
    const trail = await youthWorker.client.query(`query ($id: ID!) { auditTrail(childId: $id) { edges { cursor } } }`, {
      id: childId,
    });
    expect(trail.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it("names the identifier schemes each agency registers a child by: its own kind's, and OTHER", async () => {
    const schemes = async (person: SignedIn) =>
      ((await person.client.ok(SCHEMES)).identifierSchemesToRecord as string[]).sort();
    expect(await schemes(youthWorker)).toEqual([IdentifierScheme.LOCAL_AUTHORITY, IdentifierScheme.OTHER].sort());
    expect(await schemes(schoolLead)).toEqual(
      [IdentifierScheme.LOCAL_AUTHORITY, IdentifierScheme.OTHER, IdentifierScheme.UPN].sort(),
    );
    expect(await schemes(police)).toEqual(
      [IdentifierScheme.LOCAL_AUTHORITY, IdentifierScheme.OTHER, IdentifierScheme.POLICE_NATIONAL_COMPUTER].sort(),
    );
    // Each one offered is one a registration is let through with.
    const registered = await youthWorker.client.ok(
      `mutation ($input: RegisterChildInput!) { registerChild(input: $input) { child { identifiers { scheme } } } }`,
      {
        input: {
          givenName: 'Rio',
          familyName: 'Okonjo',
          basis: 'YOUTH_WORK',
          identifiers: [
            { scheme: 'LOCAL_AUTHORITY', value: 'NB-CS-55501' },
            { scheme: 'OTHER', value: 'club card 118' },
          ],
        },
      },
    );
    expect(registered.registerChild.child.identifiers).toHaveLength(2);
  });
});
