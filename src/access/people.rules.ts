import { Role } from '../common/enums/agencies';
import type { RuleSet } from './app-ability';

/**
 * Agencies and their people (DESIGN §1, §4). Subjects: 'Agency', and 'User' with the conditions
 * `{ agencyId, roles, userId }`: the agency whose people are read or managed, the roles being granted, and
 * the person whose roles are set.
 *
 * - Everyone signed in may list agencies: sharing, conference invitations and grants name them.
 * - The platform admin creates agencies and invites each one's first AGENCY_ADMIN, and nothing else: it may
 *   grant no other role, because every other role opens child data, which the platform admin never sees.
 *   It may read any agency's people (to see that an admin accepted) and deactivate a whole account (a
 *   compromised or departed person, across every agency), which no agency's invitation undoes: only the
 *   platform admin reactivates such an account.
 * - An AGENCY_ADMIN invites, sets the roles of and deactivates the people of the agency it acts for, and of no
 *   other: a person of another agency does not exist for it. There is no role that makes a platform admin, so
 *   no agency admin can grant itself that. Nobody sets their own roles: an agency admin would otherwise give
 *   itself the roles that read child records; another admin of the agency must.
 * - Either admin lifts a sign-in lockout of an account it manages (the platform admin: any), for someone who
 *   mistyped their password too often and cannot wait out the window.
 * - Either admin issues a password reset for an account it manages (the platform admin: any), for someone who
 *   forgot their password; which accounts an agency admin's reset may reach is in people.decisions.ts. Nobody
 *   resets their own: changing one's password asks for the current one, and a stolen session must not be able
 *   to skip that and keep the account.
 * - Nobody else manages people: a practitioner who tries to invite is FORBIDDEN.
 */
export const peopleRules: RuleSet = (actor, { can, cannot }) => {
  can('read', 'Agency');
  if (actor.platformAdmin) {
    can('create', 'Agency');
    can('read', 'User');
    can('invite', 'User', { roles: { $all: [Role.AGENCY_ADMIN], $size: 1 } });
    can(['deactivate', 'reactivate', 'unlock', 'resetPassword'], 'User');
  }
  const membership = actor.membership;
  const agencyAdmin = membership?.roles.includes(Role.AGENCY_ADMIN);
  if (membership && agencyAdmin) {
    can(['read', 'invite', 'setRoles', 'deactivate', 'unlock', 'resetPassword'], 'User', {
      agencyId: membership.agencyId,
    });
  }
  cannot('setRoles', 'User', { userId: actor.userId });
  if (actor.platformAdmin || agencyAdmin) cannot('resetPassword', 'User', { userId: actor.userId });
};
