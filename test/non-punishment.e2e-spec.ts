import { codeOf, SignedIn, TestAgency, TestApp } from '../libs/testing/src';
import { addWorkingDays, dateInEnglandAndWales } from '../libs/working-days/src';
import { AgencyKind, Role } from '../src/common/enums/agencies';
import { Sensitivity } from '../src/common/enums/chronology';

const RECORD_CONCERN = `mutation ($input: RecordConcernInput!) { recordConcern(input: $input) { id sensitivity } }`;
const CONVENE = `mutation ($input: ConveneConferenceInput!) { conveneConference(input: $input) { id } }`;
const INVITATIONS = `query { conferenceInvitations(response: PENDING) { id conferenceId } }`;
const RESPOND = `mutation ($id: ID!) { respondToInvitation(invitationId: $id, response: ACCEPTED) { id } }`;
const START = `mutation ($id: ID!, $attendance: [AttendanceInput!]!) {
  startConference(id: $id, attendance: $attendance) { id version }
}`;
const DECIDE = `mutation ($input: DecideConferenceInput!) { decideConference(input: $input) { id decision { recommendation } } }`;
const REFER = `mutation ($input: ReferToNrmInput!) { referToNrm(input: $input) { id } }`;
const NRM_DECISION = `mutation ($input: RecordNrmDecisionInput!) { recordNrmDecision(input: $input) { id reasonableGrounds } }`;
const ASSESSMENT_FIELDS = `id offence offenceDate outcome decidedAt conferenceRecommendation section45Limb superseded
  decidedBy { id } child { id }
  scheduleFourOffence reasonToBelieveVictim reasonToBelieveBasis duressEvidence section45DefenceAvailable
  publicInterestRationale`;
const ASSESS = `mutation ($input: NonPunishmentAssessmentInput!) {
  recordNonPunishmentAssessment(input: $input) { ${ASSESSMENT_FIELDS} }
}`;
const ASSESSMENTS = `query ($id: ID!) { child(id: $id) { nonPunishmentAssessments { ${ASSESSMENT_FIELDS} } } }`;

const DAY = 86_400_000;
const day = (offset: number) => dateInEnglandAndWales(new Date(Date.now() + offset * DAY));

describe('the non-punishment assessment', () => {
  let app: TestApp;
  let school: TestAgency;
  let police: TestAgency;
  let prosecution: TestAgency;
  let chair: SignedIn;
  let dsl: SignedIn;
  let youthWorker: SignedIn;
  let officer: SignedIn;
  let prosecutor: SignedIn;

  /** A child whose record the police lend the prosecution agency, for the charging decision. */
  async function suspect(details: { dateOfBirth?: string | null } = {}): Promise<string> {
    const childId = await app.factories.children.child({
      dateOfBirth: '2013-05-09',
      ...details,
      involved: [school, police],
    });
    await app.factories.sharing.grant({
      childId,
      from: police,
      by: officer.user,
      to: prosecution,
      tiers: [Sensitivity.STANDARD, Sensitivity.POLICE_RESTRICTED],
      purpose: 'Charging decision: possession with intent to supply.',
    });
    return childId;
  }

  const assessment = (childId: string, overrides: Record<string, unknown> = {}) => ({
    input: {
      childId,
      offence: 'Possession of a controlled drug (class B) with intent to supply',
      offenceDate: day(-30),
      scheduleFourOffence: false,
      reasonToBelieveVictim: true,
      reasonToBelieveBasis: 'NRM Reasonable Grounds positive; the conference recommended victim protection.',
      duressEvidence: false,
      section45DefenceAvailable: true,
      publicInterestRationale: 'Not reached: the section 45 defence is evidenced.',
      outcome: 'NO_PROSECUTION',
      ...overrides,
    },
  });

  beforeAll(async () => {
    app = await TestApp.start();
    const f = app.factories;
    const csc = await f.agency({ kind: AgencyKind.CHILDRENS_SOCIAL_CARE });
    [school, police, prosecution] = await Promise.all([
      f.agency({ kind: AgencyKind.SCHOOL }),
      f.agency({ kind: AgencyKind.POLICE }),
      f.agency({ kind: AgencyKind.PROSECUTION }),
    ]);
    chair = await f.signedIn({ agency: csc, roles: [Role.CONFERENCE_CHAIR] });
    dsl = await f.signedIn({ agency: school, roles: [Role.SAFEGUARDING_LEAD] });
    youthWorker = await f.signedIn({ kind: AgencyKind.YOUTH_SERVICE, roles: [Role.PRACTITIONER] });
    officer = await f.signedIn({ agency: police, roles: [Role.POLICE_OFFICER] });
    prosecutor = await f.signedIn({ agency: prosecution, roles: [Role.PROSECUTOR] });
  });
  afterAll(() => app.stop());

  it('walks Kai’s story: a victim first, recognised before anyone decides to prosecute him', async () => {
    const kai = await app.factories.children.child({
      givenName: 'Kai',
      familyName: 'Story',
      dateOfBirth: '2013-05-09',
      involved: [school, youthWorker.agency!, police, chair.agency!],
    });
    const concern = (who: SignedIn, overrides: Record<string, unknown>) =>
      who.client.ok(RECORD_CONCERN, {
        input: {
          childId: kai,
          occurredAt: new Date(Date.now() - 40 * DAY).toISOString(),
          sensitivity: 'STANDARD',
          ...overrides,
        },
      });
    await concern(dsl, {
      category: 'CRIMINAL_EXPLOITATION',
      indicators: ['UNEXPLAINED_MONEY_OR_GOODS', 'MULTIPLE_PHONES', 'OLDER_OR_CONTROLLING_ASSOCIATES'],
      recruitmentSetting: 'SECONDARY_SCHOOL',
      riskLevel: 'MEDIUM',
      narrative: 'New trainers and a second phone; waits at the gate for older boys.',
    });
    await concern(youthWorker, {
      category: 'MISSING_FROM_HOME',
      indicators: ['MISSING_EPISODE', 'UNUSUAL_TRAVEL'],
      recruitmentSetting: 'STREET',
      riskLevel: 'HIGH',
      narrative: 'Two missing weekends and a train ticket to a coastal town.',
    });
    const arrest = await concern(officer, {
      category: 'COUNTY_LINES',
      indicators: ['DRUGS_OR_PARAPHERNALIA', 'FOUND_OUT_OF_AREA'],
      recruitmentSetting: 'STREET',
      riskLevel: 'HIGH',
      sensitivity: 'POLICE_RESTRICTED',
      narrative: 'Stopped 80 miles away with wraps of cannabis and cash; the phone is a line phone.',
    });
    expect(arrest.recordConcern.sensitivity).toBe('POLICE_RESTRICTED');

    // The initial conference, with the school, the youth service, the police and the prosecution invited.
    const invitees = [dsl, youthWorker, officer, prosecutor];
    const { conveneConference } = await chair.client.ok(CONVENE, {
      input: {
        childId: kai,
        kind: 'INITIAL_CHILD_PROTECTION',
        scheduledFor: new Date(Date.now() + 2 * DAY).toISOString(),
        chairId: chair.user.id,
        invitedAgencyIds: invitees.map((person) => person.agency!.id),
        strategyDiscussionOn: addWorkingDays(day(0), -3),
      },
    });
    for (const person of invitees) {
      const { conferenceInvitations } = await person.client.ok(INVITATIONS);
      const invitation = conferenceInvitations.find((i: any) => i.conferenceId === conveneConference.id);
      await person.client.ok(RESPOND, { id: invitation.id });
    }
    const { startConference } = await chair.client.ok(START, {
      id: conveneConference.id,
      attendance: [chair, dsl, youthWorker, officer].map((person) => ({ userId: person.user.id, present: true })),
    });
    const { decideConference } = await chair.client.ok(DECIDE, {
      input: {
        conferenceId: startConference.id,
        version: startConference.version,
        recommendation: 'VICTIM_PROTECTION',
        rationale: 'A 13-year-old drawn into a county line with drugs as payment: a victim of exploitation first.',
        actions: [],
      },
    });
    expect(decideConference.decision.recommendation).toBe('VICTIM_PROTECTION');

    // The police refer Kai to the NRM; Reasonable Grounds positive.
    const { referToNrm } = await officer.client.ok(REFER, {
      input: { childId: kai, referredOn: day(-16), exploitationTypes: ['COUNTY_LINES', 'CRIMINAL_EXPLOITATION'] },
    });
    const reasonableGroundsOn = day(-2);
    await officer.client.ok(NRM_DECISION, {
      input: {
        referralId: referToNrm.id,
        stage: 'REASONABLE_GROUNDS',
        decision: 'POSITIVE',
        decidedOn: reasonableGroundsOn,
      },
    });

    // The police lend the CPS the file for the charging decision.
    await app.factories.sharing.grant({
      childId: kai,
      from: police,
      by: officer.user,
      to: prosecution,
      tiers: [Sensitivity.STANDARD, Sensitivity.POLICE_RESTRICTED],
      purpose: 'Charging decision: possession with intent to supply.',
    });

    const refused = await prosecutor.client.query(
      ASSESS,
      assessment(kai, {
        reasonToBelieveVictim: false,
        reasonToBelieveBasis: 'He was found with the drugs and the cash.',
        section45DefenceAvailable: false,
        publicInterestRationale: 'Serious offending.',
        outcome: 'PROSECUTE',
      }),
    );
    expect(codeOf(refused)).toBe('BAD_USER_INPUT');
    expect(refused.errors![0].extensions!.field).toBe('input.reasonToBelieveVictim');
    expect(refused.errors![0].message).toContain('Stage 1');
    expect(refused.errors![0].message).toContain(`positive NRM Reasonable Grounds decision of ${reasonableGroundsOn}`);
    expect(refused.errors![0].message).toContain(
      `VICTIM_PROTECTION recommendation of the conference decided on ${day(0)}`,
    );

    const { recordNonPunishmentAssessment: recorded } = await prosecutor.client.ok(ASSESS, assessment(kai));
    expect(recorded).toMatchObject({
      outcome: 'NO_PROSECUTION',
      section45Limb: 'CHILD',
      conferenceRecommendation: 'VICTIM_PROTECTION',
      superseded: false,
      reasonToBelieveVictim: true,
      section45DefenceAvailable: true,
      decidedBy: { id: prosecutor.user.id },
    });

    // The school sees the outcome and its date, not the reasoning, and was told of the outcome.
    const [seenBySchool] = (await dsl.client.ok(ASSESSMENTS, { id: kai })).child.nonPunishmentAssessments;
    expect(seenBySchool).toMatchObject({
      id: recorded.id,
      outcome: 'NO_PROSECUTION',
      decidedAt: recorded.decidedAt,
      scheduleFourOffence: null,
      reasonToBelieveVictim: null,
      reasonToBelieveBasis: null,
      duressEvidence: null,
      section45DefenceAvailable: null,
      publicInterestRationale: null,
    });
    const notified = async (who: SignedIn) =>
      (
        await app.dataSource.query(
          `SELECT message FROM notification WHERE user_id = $1 AND child_id = $2 AND kind = 'NON_PUNISHMENT_OUTCOME'`,
          [who.user.id, kai],
        )
      ).map((n: { message: string }) => n.message);
    expect(await notified(dsl)).toEqual([expect.stringContaining('NO_PROSECUTION')]);
    expect((await notified(dsl))[0]).not.toContain('section 45');
    expect(await notified(chair)).toHaveLength(1);
    expect(await notified(youthWorker)).toHaveLength(1);
    expect(await notified(prosecutor)).toEqual([]);

    // The prosecutor reads the reasoning; the record and the read are on the trail.
    const [seenByProsecutor] = (await prosecutor.client.ok(ASSESSMENTS, { id: kai })).child.nonPunishmentAssessments;
    expect(seenByProsecutor.publicInterestRationale).toBe('Not reached: the section 45 defence is evidenced.');
    const events = await app.dataSource.query(
      `SELECT action, subject_type, route FROM audit_event WHERE child_id = $1 AND user_id = $2 ORDER BY seq`,
      [kai, prosecutor.user.id],
    );
    expect(events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'recordNonPunishmentAssessment',
          subject_type: 'NonPunishmentAssessment',
          route: 'GRANTED',
        }),
        expect.objectContaining({ subject_type: 'Child', route: 'GRANTED' }),
      ]),
    );
  });

  it('gives the child limb to a 17-year-old on the offence date who is 18 today', async () => {
    const eighteenYearsAgo = new Date();
    eighteenYearsAgo.setUTCFullYear(eighteenYearsAgo.getUTCFullYear() - 18);
    const dateOfBirth = dateInEnglandAndWales(new Date(eighteenYearsAgo.getTime() - 10 * DAY));
    const childId = await suspect({ dateOfBirth });
    const { recordNonPunishmentAssessment } = await prosecutor.client.ok(
      ASSESS,
      assessment(childId, { offenceDate: day(-20) }),
    );
    expect(recordNonPunishmentAssessment.section45Limb).toBe('CHILD');
    const { recordNonPunishmentAssessment: adult } = await prosecutor.client.ok(
      ASSESS,
      assessment(childId, { offenceDate: day(-5) }),
    );
    expect(adult.section45Limb).toBe('ADULT');
    const history = (await prosecutor.client.ok(ASSESSMENTS, { id: childId })).child.nonPunishmentAssessments;
    expect(history.map((a: any) => [a.section45Limb, a.superseded])).toEqual([
      ['CHILD', true],
      ['ADULT', false],
    ]);
  });

  it('refuses the s45 defence for a Schedule 4 offence, at stage 3', async () => {
    const childId = await suspect();
    const result = await prosecutor.client.query(
      ASSESS,
      assessment(childId, { offence: 'Robbery', scheduleFourOffence: true }),
    );
    expect(codeOf(result)).toBe('BAD_USER_INPUT');
    expect(result.errors![0].extensions!.field).toBe('input.section45DefenceAvailable');
    expect(result.errors![0].message).toMatch(/^Stage 3 .*Schedule 4/);
  });

  it('refuses PROSECUTE when duress or the s45 defence is evidenced', async () => {
    const childId = await suspect();
    const duress = await prosecutor.client.query(
      ASSESS,
      assessment(childId, { duressEvidence: true, section45DefenceAvailable: false, outcome: 'PROSECUTE' }),
    );
    expect(duress.errors![0].message).toMatch(/^Stage 2 /);
    const s45 = await prosecutor.client.query(ASSESS, assessment(childId, { outcome: 'PROSECUTE' }));
    expect(s45.errors![0].message).toMatch(/^Stage 3 .*child limb, s45\(4\)/);
    expect(s45.errors![0].extensions!.field).toBe('input.outcome');
  });

  it('asks a prosecution of a possible victim for a paragraph that engages with the victim status', async () => {
    const childId = await suspect();
    const prosecute = { section45DefenceAvailable: false, outcome: 'PROSECUTE' };
    const word = await prosecutor.client.query(
      ASSESS,
      assessment(childId, { ...prosecute, publicInterestRationale: 'Serious.' }),
    );
    expect(codeOf(word)).toBe('BAD_USER_INPUT');
    expect(word.errors![0].message).toMatch(/^Stage 4 .*at least 40 words \(this has 1\)/);
    const paragraph =
      'Although there is reason to believe he is a victim of criminal exploitation, the offending involved ' +
      'a loaded weapon carried for his own ends, there is no evidence linking the supply to those who exploit him, ' +
      'and he has continued to supply after being safeguarded twice; the risk to other children outweighs the ' +
      'weight his victim status carries against prosecution, which we have considered carefully.';
    const { recordNonPunishmentAssessment } = await prosecutor.client.ok(
      ASSESS,
      assessment(childId, { ...prosecute, publicInterestRationale: paragraph }),
    );
    expect(recordNonPunishmentAssessment.outcome).toBe('PROSECUTE');
  });

  it('defers for the NRM only with a referral awaiting a decision, or one asked for', async () => {
    const childId = await suspect();
    const defer = { section45DefenceAvailable: false, outcome: 'DEFER_PENDING_NRM' };
    const none = await prosecutor.client.query(ASSESS, assessment(childId, defer));
    expect(none.errors![0].message).toMatch(/^Outcome DEFER_PENDING_NRM: .*no referral awaiting/);
    expect(
      (await prosecutor.client.query(ASSESS, assessment(childId, { ...defer, nrmReferralIntended: true }))).errors,
    ).toBeUndefined();
    await officer.client.ok(REFER, { input: { childId, referredOn: day(-1), exploitationTypes: ['COUNTY_LINES'] } });
    expect((await prosecutor.client.query(ASSESS, assessment(childId, defer))).errors).toBeUndefined();
  });

  it('refuses an offence date in the future or before birth', async () => {
    const childId = await suspect();
    const future = await prosecutor.client.query(ASSESS, assessment(childId, { offenceDate: day(2) }));
    expect(future.errors![0].extensions!.field).toBe('input.offenceDate');
    const unborn = await prosecutor.client.query(ASSESS, assessment(childId, { offenceDate: '2013-05-08' }));
    expect(unborn.errors![0].message).toContain('before the child was born (2013-05-09)');
  });

  it('refuses to find the s45 defence without a date of birth, and gives no limb', async () => {
    const childId = await suspect({ dateOfBirth: null });
    const result = await prosecutor.client.query(ASSESS, assessment(childId));
    expect(result.errors![0].message).toMatch(/^Stage 3 .*date of birth/);
    const { recordNonPunishmentAssessment } = await prosecutor.client.ok(
      ASSESS,
      assessment(childId, { section45DefenceAvailable: false, publicInterestRationale: 'No realistic prospect.' }),
    );
    expect(recordNonPunishmentAssessment.section45Limb).toBeNull();
  });

  it('is recorded by a prosecutor only: FORBIDDEN to the school and the police who reach the child', async () => {
    const childId = await suspect();
    expect(codeOf(await dsl.client.query(ASSESS, assessment(childId)))).toBe('FORBIDDEN');
    expect(codeOf(await officer.client.query(ASSESS, assessment(childId)))).toBe('FORBIDDEN');
    const stranger = await app.factories.children.child({ dateOfBirth: '2013-05-09' });
    expect(codeOf(await prosecutor.client.query(ASSESS, assessment(stranger)))).toBe('NOT_FOUND');
    expect(
      await app.dataSource.query(`SELECT 1 FROM non_punishment_assessment WHERE child_id = $1`, [childId]),
    ).toEqual([]);
  });

  it('is append-only: the application cannot change or delete an assessment', async () => {
    const childId = await suspect();
    const { recordNonPunishmentAssessment } = await prosecutor.client.ok(ASSESS, assessment(childId));
    const attempt = app.dataSource.transaction(async (manager) => {
      await manager.query(`SET LOCAL ROLE safeguard_app`);
      await manager.query(`UPDATE non_punishment_assessment SET outcome = 'PROSECUTE' WHERE id = $1`, [
        recordNonPunishmentAssessment.id,
      ]);
    });
    await expect(attempt).rejects.toThrow(/permission denied/);
  });
});
