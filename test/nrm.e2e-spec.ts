import { AgencyKind, Role } from '../src/common/enums/agencies';
import { codeOf, SignedIn, TestAgency, TestApp } from '../libs/testing/src';

const REFER = `mutation Refer($input: ReferToNrmInput!) {
  referToNrm(input: $input) {
    id referredOn exploitationTypes reasonableGrounds reasonableGroundsOn conclusiveGrounds conclusiveGroundsOn
    child { id } referringAgency { id } referredBy { id }
  }
}`;

const DECIDE = `mutation Decide($input: RecordNrmDecisionInput!) {
  recordNrmDecision(input: $input) { id reasonableGrounds reasonableGroundsOn conclusiveGrounds conclusiveGroundsOn }
}`;

const REFERRALS = `query Referrals($id: ID!) {
  child(id: $id) { flags nrmReferrals { id reasonableGrounds conclusiveGrounds referringAgency { id } } }
}`;

const DAY = 24 * 3600_000;
/** A day relative to today, as YYYY-MM-DD in England (the same as UTC here but for an hour around midnight). */
const day = (offset: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date(Date.now() + offset * DAY));

describe('NRM referrals', () => {
  let app: TestApp;
  let police: TestAgency;
  let socialCare: TestAgency;
  let school: TestAgency;
  let charity: TestAgency;
  let prosecution: TestAgency;
  let officer: SignedIn;
  let socialWorker: SignedIn;
  let dsl: SignedIn;
  let charityWorker: SignedIn;
  let prosecutor: SignedIn;

  const refer = (who: SignedIn, childId: string, overrides: Record<string, unknown> = {}) =>
    who.client.query(REFER, {
      input: { childId, referredOn: day(-10), exploitationTypes: ['COUNTY_LINES'], ...overrides },
    });

  async function referral(who: SignedIn, childId: string): Promise<string> {
    const result = await refer(who, childId);
    if (!result.data) throw new Error(JSON.stringify(result.errors));
    return result.data.referToNrm.id;
  }

  const decide = (who: SignedIn, referralId: string, stage: string, decision: string, decidedOn = day(-2)) =>
    who.client.query(DECIDE, { input: { referralId, stage, decision, decidedOn } });

  const flagsOf = async (who: SignedIn, childId: string): Promise<string[]> =>
    (await who.client.ok(REFERRALS, { id: childId })).child.flags;

  beforeAll(async () => {
    app = await TestApp.start();
    const f = app.factories;
    [police, socialCare, school, charity, prosecution] = await Promise.all([
      f.agency({ kind: AgencyKind.POLICE }),
      f.agency({ kind: AgencyKind.CHILDRENS_SOCIAL_CARE }),
      f.agency({ kind: AgencyKind.SCHOOL }),
      f.agency({ kind: AgencyKind.VOLUNTARY, firstResponder: true }),
      f.agency({ kind: AgencyKind.PROSECUTION }),
    ]);
    officer = await f.signedIn({ agency: police, roles: [Role.POLICE_OFFICER] });
    socialWorker = await f.signedIn({ agency: socialCare, roles: [Role.SOCIAL_WORKER] });
    dsl = await f.signedIn({ agency: school, roles: [Role.SAFEGUARDING_LEAD] });
    charityWorker = await f.signedIn({ agency: charity, roles: [Role.PRACTITIONER] });
    prosecutor = await f.signedIn({ agency: prosecution, roles: [Role.PROSECUTOR] });
  });
  afterAll(() => app.stop());

  describe('referring', () => {
    it('a police officer of a police force refers a child it is involved with, and no consent is asked', async () => {
      const kai = await app.factories.children.child({ involved: [police, school] });
      const result = await refer(officer, kai, { exploitationTypes: ['COUNTY_LINES', 'CRIMINAL_EXPLOITATION'] });
      expect(result.errors).toBeUndefined();
      expect(result.data!.referToNrm).toMatchObject({
        referredOn: day(-10),
        exploitationTypes: ['COUNTY_LINES', 'CRIMINAL_EXPLOITATION'],
        reasonableGrounds: 'PENDING',
        reasonableGroundsOn: null,
        conclusiveGrounds: 'PENDING',
        conclusiveGroundsOn: null,
        child: { id: kai },
        referringAgency: { id: police.id },
        referredBy: { id: officer.user.id },
      });
      const [event] = await app.dataSource.query(
        `SELECT action, subject_type, subject_id, route, user_id FROM audit_event
          WHERE child_id = $1 AND action = 'referToNrm'`,
        [kai],
      );
      expect(event).toMatchObject({
        subject_type: 'NrmReferral',
        subject_id: result.data!.referToNrm.id,
        route: 'INVOLVED',
        user_id: officer.user.id,
      });
    });

    it('a social worker of children’s social care and a worker of a charity flagged first responder refer', async () => {
      const kai = await app.factories.children.child({ involved: [socialCare, charity] });
      expect((await refer(socialWorker, kai)).errors).toBeUndefined();
      expect((await refer(charityWorker, kai)).errors).toBeUndefined();
    });

    it('a school DSL is no first responder: FORBIDDEN, though the school is involved', async () => {
      const kai = await app.factories.children.child({ involved: [school] });
      const result = await refer(dsl, kai);
      expect(codeOf(result)).toBe('FORBIDDEN');
      expect(await app.dataSource.query(`SELECT 1 FROM nrm_referral WHERE child_id = $1`, [kai])).toEqual([]);
    });

    it('a prosecutor, or a social worker of a school, cannot refer', async () => {
      const kai = await app.factories.children.child({ involved: [school, prosecution] });
      const schoolSocialWorker = await app.factories.signedIn({ agency: school, roles: [Role.SOCIAL_WORKER] });
      expect(codeOf(await refer(schoolSocialWorker, kai))).toBe('FORBIDDEN');
      expect(codeOf(await refer(prosecutor, kai))).toBe('FORBIDDEN');
    });

    it('a child the first responder does not reach is NOT_FOUND', async () => {
      const stranger = await app.factories.children.child({ involved: [school] });
      expect(codeOf(await refer(officer, stranger))).toBe('NOT_FOUND');
    });

    it('a first responder lent the record by a grant cannot refer through it; under break-glass it can', async () => {
      const kai = await app.factories.children.child({ involved: [school] });
      await app.factories.sharing.grant({ childId: kai, from: school, by: dsl.user, to: socialCare });
      const granted = await refer(socialWorker, kai);
      expect(codeOf(granted)).toBe('FORBIDDEN');
      expect(granted.errors![0].message).toContain('GRANTED');

      await app.factories.sharing.breakGlass({ childId: kai, user: officer.user, agency: police });
      expect((await refer(officer, kai)).errors).toBeUndefined();
      const [event] = await app.dataSource.query(
        `SELECT route, break_glass FROM audit_event WHERE child_id = $1 AND action = 'referToNrm'`,
        [kai],
      );
      expect(event).toEqual({ route: 'BREAK_GLASS', break_glass: true });
    });

    it('refuses a referral dated in the future, naming input.referredOn', async () => {
      const kai = await app.factories.children.child({ involved: [police] });
      const result = await refer(officer, kai, { referredOn: day(2) });
      expect(codeOf(result)).toBe('BAD_USER_INPUT');
      expect(result.errors![0].extensions!.field).toBe('input.referredOn');
    });

    it('refuses a referral that names no exploitation', async () => {
      const kai = await app.factories.children.child({ involved: [police] });
      expect(codeOf(await refer(officer, kai, { exploitationTypes: [] }))).toBe('BAD_USER_INPUT');
    });
  });

  describe('the Single Competent Authority’s decisions', () => {
    it('Reasonable Grounds first: Conclusive Grounds before it is refused', async () => {
      const kai = await app.factories.children.child({ involved: [police] });
      const id = await referral(officer, kai);
      const early = await decide(officer, id, 'CONCLUSIVE_GROUNDS', 'POSITIVE');
      expect(codeOf(early)).toBe('FAILED_PRECONDITION');
      expect(early.errors![0].message).toContain('only after a positive Reasonable Grounds decision');
      expect(await flagsOf(officer, kai)).toEqual([]);
    });

    it('a positive Reasonable Grounds sets the flag; a positive Conclusive Grounds after it sets the other', async () => {
      const kai = await app.factories.children.child({ involved: [police, school] });
      const id = await referral(officer, kai);
      const rg = await decide(officer, id, 'REASONABLE_GROUNDS', 'POSITIVE', day(-5));
      expect(rg.data!.recordNrmDecision).toMatchObject({
        reasonableGrounds: 'POSITIVE',
        reasonableGroundsOn: day(-5),
        conclusiveGrounds: 'PENDING',
      });
      expect(await flagsOf(dsl, kai)).toEqual(['NRM_POSITIVE_REASONABLE_GROUNDS']);

      const cg = await decide(officer, id, 'CONCLUSIVE_GROUNDS', 'POSITIVE', day(-1));
      expect(cg.data!.recordNrmDecision).toMatchObject({ conclusiveGrounds: 'POSITIVE', conclusiveGroundsOn: day(-1) });
      expect((await flagsOf(dsl, kai)).sort()).toEqual([
        'NRM_POSITIVE_CONCLUSIVE_GROUNDS',
        'NRM_POSITIVE_REASONABLE_GROUNDS',
      ]);
      const actions = await app.dataSource.query(
        `SELECT action FROM audit_event WHERE child_id = $1 AND action = 'recordNrmDecision'`,
        [kai],
      );
      expect(actions).toHaveLength(2);
    });

    it('a negative Conclusive Grounds overturns the Reasonable Grounds flag; other flags stay', async () => {
      const kai = await app.factories.children.child({ involved: [police] });
      await app.dataSource.query(`UPDATE child SET flags = '{UNDER_CHILD_PROTECTION_PLAN}' WHERE id = $1`, [kai]);
      const id = await referral(officer, kai);
      await decide(officer, id, 'REASONABLE_GROUNDS', 'POSITIVE', day(-5));
      expect((await flagsOf(officer, kai)).sort()).toEqual([
        'NRM_POSITIVE_REASONABLE_GROUNDS',
        'UNDER_CHILD_PROTECTION_PLAN',
      ]);
      expect((await decide(officer, id, 'CONCLUSIVE_GROUNDS', 'NEGATIVE', day(-1))).errors).toBeUndefined();
      expect(await flagsOf(officer, kai)).toEqual(['UNDER_CHILD_PROTECTION_PLAN']);
    });

    it('a negative Reasonable Grounds ends the referral: no flag, and no Conclusive Grounds', async () => {
      const kai = await app.factories.children.child({ involved: [police] });
      const id = await referral(officer, kai);
      await decide(officer, id, 'REASONABLE_GROUNDS', 'NEGATIVE');
      expect(await flagsOf(officer, kai)).toEqual([]);
      expect(codeOf(await decide(officer, id, 'CONCLUSIVE_GROUNDS', 'POSITIVE'))).toBe('FAILED_PRECONDITION');
    });

    it('each stage is decided once', async () => {
      const kai = await app.factories.children.child({ involved: [police] });
      const id = await referral(officer, kai);
      await decide(officer, id, 'REASONABLE_GROUNDS', 'POSITIVE');
      expect(codeOf(await decide(officer, id, 'REASONABLE_GROUNDS', 'NEGATIVE'))).toBe('FAILED_PRECONDITION');
    });

    it('refuses a decision dated before the referral, in the future, or a Conclusive Grounds before its Reasonable Grounds', async () => {
      const kai = await app.factories.children.child({ involved: [police] });
      const id = await referral(officer, kai);
      for (const decidedOn of [day(-11), day(3)]) {
        const result = await decide(officer, id, 'REASONABLE_GROUNDS', 'POSITIVE', decidedOn);
        expect(codeOf(result)).toBe('BAD_USER_INPUT');
        expect(result.errors![0].extensions!.field).toBe('input.decidedOn');
      }
      await decide(officer, id, 'REASONABLE_GROUNDS', 'POSITIVE', day(-5));
      const beforeRg = await decide(officer, id, 'CONCLUSIVE_GROUNDS', 'POSITIVE', day(-6));
      expect(codeOf(beforeRg)).toBe('BAD_USER_INPUT');
      expect(beforeRg.errors![0].extensions!.field).toBe('input.decidedOn');
    });

    it('PENDING is not a decision', async () => {
      const kai = await app.factories.children.child({ involved: [police] });
      const id = await referral(officer, kai);
      const result = await decide(officer, id, 'REASONABLE_GROUNDS', 'PENDING');
      expect(result.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.decision' });
    });

    it('only the referring agency records them: another first responder involved with the child is FORBIDDEN', async () => {
      const kai = await app.factories.children.child({ involved: [police, socialCare] });
      const id = await referral(officer, kai);
      expect(codeOf(await decide(socialWorker, id, 'REASONABLE_GROUNDS', 'POSITIVE'))).toBe('FORBIDDEN');
    });

    it('a referral the actor does not see is NOT_FOUND', async () => {
      const kai = await app.factories.children.child({ involved: [police] });
      const id = await referral(officer, kai);
      expect(codeOf(await decide(socialWorker, id, 'REASONABLE_GROUNDS', 'POSITIVE'))).toBe('NOT_FOUND');
    });

    it('two people recording the same decision at once: exactly one wins, the other is a CONFLICT', async () => {
      const kai = await app.factories.children.child({ involved: [police] });
      const id = await referral(officer, kai);
      const colleague = await app.factories.signedIn({ agency: police, roles: [Role.POLICE_OFFICER] });
      // The first holds the row lock until it commits; the second's compare-and-set then finds the stage decided.
      await app.ownerQuery(`CREATE OR REPLACE FUNCTION nrm_test_slow() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN PERFORM pg_sleep(0.3); RETURN NEW; END $$`);
      await app.ownerQuery(
        `CREATE TRIGGER nrm_test_slow BEFORE UPDATE ON nrm_referral FOR EACH ROW EXECUTE FUNCTION nrm_test_slow()`,
      );
      try {
        const results = await Promise.all([
          decide(officer, id, 'REASONABLE_GROUNDS', 'POSITIVE'),
          decide(colleague, id, 'REASONABLE_GROUNDS', 'NEGATIVE'),
        ]);
        const codes = results.map((result) => codeOf(result) ?? 'OK').sort();
        expect(['CONFLICT,OK', 'FAILED_PRECONDITION,OK']).toContain(codes.join(','));
        const [row] = await app.dataSource.query(`SELECT reasonable_grounds FROM nrm_referral WHERE id = $1`, [id]);
        const winner = results.findIndex((result) => !result.errors);
        expect(row.reasonable_grounds).toBe(winner === 0 ? 'POSITIVE' : 'NEGATIVE');
      } finally {
        await app.ownerQuery(`DROP TRIGGER nrm_test_slow ON nrm_referral`);
        await app.ownerQuery(`DROP FUNCTION nrm_test_slow()`);
      }
    });
  });

  describe('who sees the referrals', () => {
    it('every agency involved with the child sees them, and its flags; the read is audited', async () => {
      const kai = await app.factories.children.child({ involved: [police, school] });
      const id = await referral(officer, kai);
      await decide(officer, id, 'REASONABLE_GROUNDS', 'POSITIVE');
      const seen = (await dsl.client.ok(REFERRALS, { id: kai })).child;
      expect(seen.nrmReferrals).toEqual([
        { id, reasonableGrounds: 'POSITIVE', conclusiveGrounds: 'PENDING', referringAgency: { id: police.id } },
      ]);
      const reads = await app.dataSource.query(
        `SELECT route FROM audit_event WHERE child_id = $1 AND action = 'read' AND user_id = $2`,
        [kai, dsl.user.id],
      );
      expect(reads).toEqual([{ route: 'INVOLVED' }]);
    });

    it('through a grant, a school does not learn of a police referral, but sees the flag; a social care referral it sees', async () => {
      const kai = await app.factories.children.child({ involved: [police, socialCare] });
      const byPolice = await referral(officer, kai);
      await decide(officer, byPolice, 'REASONABLE_GROUNDS', 'POSITIVE');
      const bySocialCare = await referral(socialWorker, kai);
      await app.factories.sharing.grant({ childId: kai, from: socialCare, by: socialWorker.user, to: school });
      const seen = (await dsl.client.ok(REFERRALS, { id: kai })).child;
      expect(seen.flags).toEqual(['NRM_POSITIVE_REASONABLE_GROUNDS']);
      expect(seen.nrmReferrals.map((r: { id: string }) => r.id)).toEqual([bySocialCare]);
    });

    it('a prosecutor sees the NRM status by any route, and the police referral itself once involved', async () => {
      const kai = await app.factories.children.child({ involved: [police] });
      const id = await referral(officer, kai);
      await decide(officer, id, 'REASONABLE_GROUNDS', 'POSITIVE');
      await app.factories.sharing.grant({ childId: kai, from: police, by: officer.user, to: prosecution });
      const granted = (await prosecutor.client.ok(REFERRALS, { id: kai })).child;
      expect(granted).toMatchObject({ flags: ['NRM_POSITIVE_REASONABLE_GROUNDS'], nrmReferrals: [] });

      await app.factories.children.involvement(kai, prosecution);
      const involved = (await prosecutor.client.ok(REFERRALS, { id: kai })).child;
      expect(involved.nrmReferrals.map((r: { id: string }) => r.id)).toEqual([id]);
    });

    it('nobody who does not reach the child sees them', async () => {
      const kai = await app.factories.children.child({ involved: [police] });
      await referral(officer, kai);
      expect((await dsl.client.ok(REFERRALS, { id: kai })).child).toBeNull();
    });
  });
});
