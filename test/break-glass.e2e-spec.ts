import { codeOf, SignedIn, TestApp } from '../libs/testing/src';
import { AgencyKind, Role } from '../src/common/enums/agencies';

const REGISTER = `mutation ($input: RegisterChildInput!) { registerChild(input: $input) { child { id } } }`;
const CHILD = `query ($id: ID!) { child(id: $id) { id address accessRoute } }`;
const BREAK_GLASS = `mutation ($childId: ID!, $reason: String!) {
  breakGlass(childId: $childId, reason: $reason) {
    id childId reason startedAt expiresAt reviewedAt user { id } child { id accessRoute }
  }
}`;
const TO_REVIEW = `{ breakGlassToReview { id childId reason user { id } } }`;
const REVIEW = `mutation ($id: ID!, $outcome: String!) {
  reviewBreakGlass(id: $id, outcome: $outcome) { id reviewedAt reviewOutcome }
}`;
const TRAIL = `query ($childId: ID!) {
  auditTrail(childId: $childId) { edges { node { action route breakGlass user { id } agency { id } } } }
}`;

const REASON = 'Found at 2am in a trap house with an adult suspect; need known risks and contacts now.';

describe('break-glass emergency access', () => {
  let app: TestApp;
  let schoolDsl: SignedIn;
  let officer: SignedIn;
  let policeLead: SignedIn;
  let policeAdmin: SignedIn;
  let childId: string;
  let accessId: string;

  beforeAll(async () => {
    app = await TestApp.start();
    schoolDsl = await app.factories.signedIn({ kind: AgencyKind.SCHOOL, roles: [Role.SAFEGUARDING_LEAD] });
    officer = await app.factories.signedIn({ kind: AgencyKind.POLICE, roles: [Role.POLICE_OFFICER] });
    policeLead = await app.factories.signedIn({ agency: officer.agency!, roles: [Role.SAFEGUARDING_LEAD] });
    policeAdmin = await app.factories.signedIn({ agency: officer.agency!, roles: [Role.AGENCY_ADMIN] });
    const registered = await schoolDsl.client.ok(REGISTER, {
      input: { givenName: 'Leah', familyName: 'Osei', address: '3 Mill Lane', basis: 'PUPIL' },
    });
    childId = registered.registerChild.child.id;
  });
  afterAll(() => app.stop());

  it('a police officer with no involvement does not see the child', async () => {
    expect((await officer.client.ok(CHILD, { id: childId })).child).toBeNull();
  });

  it('needs a reason of at least 20 characters', async () => {
    const res = await officer.client.query(BREAK_GLASS, { childId, reason: 'urgent' });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
  });

  it('is not open to a practitioner', async () => {
    const teacher = await app.factories.signedIn({ kind: AgencyKind.SCHOOL, roles: [Role.PRACTITIONER] });
    expect(codeOf(await teacher.client.query(BREAK_GLASS, { childId, reason: REASON }))).toBe('FORBIDDEN');
  });

  describe('once the glass is broken', () => {
    beforeAll(async () => {
      const opened = (await officer.client.ok(BREAK_GLASS, { childId, reason: REASON })).breakGlass;
      accessId = opened.id;
      expect(opened).toMatchObject({
        childId,
        reason: REASON,
        reviewedAt: null,
        user: { id: officer.user.id },
        child: { id: childId, accessRoute: 'BREAK_GLASS' },
      });
      expect(Date.parse(opened.expiresAt) - Date.parse(opened.startedAt)).toBe(60 * 60_000);
    });

    it('the officer reads the full record by the BREAK_GLASS route', async () => {
      expect((await officer.client.ok(CHILD, { id: childId })).child).toEqual({
        id: childId,
        address: '3 Mill Lane',
        accessRoute: 'BREAK_GLASS',
      });
    });

    it('only for that officer', async () => {
      const colleague = await app.factories.signedIn({ agency: officer.agency!, roles: [Role.POLICE_OFFICER] });
      expect((await colleague.client.ok(CHILD, { id: childId })).child).toBeNull();
    });

    it("the read is in the child's audit trail, flagged, with route BREAK_GLASS", async () => {
      const trail = (await schoolDsl.client.ok(TRAIL, { childId })).auditTrail.edges.map((e: any) => e.node);
      expect(trail).toContainEqual({
        action: 'read',
        route: 'BREAK_GLASS',
        breakGlass: true,
        user: { id: officer.user.id },
        agency: { id: officer.agency!.id },
      });
    });

    it("waits for review by the leads of the officer's agency and of the involved school", async () => {
      for (const reviewer of [schoolDsl, policeLead, policeAdmin]) {
        const list = (await reviewer.client.ok(TO_REVIEW)).breakGlassToReview;
        expect(list).toEqual([{ id: accessId, childId, reason: REASON, user: { id: officer.user.id } }]);
      }
      const notified = await app.dataSource.query(
        `SELECT user_id FROM notification WHERE kind = 'BREAK_GLASS_TO_REVIEW' AND child_id = $1 ORDER BY user_id`,
        [childId],
      );
      expect(notified.map((r: any) => r.user_id).sort()).toEqual(
        [schoolDsl.user.id, policeLead.user.id, policeAdmin.user.id].sort(),
      );
    });

    it('is not listed to an agency with nothing to do with it, nor reviewable by the officer', async () => {
      const otherLead = await app.factories.signedIn({ kind: AgencyKind.SCHOOL, roles: [Role.SAFEGUARDING_LEAD] });
      expect((await otherLead.client.ok(TO_REVIEW)).breakGlassToReview).toEqual([]);
      expect(codeOf(await otherLead.client.query(REVIEW, { id: accessId, outcome: 'fine' }))).toBe('NOT_FOUND');
      expect(codeOf(await officer.client.query(REVIEW, { id: accessId, outcome: 'fine' }))).toBe('FORBIDDEN');
    });

    it("the officer's own agency answers for them but does not close the review: the school's record was opened", async () => {
      const refused = await policeAdmin.client.query(REVIEW, { id: accessId, outcome: 'Seen, justified.' });
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
      expect(refused.errors?.[0]?.message).toMatch(/agencies whose record was opened review/);
      expect((await schoolDsl.client.ok(TO_REVIEW)).breakGlassToReview).toHaveLength(1);
    });

    it("the school's review closes it, for the school and the officer's agency", async () => {
      const outcome = 'Justified: child at immediate risk, access limited to contacts.';
      const reviewed = (await schoolDsl.client.ok(REVIEW, { id: accessId, outcome })).reviewBreakGlass;
      expect(reviewed).toMatchObject({ id: accessId, reviewOutcome: outcome });
      for (const reviewer of [schoolDsl, policeLead, policeAdmin]) {
        expect((await reviewer.client.ok(TO_REVIEW)).breakGlassToReview).toEqual([]);
      }
      expect(codeOf(await schoolDsl.client.query(REVIEW, { id: accessId, outcome }))).toBe('FAILED_PRECONDITION');
    });

    it('access ends after 60 minutes', async () => {
      await app.dataSource.query(
        `UPDATE break_glass_access
            SET started_at = started_at - interval '61 minutes', expires_at = expires_at - interval '61 minutes'
          WHERE id = $1`,
        [accessId],
      );
      expect((await officer.client.ok(CHILD, { id: childId })).child).toBeNull();
    });
  });

  it('is refused to someone whose agency is already involved', async () => {
    expect(codeOf(await schoolDsl.client.query(BREAK_GLASS, { childId, reason: REASON }))).toBe('FAILED_PRECONDITION');
  });
});
