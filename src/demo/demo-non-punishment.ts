import type { EntityManager } from 'typeorm';
import { NON_PUNISHMENT_AUDIENCE_ROLES } from '../access/non-punishment.decisions';
import { Sensitivity } from '../common/enums/chronology';
import { ChildFlag } from '../common/enums/children';
import { ConferenceRecommendation } from '../common/enums/conferences';
import { ProsecutionOutcome, Section45Limb } from '../common/enums/non-punishment';
import { NrmDecision } from '../common/enums/nrm';
import { LawfulBasis } from '../common/enums/sharing';
import type { DemoChildren } from './demo-children';
import type { DemoPeople } from './demo-people';

/**
 * Kai's NRM referral and the prosecutor's assessment (reference/demo-story.md, steps 7 and 8), invented like the
 * rest of the demo. The police refer Kai the day after the strategy discussion agreed it (first responders refer
 * without delay), and the Single Competent Authority's Reasonable Grounds decision comes two weeks later, the day
 * before the initial conference; so every date is in the past on the day the demo was written (1 December 2026).
 *
 * The CPS reaches Kai by a grant from the police, the way a case file reaches a prosecutor for a charging decision
 * (Director's Guidance on Charging), with the police-restricted tier the evidence is in: a lasting route, where the
 * conference invitation ended 30 days after the conference. Through it the prosecutor records the four stages:
 * reason to believe a victim (NRM RG positive, the conference's VICTIM_PROTECTION), no duress, the s45 child limb
 * available (Kai was 13; drug supply is not a Schedule 4 offence), and so NO_PROSECUTION.
 */

const REFERRED_ON = '2026-11-11';
const REASONABLE_GROUNDS_ON = '2026-11-25';
const GRANTED_AT = '2026-11-27T09:30:00Z';
const ASSESSED_AT = '2026-11-30T15:00:00Z';
const OFFENCE_DATE = '2026-11-02';

function person(people: DemoPeople, email: string): { userId: string; agencyId: string } {
  const userId = people.users[email];
  const agencyId = people.agencies[email.slice(email.indexOf('@') + 1, -'.demo'.length)];
  if (!userId || !agencyId) throw new Error(`demo non-punishment: no demo person ${email}`);
  return { userId, agencyId };
}

export async function seedDemoNonPunishment(
  manager: EntityManager,
  people: DemoPeople,
  children: DemoChildren,
): Promise<void> {
  const kai = children['kai'];
  if (!kai) throw new Error('demo non-punishment: no demo child kai');
  const officer = person(people, 'officer@police.demo');
  const prosecutor = person(people, 'prosecutor@cps.demo');

  await manager.query(
    `INSERT INTO nrm_referral (child_id, referring_agency_id, referred_by, referred_on, exploitation_types,
                               reasonable_grounds, reasonable_grounds_on, recorded_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      kai,
      officer.agencyId,
      officer.userId,
      REFERRED_ON,
      ['COUNTY_LINES', 'CRIMINAL_EXPLOITATION'],
      NrmDecision.POSITIVE,
      REASONABLE_GROUNDS_ON,
      new Date(`${REFERRED_ON}T11:00:00Z`),
    ],
  );
  await manager.query(`UPDATE child SET flags = array_append(flags, $2) WHERE id = $1`, [
    kai,
    ChildFlag.NRM_POSITIVE_REASONABLE_GROUNDS,
  ]);

  const grantedAt = new Date(GRANTED_AT);
  await manager.query(
    `INSERT INTO access_grant (child_id, granting_agency_id, granted_by, grantee_agency_id, tiers, lawful_basis,
                               purpose, granted_at, expires_at, lending_involvement_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,
             (SELECT i.id FROM involvement i WHERE i.child_id = $1 AND i.agency_id = $2 AND i.until IS NULL))`,
    [
      kai,
      officer.agencyId,
      officer.userId,
      prosecutor.agencyId,
      [Sensitivity.STANDARD, Sensitivity.POLICE_RESTRICTED],
      LawfulBasis.PUBLIC_TASK,
      'Charging decision (Director’s Guidance on Charging): possession with intent to supply on 2 November, ' +
        'to be weighed with the non-punishment assessment first.',
      grantedAt,
      new Date(grantedAt.getTime() + 364 * 86_400_000),
    ],
  );

  await manager.query(
    `INSERT INTO non_punishment_assessment (
       child_id, prosecuting_agency_id, decided_by, decided_at, offence, offence_date, section45_limb,
       conference_recommendation, schedule_four_offence, reason_to_believe_victim, reason_to_believe_basis,
       duress_evidence, section45_defence_available, public_interest_rationale, outcome)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, false, true, $9, false, true, $10, $11)`,
    [
      kai,
      prosecutor.agencyId,
      prosecutor.userId,
      new Date(ASSESSED_AT),
      'Possession of a controlled drug of class B (cannabis) with intent to supply, Misuse of Drugs Act 1971 s5(3)',
      OFFENCE_DATE,
      Section45Limb.CHILD,
      ConferenceRecommendation.VICTIM_PROTECTION,
      'Positive NRM Reasonable Grounds decision of 25 November 2026 (county lines); the initial child protection ' +
        'conference of 26 November recommended VICTIM_PROTECTION. Kai was 13, 80 miles from home, paid in cannabis.',
      'Not reached: the section 45 defence (child limb) is evidenced, so the case is discontinued on evidential ' +
        'grounds. Had it been reached, his victim status would weigh decisively against prosecution.',
      ProsecutionOutcome.NO_PROSECUTION,
    ],
  );
  const message = 'A prosecutor recorded a non-punishment assessment: NO_PROSECUTION (decided 2026-11-30)';
  await manager.query(
    `INSERT INTO notification (user_id, kind, message, child_id, created_at)
     SELECT DISTINCT m.user_id, 'NON_PUNISHMENT_OUTCOME', $2::text, $1::uuid, $3::timestamptz
       FROM membership m
      WHERE m.agency_id IN (SELECT i.agency_id FROM involvement i WHERE i.child_id = $1::uuid AND i.until IS NULL)
        AND m.roles && $4::text[]
     UNION
     SELECT $5::uuid, 'NON_PUNISHMENT_OUTCOME', $2::text, $1::uuid, $3::timestamptz`,
    [kai, message, new Date(ASSESSED_AT), NON_PUNISHMENT_AUDIENCE_ROLES, people.users['chair@childrens-services.demo']],
  );
}
