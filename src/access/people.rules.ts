import { Role } from '../agencies/agencies.enums';
import type { RuleSet } from './app-ability';

/**
 * Agencies and their people.
 * - The platform admin creates agencies and invites each one's first AGENCY_ADMIN; it never sees child data.
 * - An AGENCY_ADMIN invites, sets roles of and deactivates the people of its own agency only, and reads their
 *   access log (DESIGN §4).
 * - Everyone signed in may list agencies: sharing, conference invitations and grants name them.
 */
export const peopleRules: RuleSet = (actor, { can }) => {
  can('read', 'Agency');
  if (actor.platformAdmin) {
    can('create', 'Agency');
    can('read', 'User');
    can('invite', 'User', { role: Role.AGENCY_ADMIN });
  }
  const membership = actor.membership;
  if (membership?.roles.includes(Role.AGENCY_ADMIN)) {
    can(['read', 'invite', 'setRoles', 'deactivate'], 'User', { agencyId: membership.agencyId });
  }
};
