import { codeOf, SignedIn, TestAgency, TestApp } from '../libs/testing/src';
import { AgencyKind, Role } from '../src/common/enums/agencies';
import { IdentifierScheme } from '../src/common/enums/children';
import { AuditLog } from '../src/audit/log/audit-log.service';
import { Database } from '../src/database/database.service';

const RECORD = `mutation ($input: RecordConcernInput!) { recordConcern(input: $input) { id } }`;
const ASSESS = `mutation ($input: RecordRiskAssessmentInput!) { recordRiskAssessment(input: $input) { id } }`;
const GRANT = `mutation ($input: GrantAccessInput!) { grantAccess(input: $input) { id } }`;
const REGISTER = `mutation ($input: RegisterChildInput!) {
  registerChild(input: $input) { child { id } involvementRequest { id } possibleMatches { childId } }
}`;
const BREAK_GLASS = `mutation ($childId: ID!, $reason: String!) { breakGlass(childId: $childId, reason: $reason) { id } }`;
const TRAIL = `query ($childId: ID!) {
  auditTrail(childId: $childId, first: 100) {
    edges { node { action subjectType subjectId route outcome user { id } agency { id } } }
  }
}`;
const STAFF_LOG = `query ($userId: ID!) {
  staffAccessLog(userId: $userId, first: 100) { edges { node { action subjectType subjectId childId outcome } } }
}`;
const VERIFY = `{ verifyAuditChain { valid invalidSeqs } }`;

const REASON = 'Found at 2am in a trap house with an adult suspect; need known risks and contacts now.';
const DAY = 24 * 3600_000;

interface TrailEvent {
  action: string;
  subjectType: string;
  subjectId: string | null;
  route: string | null;
  outcome: string | null;
  user: { id: string } | null;
  agency: { id: string } | null;
}

function concernInput(childId: string, sensitivity: string) {
  return {
    childId,
    occurredAt: '2026-10-01T16:00:00Z',
    category: 'MISSING_FROM_HOME',
    indicators: [],
    recruitmentSetting: 'STREET',
    riskLevel: 'HIGH',
    sensitivity,
    narrative: 'Seen getting into a car with two older men after school.',
  };
}

describe('audit disclosure: every event follows its subject, and refusals and audit reads are audited', () => {
  let app: TestApp;
  let school: TestAgency;
  let police: TestAgency;
  let schoolLead: SignedIn;
  let policeLead: SignedIn;
  let healthLead: SignedIn;
  let officer: SignedIn;
  let childId: string;
  /** What each agency wrote on the child, by id. */
  const entries = { policeConcern: '', policeGrant: '', healthConcern: '', healthAssessment: '', schoolConcern: '' };

  async function trailOf(who: SignedIn, id = childId): Promise<TrailEvent[]> {
    return (await who.client.ok(TRAIL, { childId: id })).auditTrail.edges.map((edge: any) => edge.node);
  }

  beforeAll(async () => {
    app = await TestApp.start();
    school = await app.factories.agency({ kind: AgencyKind.SCHOOL });
    police = await app.factories.agency({ kind: AgencyKind.POLICE });
    const health = await app.factories.agency({ kind: AgencyKind.HEALTH });
    const otherForce = await app.factories.agency({ kind: AgencyKind.POLICE });
    schoolLead = await app.factories.signedIn({ agency: school, roles: [Role.SAFEGUARDING_LEAD] });
    policeLead = await app.factories.signedIn({ agency: police, roles: [Role.SAFEGUARDING_LEAD] });
    officer = await app.factories.signedIn({ agency: police, roles: [Role.POLICE_OFFICER] });
    healthLead = await app.factories.signedIn({ agency: health, roles: [Role.SAFEGUARDING_LEAD] });
    childId = await app.factories.children.child({ givenName: 'Noor', involved: [school, police, health] });

    entries.policeConcern = (
      await officer.client.ok(RECORD, { input: concernInput(childId, 'POLICE_RESTRICTED') })
    ).recordConcern.id;
    entries.policeGrant = (
      await policeLead.client.ok(GRANT, {
        input: {
          childId,
          granteeAgencyId: otherForce.id,
          tiers: ['STANDARD', 'POLICE_RESTRICTED'],
          lawfulBasis: 'PUBLIC_TASK',
          purpose: 'The other force holds the investigation into the same county line.',
          expiresAt: new Date(Date.now() + 7 * DAY).toISOString(),
        },
      })
    ).grantAccess.id;
    entries.healthConcern = (
      await healthLead.client.ok(RECORD, { input: concernInput(childId, 'HEALTH_CONFIDENTIAL') })
    ).recordConcern.id;
    entries.healthAssessment = (
      await healthLead.client.ok(ASSESS, {
        input: {
          childId,
          level: 'HIGH',
          exploitationTypes: ['CRIMINAL_EXPLOITATION'],
          rationale: 'Repeated injuries seen at the clinic.',
          sensitivity: 'HEALTH_CONFIDENTIAL',
        },
      })
    ).recordRiskAssessment.id;
    entries.schoolConcern = (
      await schoolLead.client.ok(RECORD, { input: concernInput(childId, 'STANDARD') })
    ).recordConcern.id;
  });
  afterAll(() => app.stop());

  describe("a child's audit trail", () => {
    it('a school lead’s trail holds no event about a police-restricted or health-confidential entry', async () => {
      const trail = await trailOf(schoolLead);
      const subjects = trail.map((event) => event.subjectId);
      for (const hidden of [
        entries.policeConcern,
        entries.policeGrant,
        entries.healthConcern,
        entries.healthAssessment,
      ]) {
        expect(subjects).not.toContain(hidden);
      }
      expect(trail.filter((event) => event.action === 'recordConcern')).toEqual([
        expect.objectContaining({ subjectId: entries.schoolConcern, user: { id: schoolLead.user.id } }),
      ]);
      expect(trail.some((event) => event.action === 'recordRiskAssessment' || event.action === 'grantAccess')).toBe(
        false,
      );
    });

    it('the police lead sees its own restricted entries, with their authors, and not health’s', async () => {
      const trail = await trailOf(policeLead);
      expect(trail).toContainEqual(
        expect.objectContaining({
          action: 'recordConcern',
          subjectId: entries.policeConcern,
          user: { id: officer.user.id },
          agency: { id: police.id },
        }),
      );
      expect(trail).toContainEqual(expect.objectContaining({ action: 'grantAccess', subjectId: entries.policeGrant }));
      expect(trail).toContainEqual(
        expect.objectContaining({ action: 'recordConcern', subjectId: entries.schoolConcern }),
      );
      const subjects = trail.map((event) => event.subjectId);
      expect(subjects).not.toContain(entries.healthConcern);
      expect(subjects).not.toContain(entries.healthAssessment);
    });

    it('the health lead sees its own confidential concern and assessment, not the police’s', async () => {
      const subjects = (await trailOf(healthLead)).map((event) => event.subjectId);
      expect(subjects).toEqual(expect.arrayContaining([entries.healthConcern, entries.healthAssessment]));
      expect(subjects).not.toContain(entries.policeConcern);
      expect(subjects).not.toContain(entries.policeGrant);
    });

    it('a school lead does not learn that the police refused another force, but sees the refusals it may know of', async () => {
      const otherForce = await app.factories.agency({ kind: AgencyKind.POLICE });
      const refuse = `mutation ($input: RefuseAccessInput!) { refuseAccess(input: $input) { id } }`;
      const reason = 'The investigation is at a stage where disclosure would prejudice it.';
      const policeRefusal = (
        await policeLead.client.ok(refuse, { input: { childId, requestingAgencyId: otherForce.id, reason } })
      ).refuseAccess.id;
      const schoolRefusal = (
        await schoolLead.client.ok(refuse, { input: { childId, requestingAgencyId: police.id, reason } })
      ).refuseAccess.id;
      const subjects = (await trailOf(schoolLead)).map((event) => event.subjectId);
      expect(subjects).not.toContain(policeRefusal);
      expect(subjects).toContain(schoolRefusal);
      expect((await trailOf(policeLead)).map((event) => event.subjectId)).toEqual(
        expect.arrayContaining([policeRefusal, schoolRefusal]),
      );
    });

    it('an event about a subject with no disclosure rule is shown to nobody', async () => {
      const audit = app.nest.get(AuditLog);
      await app.nest.get(Database).transaction(async (_manager, unit) => {
        audit.record(
          { unit, actor: null },
          { action: 'somethingNew', subjectType: 'UnheardOf', subjectId: 'x', childId },
        );
      });
      for (const lead of [schoolLead, policeLead, healthLead]) {
        expect((await trailOf(lead)).map((event) => event.action)).not.toContain('somethingNew');
      }
    });

    it('pages through the visible events only, newest first, without gaps or repeats', async () => {
      const whole = await trailOf(schoolLead);
      const seen: TrailEvent[] = [];
      let after: string | null = null;
      for (;;) {
        const page: any = (
          await schoolLead.client.ok(
            `query ($childId: ID!, $after: String) {
              auditTrail(childId: $childId, first: 2, after: $after) {
                edges { node { action subjectId } } pageInfo { hasNextPage endCursor }
              }
            }`,
            { childId, after },
          )
        ).auditTrail;
        seen.push(...page.edges.map((edge: any) => edge.node));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      // Reading `whole` was audited before the first page was read; each page's own read is newer than the cursor.
      const key = (event: { action: string; subjectId: string | null }) => `${event.action} ${event.subjectId}`;
      expect(seen.map(key)).toEqual([`auditTrail ${childId}`, ...whole.map(key)]);
      expect(seen.map((event) => event.subjectId)).not.toContain(entries.policeConcern);
    });

    it('reading the trail is itself audited, and shows in the trail', async () => {
      await trailOf(schoolLead);
      const [latest] = await trailOf(schoolLead);
      expect(latest).toMatchObject({
        action: 'auditTrail',
        subjectType: 'AuditTrail',
        subjectId: childId,
        route: 'INVOLVED',
        outcome: null,
        user: { id: schoolLead.user.id },
      });
    });
  });

  describe("a staff access log, read by an agency's admin", () => {
    let both: SignedIn;
    let policeAdmin: SignedIn;
    let schoolAdmin: SignedIn;
    let restricted: string;

    beforeAll(async () => {
      // One person serving two agencies: what they did for the police force is the force's.
      both = await app.factories.signedIn({ agency: police, roles: [Role.POLICE_OFFICER] });
      await app.factories.membership(both.user.id, school, [Role.PRACTITIONER]);
      policeAdmin = await app.factories.signedIn({ agency: police, roles: [Role.AGENCY_ADMIN] });
      schoolAdmin = await app.factories.signedIn({ agency: school, roles: [Role.AGENCY_ADMIN] });
      restricted = (await both.client.ok(RECORD, { input: concernInput(childId, 'POLICE_RESTRICTED') })).recordConcern
        .id;
      const asTeacher = await app.factories.signIn(both.user, school);
      await asTeacher.client.ok(`query ($id: ID!) { child(id: $id) { id } }`, { id: childId });
    });

    it('the school admin’s log of the person holds no event about the police-restricted entry', async () => {
      const log = (await schoolAdmin.client.ok(STAFF_LOG, { userId: both.user.id })).staffAccessLog.edges.map(
        (edge: any) => edge.node,
      );
      expect(log).toEqual([expect.objectContaining({ action: 'read', subjectType: 'Child', childId })]);
      expect(log.map((event: any) => event.subjectId)).not.toContain(restricted);
    });

    it('the police admin sees the entry its officer recorded', async () => {
      const log = (await policeAdmin.client.ok(STAFF_LOG, { userId: both.user.id })).staffAccessLog.edges.map(
        (edge: any) => edge.node,
      );
      expect(log).toContainEqual(expect.objectContaining({ action: 'recordConcern', subjectId: restricted }));
    });

    it('reading a staff access log is itself audited', async () => {
      await schoolAdmin.client.ok(STAFF_LOG, { userId: both.user.id });
      const rows = await app.dataSource.query(
        `SELECT action, subject_type, subject_id, agency_id FROM audit_event WHERE user_id = $1 ORDER BY seq DESC LIMIT 1`,
        [schoolAdmin.user.id],
      );
      expect(rows).toEqual([
        { action: 'staffAccessLog', subject_type: 'User', subject_id: both.user.id, agency_id: school.id },
      ]);
    });
  });

  describe('a refused attempt on a child record is audited although it rolls back', () => {
    it('a break-glass by someone whose role may not break glass is in the child’s trail as FORBIDDEN', async () => {
      const teacher = await app.factories.signedIn({ kind: AgencyKind.SCHOOL, roles: [Role.PRACTITIONER] });
      expect(codeOf(await teacher.client.query(BREAK_GLASS, { childId, reason: REASON }))).toBe('FORBIDDEN');
      expect(await trailOf(schoolLead)).toContainEqual(
        expect.objectContaining({
          action: 'breakGlass',
          subjectType: 'BreakGlassAccess',
          subjectId: null,
          route: null,
          outcome: 'FORBIDDEN',
          user: { id: teacher.user.id },
          agency: { id: teacher.agency!.id },
        }),
      );
      const opened = await app.dataSource.query(`SELECT 1 FROM break_glass_access WHERE user_id = $1`, [
        teacher.user.id,
      ]);
      expect(opened).toEqual([]);
    });

    it('a break-glass without a proper reason is in the trail as BAD_USER_INPUT, for every involved agency', async () => {
      const stranger = await app.factories.signedIn({ kind: AgencyKind.POLICE, roles: [Role.POLICE_OFFICER] });
      const res = await stranger.client.query(BREAK_GLASS, { childId, reason: 'urgent' });
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
      for (const lead of [schoolLead, healthLead, policeLead]) {
        expect(await trailOf(lead)).toContainEqual(
          expect.objectContaining({ action: 'breakGlass', outcome: 'BAD_USER_INPUT', user: { id: stranger.user.id } }),
        );
      }
    });

    it('a break-glass on a child that does not exist leaves nothing, as there is no record it touched', async () => {
      const teacher = await app.factories.signedIn({ kind: AgencyKind.SCHOOL, roles: [Role.PRACTITIONER] });
      const missing = '00000000-0000-4000-8000-000000000000';
      expect(codeOf(await teacher.client.query(BREAK_GLASS, { childId: missing, reason: REASON }))).toBe('FORBIDDEN');
      expect(await app.dataSource.query(`SELECT 1 FROM audit_event WHERE user_id = $1`, [teacher.user.id])).toEqual([]);
    });

    it('a registration whose identifiers match two children is in both children’s trails as CONFLICT', async () => {
      const otherChild = await app.factories.children.child({ givenName: 'Ola', involved: [school] });
      await app.factories.children.identifier(childId, IdentifierScheme.LOCAL_AUTHORITY, 'LA-DISC-1', school);
      await app.factories.children.identifier(otherChild, IdentifierScheme.LOCAL_AUTHORITY, 'LA-DISC-2', school);
      const registrant = await app.factories.signedIn({ kind: AgencyKind.SCHOOL, roles: [Role.PRACTITIONER] });
      const res = await registrant.client.query(REGISTER, {
        input: {
          givenName: 'Made',
          familyName: 'Up',
          basis: 'PUPIL',
          identifiers: [
            { scheme: 'LOCAL_AUTHORITY', value: 'LA-DISC-1' },
            { scheme: 'LOCAL_AUTHORITY', value: 'LA-DISC-2' },
          ],
        },
      });
      expect(codeOf(res)).toBe('CONFLICT');
      // Refused before anything is filed: neither child's agencies are asked.
      expect(
        await app.dataSource.query(`SELECT 1 FROM involvement_request WHERE requesting_agency_id = $1`, [
          registrant.agency!.id,
        ]),
      ).toEqual([]);
      for (const id of [childId, otherChild]) {
        expect(await trailOf(schoolLead, id)).toContainEqual(
          expect.objectContaining({
            action: 'registerChild',
            subjectType: 'Child',
            subjectId: id,
            outcome: 'CONFLICT',
            user: { id: registrant.user.id },
          }),
        );
      }
    });

    it('the refusal’s outcome is sealed by the chain like the rest of the event', async () => {
      const platformAdmin = await app.factories.platformAdmin();
      expect((await platformAdmin.client.ok(VERIFY)).verifyAuditChain).toEqual({ valid: true, invalidSeqs: [] });
      // The same event with its outcome taken away no longer matches its hash.
      const [{ intact }] = await app.ownerQuery(
        `SELECT audit_event_digest(jsonb_populate_record(e, '{"outcome": null}')) = e.hash AS intact
           FROM audit_event e WHERE outcome IS NOT NULL LIMIT 1`,
      );
      expect(intact).toBe(false);
    });
  });
});
