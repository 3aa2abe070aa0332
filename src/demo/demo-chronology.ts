import type { EntityManager } from 'typeorm';
import { ConcernCategory, RecruitmentSetting, RiskLevel, Sensitivity } from '../common/enums/chronology';
import type { DemoChildren } from './demo-children';
import type { DemoPeople } from './demo-people';

/**
 * The chronologies and risk assessments of the demo children (reference/demo-story.md): Kai's story, steps 1 to 4,
 * and the other children at their different stages. Everything here is invented. Each entry is written by a
 * demo person of an agency involved with the child, as the application itself would require; its agency is the
 * one in the author's email (`dsl@academy.demo` writes for the Academy).
 */

interface DemoConcern {
  /** Names this entry when a later one amends it. */
  key?: string;
  child: string;
  by: string;
  occurredAt: string;
  /** How long after the event it was written down. */
  recordedAfterHours: number;
  category: ConcernCategory;
  indicators: string[];
  setting: RecruitmentSetting;
  risk: RiskLevel;
  sensitivity: Sensitivity;
  narrative: string;
  amends?: string;
}

interface DemoRiskAssessment {
  child: string;
  by: string;
  assessedAt: string;
  level: RiskLevel;
  exploitationTypes: ConcernCategory[];
  rationale: string;
  sensitivity?: Sensitivity;
}

const C = ConcernCategory;
const S = RecruitmentSetting;
const { LOW, MEDIUM, HIGH, CRITICAL } = RiskLevel;
const { STANDARD, HEALTH_CONFIDENTIAL, POLICE_RESTRICTED } = Sensitivity;

/** Kai, step 2: the youth worker's entry, later corrected by the same worker. */
const KAI_MISSING: DemoConcern = {
  key: 'kai-missing',
  child: 'kai',
  by: 'practitioner@youth-service.demo',
  occurredAt: '2026-10-12T19:00:00Z',
  recordedAfterHours: 18,
  category: C.MISSING_FROM_HOME,
  indicators: ['MISSING_EPISODE', 'UNUSUAL_TRAVEL'],
  setting: S.STREET,
  risk: HIGH,
  sensitivity: STANDARD,
  narrative:
    'Kai told me he was away two weekends running and would not say where. Mum reported him missing on the ' +
    'second. He had a used train ticket to Seaford in his jacket and was tired and jumpy at the session.',
};

const DEMO_CONCERNS: readonly DemoConcern[] = [
  // Kai, 13: "he can smoke weed for free if he delivers packages".
  {
    child: 'kai',
    by: 'dsl@academy.demo',
    occurredAt: '2026-09-18T15:20:00Z',
    recordedAfterHours: 2,
    category: C.CRIMINAL_EXPLOITATION,
    indicators: ['UNEXPLAINED_MONEY_OR_GOODS', 'MULTIPLE_PHONES', 'OLDER_OR_CONTROLLING_ASSOCIATES'],
    setting: S.SECONDARY_SCHOOL,
    risk: MEDIUM,
    sensitivity: STANDARD,
    narrative:
      'Kai arrived in new designer trainers and was seen with a second phone he hid when staff approached. For the ' +
      'third day running he waited at the gate after school for two older boys on bikes, not known to the school. ' +
      'He said the trainers were "from a mate". Mum says she did not buy them.',
  },
  KAI_MISSING,
  {
    ...KAI_MISSING,
    key: undefined,
    recordedAfterHours: 42,
    narrative:
      'Correction to my entry of the 12th: the ticket was to Seabourne, not Seaford (I misread it). ' +
      'Everything else stands.',
    amends: 'kai-missing',
  },
  {
    child: 'kai',
    by: 'officer@police.demo',
    occurredAt: '2026-11-02T22:40:00Z',
    recordedAfterHours: 12,
    category: C.COUNTY_LINES,
    indicators: ['DRUGS_OR_PARAPHERNALIA', 'FOUND_OUT_OF_AREA'],
    setting: S.STREET,
    risk: HIGH,
    sensitivity: POLICE_RESTRICTED,
    narrative:
      'Stopped in Seabourne, 80 miles from home, with 14 wraps of cannabis and £230 in cash. Intelligence links the ' +
      'second handset to an established county line run from Northbridge. Treated as a possible victim; ' +
      'returned home by officers. Do not share outside police and CPS: live operation.',
  },
  {
    child: 'kai',
    by: 'practitioner@health.demo',
    occurredAt: '2026-11-04T01:15:00Z',
    recordedAfterHours: 6,
    category: C.PHYSICAL_ABUSE,
    indicators: ['UNEXPLAINED_INJURY'],
    setting: S.UNKNOWN,
    risk: HIGH,
    sensitivity: HEALTH_CONFIDENTIAL,
    narrative:
      'Seen in A&E at 01:15 with a deep cut across the left palm, five stitches. Would not explain how it happened ' +
      'and asked that his mum not be told. Smelled of cannabis. Safeguarding referral made.',
  },

  // Mia, 9: approached through a gaming platform.
  {
    child: 'mia',
    by: 'dsl@st-annes.demo',
    occurredAt: '2026-10-13T10:30:00Z',
    recordedAfterHours: 1,
    category: C.ONLINE_HARM,
    indicators: ['ONLINE_GROOMING'],
    setting: S.ONLINE_GAMING,
    risk: MEDIUM,
    sensitivity: STANDARD,
    narrative:
      'Mia told her teacher that a "friend" from an online game sends her in-game currency and has asked for ' +
      'photos and to meet at the park. The account claims to be 11. Parents informed; referral to children’s services.',
  },

  // Tyler, 15: recruited in a hospital waiting area.
  {
    child: 'tyler',
    by: 'practitioner@health.demo',
    occurredAt: '2026-09-15T14:00:00Z',
    recordedAfterHours: 3,
    category: C.CRIMINAL_EXPLOITATION,
    indicators: ['OLDER_OR_CONTROLLING_ASSOCIATES', 'RECRUITING_PEERS'],
    setting: S.HEALTHCARE_INSTITUTION,
    risk: HIGH,
    sensitivity: STANDARD,
    narrative:
      'Clinic staff saw an adult man approach Tyler and two other teenagers in the outpatients waiting area, hand ' +
      'out phone numbers and offer "easy money". Tyler later said he had been promised £50 a day.',
  },
  {
    child: 'tyler',
    by: 'practitioner@health.demo',
    occurredAt: '2026-10-01T09:30:00Z',
    recordedAfterHours: 2,
    category: C.SUBSTANCE_MISUSE,
    indicators: ['DRUGS_PLUGGING'],
    setting: S.UNKNOWN,
    risk: CRITICAL,
    sensitivity: HEALTH_CONFIDENTIAL,
    narrative:
      'Admitted with abdominal pain; imaging showed packages concealed internally, removed without complications. ' +
      'Clinical detail held by the Trust.',
  },
  {
    child: 'tyler',
    by: 'officer@police.demo',
    occurredAt: '2026-10-02T16:00:00Z',
    recordedAfterHours: 5,
    category: C.COUNTY_LINES,
    indicators: ['DEBT_BONDAGE'],
    setting: S.HEALTHCARE_INSTITUTION,
    risk: CRITICAL,
    sensitivity: POLICE_RESTRICTED,
    narrative:
      'Source reporting: Tyler is told he owes £900 for "lost" drugs and must work it off. The recruiter from the ' +
      'hospital is known to us.',
  },

  // Chantelle, 14: missing from her children's home, with indicators of sexual exploitation.
  {
    child: 'chantelle',
    by: 'social-worker@childrens-services.demo',
    occurredAt: '2026-08-19T23:30:00Z',
    recordedAfterHours: 10,
    category: C.MISSING_FROM_HOME,
    indicators: ['MISSING_EPISODE', 'CARS_WITH_UNKNOWN_ADULTS'],
    setting: S.CARE_HOME,
    risk: HIGH,
    sensitivity: STANDARD,
    narrative:
      'Fourth missing episode this month from Elm Lodge. Staff saw her get into a grey car driven by an adult man ' +
      'at the end of the drive. Returned at 06:00 by taxi, paid for by someone else.',
  },
  {
    child: 'chantelle',
    by: 'officer@police.demo',
    occurredAt: '2026-08-21T11:00:00Z',
    recordedAfterHours: 4,
    category: C.SEXUAL_EXPLOITATION,
    indicators: ['CARS_WITH_UNKNOWN_ADULTS', 'OLDER_OR_CONTROLLING_ASSOCIATES'],
    setting: S.CARE_HOME,
    risk: CRITICAL,
    sensitivity: POLICE_RESTRICTED,
    narrative: 'The grey car is registered to a man under investigation for child sexual exploitation.',
  },
  {
    child: 'chantelle',
    by: 'practitioner@safe-passage.demo',
    occurredAt: '2026-09-09T17:00:00Z',
    recordedAfterHours: 20,
    category: C.SEXUAL_EXPLOITATION,
    indicators: ['UNKNOWN_PREMISES_OR_HOTEL_KEYS', 'WITHDRAWN_DISCLOSURE'],
    setting: S.CARE_HOME,
    risk: CRITICAL,
    sensitivity: STANDARD,
    narrative:
      'At our drop-in Chantelle had a hotel key card and said "a boyfriend" pays for rooms. She began to describe ' +
      'being taken to parties, then said she had made it up and left.',
  },
  {
    child: 'chantelle',
    by: 'dsl@academy.demo',
    occurredAt: '2026-09-30T09:00:00Z',
    recordedAfterHours: 4,
    category: C.MISSING_FROM_EDUCATION,
    indicators: ['EDUCATION_DECLINE'],
    setting: S.SECONDARY_SCHOOL,
    risk: MEDIUM,
    sensitivity: STANDARD,
    narrative: 'Attendance 54% this half term, down from 93% last year. Mostly Mondays and Fridays.',
  },

  // Ethan, 16: under youth justice supervision.
  {
    child: 'ethan',
    by: 'practitioner@youth-justice.demo',
    occurredAt: '2026-06-04T15:00:00Z',
    recordedAfterHours: 24,
    category: C.GANG_AFFILIATION,
    indicators: ['OLDER_OR_CONTROLLING_ASSOCIATES', 'ANTISOCIAL_OR_OFFENDING'],
    setting: S.STREET,
    risk: MEDIUM,
    sensitivity: STANDARD,
    narrative: 'Ethan talks about "his olders" and new debts to them. Missed two supervision appointments.',
  },
  {
    child: 'ethan',
    by: 'officer@police.demo',
    occurredAt: '2026-07-18T21:10:00Z',
    recordedAfterHours: 8,
    category: C.GANG_AFFILIATION,
    indicators: ['WEAPON'],
    setting: S.STREET,
    risk: HIGH,
    sensitivity: POLICE_RESTRICTED,
    narrative: 'Named in intelligence as holding a knife for an older group member.',
  },

  // Jayden, 16: working off a debt at a car wash.
  {
    child: 'jayden',
    by: 'practitioner@youth-service.demo',
    occurredAt: '2026-10-25T13:00:00Z',
    recordedAfterHours: 28,
    category: C.LABOUR_EXPLOITATION,
    indicators: ['DEBT_BONDAGE', 'UNUSUAL_TRAVEL'],
    setting: S.STREET,
    risk: HIGH,
    sensitivity: STANDARD,
    narrative:
      'Jayden says he works 12-hour days at a hand car wash in another town, unpaid, to pay back "travel money" ' +
      'an older man lent his family. He is driven there and back.',
  },

  // A single, low-level concern each.
  {
    child: 'leah',
    by: 'dsl@academy.demo',
    occurredAt: '2026-10-07T12:40:00Z',
    recordedAfterHours: 1,
    category: C.EMOTIONAL_ABUSE,
    indicators: ['MOOD_OR_SELF_HARM'],
    setting: S.SECONDARY_SCHOOL,
    risk: LOW,
    sensitivity: STANDARD,
    narrative: 'Tearful in tutor time, said things at home are "loud". Offered time with the school counsellor.',
  },
  {
    child: 'lea',
    by: 'practitioner@youth-service.demo',
    occurredAt: '2026-10-28T18:30:00Z',
    recordedAfterHours: 2,
    category: C.OTHER,
    indicators: ['PEER_ISOLATION'],
    setting: S.STREET,
    risk: LOW,
    sensitivity: STANDARD,
    narrative: 'New to the youth club, keeps to herself; says her old friends have "moved on".',
  },
  {
    child: 'oliver',
    by: 'practitioner@academy.demo',
    occurredAt: '2026-11-10T11:00:00Z',
    recordedAfterHours: 3,
    category: C.CRIMINAL_EXPLOITATION,
    indicators: ['UNEXPLAINED_MONEY_OR_GOODS'],
    setting: S.SECONDARY_SCHOOL,
    risk: LOW,
    sensitivity: STANDARD,
    narrative: 'Had £60 in cash in his blazer; says it was birthday money. Noted to watch.',
  },
  {
    child: 'amelia',
    by: 'dsl@st-annes.demo',
    occurredAt: '2026-10-20T08:50:00Z',
    recordedAfterHours: 1,
    category: C.NEGLECT,
    indicators: [],
    setting: S.HOME,
    risk: LOW,
    sensitivity: STANDARD,
    narrative: 'Arrived hungry again and without a coat. Breakfast club place offered; parent to be called.',
  },
  {
    child: 'sophie',
    by: 'dsl@academy.demo',
    occurredAt: '2026-11-12T14:15:00Z',
    recordedAfterHours: 1,
    category: C.ONLINE_HARM,
    indicators: ['ONLINE_GROOMING'],
    setting: S.SOCIAL_MEDIA,
    risk: LOW,
    sensitivity: STANDARD,
    narrative: 'Friend reported that an unknown adult account keeps messaging Sophie. Blocked and reported together.',
  },
  {
    child: 'reece',
    by: 'practitioner@youth-service.demo',
    occurredAt: '2026-09-27T20:00:00Z',
    recordedAfterHours: 15,
    category: C.MISSING_FROM_HOME,
    indicators: ['MISSING_EPISODE'],
    setting: S.STREET,
    risk: LOW,
    sensitivity: STANDARD,
    narrative: 'Stayed out overnight after an argument at home; back next morning and engaging well.',
  },
  {
    child: 'nathan',
    by: 'dsl@academy.demo',
    occurredAt: '2026-09-22T10:00:00Z',
    recordedAfterHours: 5,
    category: C.MISSING_FROM_EDUCATION,
    indicators: ['EDUCATION_DECLINE'],
    setting: S.SECONDARY_SCHOOL,
    risk: LOW,
    sensitivity: STANDARD,
    narrative: 'Attendance slipping since the summer; family says he is helping an uncle with work.',
  },
  {
    child: 'zainab',
    by: 'practitioner@health.demo',
    occurredAt: '2026-10-30T16:45:00Z',
    recordedAfterHours: 2,
    category: C.EMOTIONAL_ABUSE,
    indicators: ['MOOD_OR_SELF_HARM'],
    setting: S.UNKNOWN,
    risk: MEDIUM,
    sensitivity: HEALTH_CONFIDENTIAL,
    narrative: 'Disclosed low mood and superficial self-harm at a clinic appointment. CAMHS referral made.',
  },
];

const DEMO_RISK_ASSESSMENTS: readonly DemoRiskAssessment[] = [
  {
    child: 'kai',
    by: 'dsl@academy.demo',
    assessedAt: '2026-09-19T09:00:00Z',
    level: MEDIUM,
    exploitationTypes: [C.CRIMINAL_EXPLOITATION],
    rationale: 'Several early indicators of criminal exploitation together; no disclosure yet. Review in four weeks.',
  },
  {
    child: 'kai',
    by: 'social-worker@childrens-services.demo',
    assessedAt: '2026-11-06T10:00:00Z',
    level: HIGH,
    exploitationTypes: [C.CRIMINAL_EXPLOITATION, C.COUNTY_LINES],
    rationale:
      'Missing episodes, travel out of area and an unexplained injury across three agencies point to county ' +
      'lines exploitation. Strategy discussion convened.',
  },
  {
    child: 'mia',
    by: 'social-worker@childrens-services.demo',
    assessedAt: '2026-10-15T11:00:00Z',
    level: MEDIUM,
    exploitationTypes: [C.ONLINE_HARM, C.SEXUAL_EXPLOITATION],
    rationale: 'Online grooming pattern; parents protective and engaged. Safety planning with school.',
  },
  {
    child: 'tyler',
    by: 'social-worker@childrens-services.demo',
    assessedAt: '2026-10-03T15:00:00Z',
    level: CRITICAL,
    exploitationTypes: [C.CRIMINAL_EXPLOITATION, C.COUNTY_LINES, C.TRAFFICKING],
    rationale: 'Recruited on health premises, held in debt, and put at grave physical risk. Immediate safety plan.',
  },
  {
    child: 'chantelle',
    by: 'social-worker@childrens-services.demo',
    assessedAt: '2026-09-10T09:30:00Z',
    level: CRITICAL,
    exploitationTypes: [C.SEXUAL_EXPLOITATION, C.TRAFFICKING],
    rationale: 'Repeated missing episodes, adults paying for hotels and transport, a withdrawn disclosure.',
  },
  {
    child: 'jayden',
    by: 'social-worker@childrens-services.demo',
    assessedAt: '2026-10-27T14:00:00Z',
    level: HIGH,
    exploitationTypes: [C.LABOUR_EXPLOITATION, C.TRAFFICKING],
    rationale: 'Unpaid work under a family debt, transported by the creditor: indicators of trafficking for labour.',
  },
  {
    child: 'sophie',
    by: 'dsl@academy.demo',
    assessedAt: '2026-11-13T09:00:00Z',
    level: LOW,
    exploitationTypes: [C.ONLINE_HARM],
    rationale: 'A single contact, blocked and reported; Sophie and her parents know what to look out for.',
  },
  {
    child: 'zainab',
    by: 'dsl@health.demo',
    assessedAt: '2026-10-31T10:00:00Z',
    level: MEDIUM,
    exploitationTypes: [],
    rationale: 'Emotional wellbeing concern, no exploitation indicators. Held by health.',
    sensitivity: HEALTH_CONFIDENTIAL,
  },
];

const HOUR_MS = 3600_000;

/** The agency a demo person writes for: the key in their email (`dsl@academy.demo` -> academy). */
function authorOf(people: DemoPeople, email: string): { userId: string; agencyId: string } {
  const userId = people.users[email];
  const agencyId = people.agencies[email.slice(email.indexOf('@') + 1, -'.demo'.length)];
  if (!userId || !agencyId) throw new Error(`demo chronology: no demo person ${email}`);
  return { userId, agencyId };
}

function childOf(children: DemoChildren, key: string): string {
  const id = children[key];
  if (!id) throw new Error(`demo chronology: no demo child ${key}`);
  return id;
}

/** Inserts the demo concerns (amendments after what they amend) and risk assessments. */
export async function seedDemoChronology(
  manager: EntityManager,
  people: DemoPeople,
  children: DemoChildren,
): Promise<void> {
  const concernIds = new Map<string, string>();
  for (const concern of DEMO_CONCERNS) {
    const author = authorOf(people, concern.by);
    const occurredAt = new Date(concern.occurredAt);
    const amends = concern.amends ? concernIds.get(concern.amends) : null;
    if (amends === undefined) throw new Error(`demo chronology: ${concern.amends} must come before its amendment`);
    const [row] = await manager.query(
      `INSERT INTO concern (child_id, agency_id, recorded_by, occurred_at, recorded_at, category, indicators,
                            recruitment_setting, risk_level, sensitivity, narrative, amends_concern_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
      [
        childOf(children, concern.child),
        author.agencyId,
        author.userId,
        occurredAt,
        new Date(occurredAt.getTime() + concern.recordedAfterHours * HOUR_MS),
        concern.category,
        concern.indicators,
        concern.setting,
        concern.risk,
        concern.sensitivity,
        concern.narrative,
        amends,
      ],
    );
    if (concern.key) concernIds.set(concern.key, row.id);
  }
  for (const assessment of DEMO_RISK_ASSESSMENTS) {
    const author = authorOf(people, assessment.by);
    await manager.query(
      `INSERT INTO risk_assessment (child_id, agency_id, assessed_by, assessed_at, level, exploitation_types,
                                    rationale, sensitivity)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        childOf(children, assessment.child),
        author.agencyId,
        author.userId,
        new Date(assessment.assessedAt),
        assessment.level,
        assessment.exploitationTypes,
        assessment.rationale,
        assessment.sensitivity ?? STANDARD,
      ],
    );
  }
}
