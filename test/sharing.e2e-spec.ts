import { codeOf, SignedIn, TestApp } from '../libs/testing/src';
import { AgencyKind, Role } from '../src/common/enums/agencies';

const REGISTER = `mutation ($input: RegisterChildInput!) { registerChild(input: $input) { child { id } } }`;
const RECORD = `mutation ($input: RecordConcernInput!) { recordConcern(input: $input) { id } }`;
const CHILD = `query ($id: ID!) {
  child(id: $id) { id address accessRoute concerns(first: 50) { edges { node { sensitivity narrative } } } }
}`;
const GRANT = `mutation ($input: GrantAccessInput!) {
  grantAccess(input: $input) {
    id tiers lawfulBasis purpose grantedAt expiresAt revokedAt
    child { id } granteeAgency { id } grantingAgency { id } grantedBy { id }
  }
}`;
const REVOKE = `mutation ($id: ID!) { revokeAccess(grantId: $id) { id revokedAt } }`;
const GRANTS = `query ($childId: ID!) { accessGrants(childId: $childId) { id granteeAgency { id } revokedAt } }`;
const REFUSE = `mutation ($input: RefuseAccessInput!) {
  refuseAccess(input: $input) { id reason decidedAt requestingAgency { id } decidingAgency { id } decidedBy { id } }
}`;
const REFUSALS = `query ($childId: ID!) { accessRefusals(childId: $childId) { id reason } }`;

const PURPOSE = 'Youth workers see him at the station most evenings and need the school concerns to plan outreach.';
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

describe('sharing a child record between agencies', () => {
  let app: TestApp;
  let schoolDsl: SignedIn;
  let youthWorker: SignedIn;
  let youthLead: SignedIn;
  let thirdAgencyId: string;
  let childId: string;

  const grant = (who: SignedIn, overrides: Record<string, unknown> = {}) =>
    who.client.query(GRANT, {
      input: {
        childId,
        granteeAgencyId: youthWorker.agency!.id,
        tiers: ['STANDARD'],
        lawfulBasis: 'PUBLIC_TASK',
        purpose: PURPOSE,
        expiresAt: inDays(30),
        ...overrides,
      },
    });
  const childAs = async (who: SignedIn) => (await who.client.ok(CHILD, { id: childId })).child;

  beforeAll(async () => {
    app = await TestApp.start();
    schoolDsl = await app.factories.signedIn({ kind: AgencyKind.SCHOOL, roles: [Role.SAFEGUARDING_LEAD] });
    youthWorker = await app.factories.signedIn({ kind: AgencyKind.YOUTH_SERVICE, roles: [Role.PRACTITIONER] });
    youthLead = await app.factories.signedIn({ agency: youthWorker.agency!, roles: [Role.SAFEGUARDING_LEAD] });
    thirdAgencyId = (await app.factories.agency({ kind: AgencyKind.CHILDRENS_SOCIAL_CARE })).id;
    const registered = await schoolDsl.client.ok(REGISTER, {
      input: { givenName: 'Kai', familyName: 'Thompson', address: '12 Canal Street', basis: 'PUPIL' },
    });
    childId = registered.registerChild.child.id;
    await schoolDsl.client.ok(RECORD, {
      input: {
        childId,
        occurredAt: '2026-09-15T08:30:00Z',
        category: 'CRIMINAL_EXPLOITATION',
        indicators: ['MULTIPLE_PHONES'],
        recruitmentSetting: 'SECONDARY_SCHOOL',
        riskLevel: 'MEDIUM',
        sensitivity: 'STANDARD',
        narrative: 'A second phone; waits at the gate for older boys.',
      },
    });
  });
  afterAll(() => app.stop());

  it('a youth worker does not know the child before anything is shared', async () => {
    expect(await childAs(youthWorker)).toBeNull();
    expect(codeOf(await youthWorker.client.query(GRANTS, { childId }))).toBe('NOT_FOUND');
  });

  describe('a grant', () => {
    let grantId: string;

    beforeAll(async () => {
      const res = await grant(schoolDsl);
      expect(res.errors).toBeUndefined();
      grantId = res.data!.grantAccess.id;
      expect(res.data!.grantAccess).toMatchObject({
        tiers: ['STANDARD'],
        lawfulBasis: 'PUBLIC_TASK',
        purpose: PURPOSE,
        revokedAt: null,
        child: { id: childId },
        granteeAgency: { id: youthWorker.agency!.id },
        grantingAgency: { id: schoolDsl.agency!.id },
        grantedBy: { id: schoolDsl.user.id },
      });
    });

    it('lets the youth worker read the STANDARD record by the GRANTED route, without the address', async () => {
      const child = await childAs(youthWorker);
      expect(child).toMatchObject({ id: childId, accessRoute: 'GRANTED', address: null });
      expect(child.concerns.edges.map((e: any) => e.node.sensitivity)).toEqual(['STANDARD']);
    });

    it('tells the youth service leads', async () => {
      const rows = await app.dataSource.query(
        `SELECT user_id FROM notification WHERE kind = 'ACCESS_GRANTED' AND child_id = $1`,
        [childId],
      );
      expect(rows.map((r: any) => r.user_id)).toEqual([youthLead.user.id]);
    });

    it('is listed to the school in full and to the youth service as its own', async () => {
      const forSchool = (await schoolDsl.client.ok(GRANTS, { childId })).accessGrants;
      expect(forSchool.map((g: any) => g.id)).toEqual([grantId]);
      const forYouth = (await youthLead.client.ok(GRANTS, { childId })).accessGrants;
      expect(forYouth.map((g: any) => g.id)).toEqual([grantId]);
    });

    it('cannot be passed on by the youth service', async () => {
      const res = await grant(youthLead, { granteeAgencyId: thirdAgencyId });
      expect(codeOf(res)).toBe('FORBIDDEN');
    });

    it('cannot be revoked by the youth service', async () => {
      expect(codeOf(await youthLead.client.query(REVOKE, { id: grantId }))).toBe('FORBIDDEN');
    });

    it('ends at the next request once the school revokes it', async () => {
      const revoked = (await schoolDsl.client.ok(REVOKE, { id: grantId })).revokeAccess;
      expect(revoked.revokedAt).not.toBeNull();
      expect(await childAs(youthWorker)).toBeNull();
      expect(codeOf(await youthWorker.client.query(GRANTS, { childId }))).toBe('NOT_FOUND');
      expect(codeOf(await schoolDsl.client.query(REVOKE, { id: grantId }))).toBe('FAILED_PRECONDITION');
    });
  });

  it('ends at the next request once it expires', async () => {
    const id = (await grant(schoolDsl)).data!.grantAccess.id;
    expect((await childAs(youthWorker)).accessRoute).toBe('GRANTED');
    await app.dataSource.query(
      `UPDATE access_grant SET granted_at = now() - interval '31 days', expires_at = now() - interval '1 second'
        WHERE id = $1`,
      [id],
    );
    expect(await childAs(youthWorker)).toBeNull();
  });

  it('lapses when the school that shared it ends its involvement, and is then listed as no longer active', async () => {
    const socialWorker = await app.factories.signedIn({
      kind: AgencyKind.CHILDRENS_SOCIAL_CARE,
      roles: [Role.SOCIAL_WORKER],
    });
    const registered = await schoolDsl.client.ok(REGISTER, {
      input: { givenName: 'Leah', familyName: 'Mackenzie', basis: 'PUPIL' },
    });
    const leahId = registered.registerChild.child.id;
    await app.dataSource.query(
      `INSERT INTO involvement (child_id, agency_id, basis, since) VALUES ($1, $2, 'OPEN_CASE', '2026-01-01')`,
      [leahId, socialWorker.agency!.id],
    );
    expect(codeOf(await grant(schoolDsl, { childId: leahId }))).toBeUndefined();
    expect((await youthWorker.client.ok(CHILD, { id: leahId })).child.accessRoute).toBe('GRANTED');

    const { child } = await schoolDsl.client.ok(
      `query ($id: ID!) { child(id: $id) { involvements { id agency { id } } } }`,
      {
        id: leahId,
      },
    );
    const own = child.involvements.find((i: { agency: { id: string } }) => i.agency.id === schoolDsl.agency!.id);
    await schoolDsl.client.ok(
      `mutation ($id: ID!, $until: Date!) { endInvolvement(involvementId: $id, until: $until) { id } }`,
      {
        id: own.id,
        until: new Date().toISOString().slice(0, 10),
      },
    );

    expect((await youthWorker.client.ok(CHILD, { id: leahId })).child).toBeNull();
    const listed = await socialWorker.client.ok(
      `query ($childId: ID!) { accessGrants(childId: $childId) { active revokedAt } }`,
      {
        childId: leahId,
      },
    );
    expect(listed.accessGrants).toEqual([{ active: false, revokedAt: null }]);
  });

  it('a school cannot share police-restricted information it does not hold', async () => {
    expect(codeOf(await grant(schoolDsl, { tiers: ['STANDARD', 'POLICE_RESTRICTED'] }))).toBe('FORBIDDEN');
  });

  it('a practitioner cannot share', async () => {
    const teacher = await app.factories.signedIn({ agency: schoolDsl.agency!, roles: [Role.PRACTITIONER] });
    expect(codeOf(await grant(teacher))).toBe('FORBIDDEN');
  });

  it.each([
    ['a purpose shorter than a sentence', { purpose: 'outreach' }, 'input.purpose'],
    ['no tier', { tiers: [] }, 'input.tiers'],
    ['an expiry more than a year ahead', { expiresAt: inDays(370) }, 'input.expiresAt'],
    ['an expiry in the past', { expiresAt: inDays(-1) }, 'input.expiresAt'],
  ])('refuses %s, naming the field, and writes nothing', async (_what, overrides, field) => {
    const [{ count: before }] = await app.dataSource.query(`SELECT count(*) FROM access_grant`);
    const res = await grant(schoolDsl, overrides);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    const [{ count: after }] = await app.dataSource.query(`SELECT count(*) FROM access_grant`);
    expect(after).toBe(before);
  });

  it('a decision not to share is recorded, with its reason, and the record stays closed', async () => {
    const reason = 'No lawful basis yet: the request named no purpose beyond general interest.';
    const refusal = (
      await schoolDsl.client.ok(REFUSE, { input: { childId, requestingAgencyId: thirdAgencyId, reason } })
    ).refuseAccess;
    expect(refusal).toMatchObject({
      reason,
      requestingAgency: { id: thirdAgencyId },
      decidingAgency: { id: schoolDsl.agency!.id },
      decidedBy: { id: schoolDsl.user.id },
    });
    expect((await schoolDsl.client.ok(REFUSALS, { childId })).accessRefusals).toEqual([{ id: refusal.id, reason }]);
    const short = await schoolDsl.client.query(REFUSE, {
      input: { childId, requestingAgencyId: thirdAgencyId, reason: 'no' },
    });
    expect(short.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.reason' });
  });
});
