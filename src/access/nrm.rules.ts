import { AgencyKind, Role } from '../common/enums/agencies';
import type { ActingMembership } from './actor';
import type { RuleSet } from './app-ability';
import { childReadingMembership, holdsAny, RECORDING_ROLES } from './roles';

/**
 * National Referral Mechanism referrals (DESIGN §2, §4). Subject: 'NrmReferral' with `{ referringAgencyId }`.
 *
 * - "POLICE and CHILDRENS_SOCIAL_CARE (and agencies flagged first responder) refer to the NRM" (DESIGN §4), as the
 *   Modern Slavery Act 2015 statutory guidance names first responder organisations: a police officer of a police
 *   force, a social worker of children's social care, and the people who record on a child's behalf
 *   (RECORDING_ROLES) in an agency flagged first responder (some charities are). A school, a prosecutor, a chair or
 *   an analyst is no first responder: a school that suspects trafficking tells children's social care, which refers.
 *   A child needs no consent to be referred (statutory guidance), so nothing else is asked.
 * - The referring agency records the Single Competent Authority's decisions on its own referral, by the same people:
 *   the decision letters come back to the first responder that referred.
 * - Which children, and through which routes: CHILD_ACTIONS.refer in child-decisions.ts (INVOLVED or BREAK_GLASS, as
 *   for any addition to the record); which referrals a viewer sees: nrm.visibility.ts.
 * - Everyone who reads child records reads the referrals it may see: the NRM status is what a prosecutor's
 *   non-punishment assessment and a conference's recommendation turn on.
 */
function refersToNrm(membership: ActingMembership): boolean {
  return (
    (membership.agencyKind === AgencyKind.POLICE && membership.roles.includes(Role.POLICE_OFFICER)) ||
    (membership.agencyKind === AgencyKind.CHILDRENS_SOCIAL_CARE && membership.roles.includes(Role.SOCIAL_WORKER)) ||
    (membership.firstResponder && holdsAny(membership, RECORDING_ROLES))
  );
}

export const nrmRules: RuleSet = (actor, { can }) => {
  const membership = childReadingMembership(actor);
  if (!membership) return;
  can('read', 'NrmReferral');
  if (!refersToNrm(membership)) return;
  can('refer', 'NrmReferral');
  can('recordDecision', 'NrmReferral', { referringAgencyId: membership.agencyId });
};
