import { AgencyKind, Role } from '../common/enums/agencies';
import { BadUserInputError, FailedPreconditionError } from '../common/errors';
import type { Actor } from './actor';
import { ROLE_AGENCY_KINDS } from './roles';

/**
 * Decisions about agencies and their people that are not a CASL rule (those are in people.rules.ts): which
 * agencies refer to the NRM, which roles an agency's kind may hold, and that every agency keeps an admin
 * (DESIGN §1, §4).
 */

/** "POLICE and CHILDRENS_SOCIAL_CARE (and agencies flagged first responder) refer to the NRM" (DESIGN §4). */
const FIRST_RESPONDER_KINDS: ReadonlySet<AgencyKind> = new Set([AgencyKind.POLICE, AgencyKind.CHILDRENS_SOCIAL_CARE]);

/** Whether a new agency of `kind` is a first responder unless it is flagged otherwise (some charities are). */
export function firstResponderByDefault(kind: AgencyKind): boolean {
  return FIRST_RESPONDER_KINDS.has(kind);
}

/** The roles an agency of `kind` may hold: every role but those whose statutory power its kind lacks. */
export function rolesFitting(kind: AgencyKind): Role[] {
  return Object.values(Role).filter((role) => ROLE_AGENCY_KINDS[role]?.includes(kind) ?? true);
}

/** Refuses roles that carry a statutory power the agency's kind does not hold (ROLE_AGENCY_KINDS). */
export function assertRolesFit(kind: AgencyKind, roles: readonly Role[], field: string): void {
  for (const role of roles) {
    const kinds = ROLE_AGENCY_KINDS[role];
    if (kinds && !kinds.includes(kind)) {
      throw new BadUserInputError(`${role} is a role for ${kinds.join(' or ')} agencies only`, field);
    }
  }
}

/**
 * Refuses to bring back an account the platform admin deactivated, by an invitation or its acceptance: that
 * deactivation bars the person (a compromised account, someone removed from the service), unlike an agency's
 * leaver whom any agency may invite back. FAILED_PRECONDITION, not FORBIDDEN: the inviter may invite into its
 * agency, it is the account's state that stands in the way, until the platform admin reactivates it.
 */
export function assertRevivable(account: { platformDeactivated: boolean } | null): void {
  if (account?.platformDeactivated) {
    throw new FailedPreconditionError(
      'This account was deactivated by the platform admin; only the platform admin can reactivate it',
    );
  }
}

/**
 * Why a password reset may not open this account, or null when it may; asked when an admin issues the reset
 * and again when it is used. A reset hands the account to whoever holds its token, so an agency admin's reaches
 * only an account that is its agency's alone: one that also works for another agency, or runs the platform,
 * would be handed over there too, beyond what that admin manages; the platform admin resets those. A
 * deactivated account stays closed: a reset is no way back in (DESIGN §4, default deny).
 * `standing` is the person's place in the issuing agency; null when the platform admin issues it.
 */
export function passwordResetRefusal(
  account: { active: boolean; platformAdmin: boolean },
  standing: { memberHere: boolean; memberElsewhere: boolean } | null,
): string | null {
  if (!account.active) return 'This account is deactivated; its password cannot be reset';
  if (!standing) return null;
  if (!standing.memberHere) return 'This person is no longer a member of your agency';
  if (standing.memberElsewhere || account.platformAdmin) {
    return 'This person also acts beyond your agency; only the platform admin can reset their password';
  }
  return null;
}

/** The agency whose people the actor manages as its AGENCY_ADMIN; null for the platform admin and everyone else. */
export function adminAgencyOf(actor: Actor): string | null {
  return actor.membership?.roles.includes(Role.AGENCY_ADMIN) ? actor.membership.agencyId : null;
}

/**
 * Whether changing an active membership from `before` to `after` roles (none: ending it) removes one of the
 * agency's admins, so that another must remain: an agency always keeps an admin.
 */
export function endsAdminship(
  membership: { active: boolean; roles: readonly Role[] },
  after: readonly Role[] = [],
): boolean {
  return membership.active && membership.roles.includes(Role.AGENCY_ADMIN) && !after.includes(Role.AGENCY_ADMIN);
}

/** SQL: the membership roles in `rolesColumn` make an agency admin, for counting the admins that remain. */
export function adminRolesSql(rolesColumn: string): string {
  return `'${Role.AGENCY_ADMIN}' = ANY (${rolesColumn})`;
}
