import { AgencyKind, Role } from '../common/enums/agencies';
import type { RuleSet } from './app-ability';
import { childReadingMembership } from './roles';

/**
 * The answers to the four CPS stages and what they rest on: the prosecutor's reasoning. "A non-punishment
 * assessment's reasoning only to PROSECUTION, its outcome to every route" (DESIGN §4): the reasoning weighs police
 * evidence and the suspect's account for a charging decision, and a school or a youth worker who read it could
 * be called on it, or let it slip to the child's exploiters; what they need to act on is the outcome.
 */
export const NON_PUNISHMENT_REASONING_FIELDS: readonly string[] = [
  'scheduleFourOffence',
  'reasonToBelieveVictim',
  'reasonToBelieveBasis',
  'duressEvidence',
  'section45DefenceAvailable',
  'publicInterestRationale',
  'nrmReferralIntended',
];

/**
 * Non-punishment assessments (DESIGN §2, §4). Subject: 'NonPunishmentAssessment'.
 *
 * - "PROSECUTOR records non-punishment assessments" (DESIGN §4), of a PROSECUTION agency (the role belongs there:
 *   roles.ts ROLE_AGENCY_KINDS): the decision whether to prosecute is the prosecutor's alone (R v L(C) [2013]
 *   EWCA Crim 991). Through which routes: CHILD_ACTIONS.assessNonPunishment in child-decisions.ts.
 * - Everyone who reads child records reads the assessments of the children they reach, the outcome and its date;
 *   the reasoning (NON_PUNISHMENT_REASONING_FIELDS) only people of a PROSECUTION agency.
 */
export const nonPunishmentRules: RuleSet = (actor, { can, cannot }) => {
  const membership = childReadingMembership(actor);
  if (!membership) return;
  can('read', 'NonPunishmentAssessment');
  if (membership.agencyKind !== AgencyKind.PROSECUTION) {
    cannot('read', 'NonPunishmentAssessment', [...NON_PUNISHMENT_REASONING_FIELDS]);
    return;
  }
  if (membership.roles.includes(Role.PROSECUTOR)) can('record', 'NonPunishmentAssessment');
};
