import { AgencyKind, Role } from '../common/enums/agencies';
import type { ActingMembership, Actor } from './actor';

/**
 * What each role is for (DESIGN §1, §4), as the groups the rules below are written in. A role is named here and
 * in the *.rules.ts files only: services ask a decision of src/access, never which role someone holds.
 */

/**
 * Roles that work with children. AGENCY_ADMIN manages people and ANALYST sees statistics only: neither reads a
 * child, and nor does the platform admin, even if it also holds a membership (DESIGN §1, §4).
 */
export const CHILD_READING_ROLES: readonly Role[] = [
  Role.PRACTITIONER,
  Role.SAFEGUARDING_LEAD,
  Role.SOCIAL_WORKER,
  Role.POLICE_OFFICER,
  Role.PROSECUTOR,
  Role.CONFERENCE_CHAIR,
];

/**
 * Roles that put facts on the record: "PRACTITIONER reads and records concerns", and the leads, social workers
 * and police officers who do so as part of their wider duties. Registering a child and correcting its identity
 * are recording too. A prosecutor and a conference chair come to read and decide, not to record (DESIGN §1).
 */
export const RECORDING_ROLES: readonly Role[] = [
  Role.PRACTITIONER,
  Role.SAFEGUARDING_LEAD,
  Role.SOCIAL_WORKER,
  Role.POLICE_OFFICER,
];

/** "SAFEGUARDING_LEAD and SOCIAL_WORKER also assess risk" (DESIGN §4): a judgement others rely on. */
export const ASSESSING_ROLES: readonly Role[] = [Role.SAFEGUARDING_LEAD, Role.SOCIAL_WORKER];

/**
 * The leads of an agency's safeguarding work: they "grant and revoke access, read the child's audit trail"
 * (DESIGN §4), and are the people told of what concerns the agency's children (a grant made to it).
 */
export const LEAD_ROLES: readonly Role[] = [Role.SAFEGUARDING_LEAD, Role.SOCIAL_WORKER];

/** "POLICE_OFFICER, SOCIAL_WORKER and SAFEGUARDING_LEAD may break glass" (DESIGN §4). */
export const BREAK_GLASS_ROLES: readonly Role[] = [Role.POLICE_OFFICER, Role.SOCIAL_WORKER, Role.SAFEGUARDING_LEAD];

/**
 * Who reviews a use of break-glass: the safeguarding leads and admins of the agencies concerned (they answer for
 * their staff, and for the records that were opened).
 */
export const BREAK_GLASS_REVIEWING_ROLES: readonly Role[] = [Role.SAFEGUARDING_LEAD, Role.AGENCY_ADMIN];

/**
 * Roles that carry a statutory power belong to the agencies that hold it: police powers (break-glass on police
 * intelligence) and the CPS's non-punishment assessment. Granting them elsewhere would open child data that
 * agency has no business reading.
 */
export const ROLE_AGENCY_KINDS: Partial<Record<Role, readonly AgencyKind[]>> = {
  [Role.POLICE_OFFICER]: [AgencyKind.POLICE],
  [Role.PROSECUTOR]: [AgencyKind.PROSECUTION],
};

export function holdsAny(membership: ActingMembership, roles: readonly Role[]): boolean {
  return membership.roles.some((role) => roles.includes(role));
}

/** The acting membership when the actor may read child records at all; null for everyone else. */
export function childReadingMembership(actor: Actor | null): ActingMembership | null {
  const membership = actor?.membership;
  if (!actor || actor.platformAdmin || !membership) return null;
  return holdsAny(membership, CHILD_READING_ROLES) ? membership : null;
}

/** The leads share a child's record, and in a police force the officer holding the investigation. */
export function mayGrant(membership: ActingMembership): boolean {
  return (
    holdsAny(membership, LEAD_ROLES) ||
    (membership.roles.includes(Role.POLICE_OFFICER) && membership.agencyKind === AgencyKind.POLICE)
  );
}
