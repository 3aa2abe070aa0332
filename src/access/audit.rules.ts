import { Role } from '../common/enums/agencies';
import type { RuleSet } from './app-ability';

/**
 * Who may look at the audit log (DESIGN §4, §5). Subjects: 'AuditChain', 'StaffAccessLog' with `{ agencyId }`
 * (the agency the events were recorded for), and 'AuditTrail' (one child's; which children is decided in SQL by
 * the INVOLVED route).
 * - The platform admin verifies the chain's integrity: it learns whether the log was tampered with, and the
 *   sequence number where, but reads no event through this (it never sees child data).
 * - An AGENCY_ADMIN answers for its own staff: it reads what one of its people accessed while acting for that
 *   agency, and nothing recorded for another agency.
 * - SAFEGUARDING_LEAD and SOCIAL_WORKER of an agency involved with a child read that child's audit trail: who
 *   read or changed the record, and through which route (transparency between the agencies holding the case).
 *   Which events they see follows each event's subject (audit.visibility.ts, in SQL): an event about a concern,
 *   an assessment, a grant or a refusal only to those who see that entry; an event about the child itself by an
 *   agency with no involvement only to agencies that may learn of that agency kind's involvement
 *   (involvementKindsDisclosedTo) or that granted it access, unless it was emergency access: a police force
 *   searching for a child is as sensitive as a police involvement.
 * - Practitioners, and everyone else, see no audit at all.
 */
export const auditRules: RuleSet = (actor, { can }) => {
  if (actor.platformAdmin) can('verify', 'AuditChain');
  const membership = actor.membership;
  if (!membership) return;
  if (membership.roles.includes(Role.AGENCY_ADMIN)) {
    can('read', 'StaffAccessLog', { agencyId: membership.agencyId });
  }
  if (membership.roles.some((role) => role === Role.SAFEGUARDING_LEAD || role === Role.SOCIAL_WORKER)) {
    can('read', 'AuditTrail');
  }
};
