import type { RuleSet } from './app-ability';
import { childReadingMembership, holdsAny, LEAD_ROLES, RECORDING_ROLES } from './roles';

/**
 * Involvement requests (DESIGN §4: "knowing an identifier opens nothing"). Subject: 'InvolvementRequest', with
 * `{ requestingAgencyId }`.
 *
 * - Whoever may register a child (the recording roles) asks for its agency to become involved with a known
 *   child: by registering it with an identifier the record already holds, or by `requestInvolvement` once a match
 *   found it. The request opens nothing; the requester knows only what a match discloses until it is accepted.
 * - The leads (SAFEGUARDING_LEAD, SOCIAL_WORKER) decide: they answer for their agency's relationship with the
 *   child. Which leads, per request, is in SQL (involvement-requests.decisions.ts): those of the agencies involved
 *   with the child, or, where none of them has a lead, those of the children's social care of the requester's
 *   local authority. Never the requesting agency's own: an agency does not vouch for itself.
 * - The requesting agency's people withdraw its request while it waits.
 * - Everyone who reads children reads the requests it is party to: its own agency's, and those it decides.
 */
export const involvementRequestRules: RuleSet = (actor, { can, cannot }) => {
  const membership = childReadingMembership(actor);
  if (!membership) return;
  can('read', 'InvolvementRequest');
  if (holdsAny(membership, RECORDING_ROLES)) {
    can('request', 'InvolvementRequest');
    can('withdraw', 'InvolvementRequest', { requestingAgencyId: membership.agencyId });
  }
  if (holdsAny(membership, LEAD_ROLES)) {
    can('decide', 'InvolvementRequest');
    cannot('decide', 'InvolvementRequest', { requestingAgencyId: membership.agencyId });
  }
};
