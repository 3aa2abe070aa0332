import type { RuleSet } from './app-ability';
import { activeInvolvement } from './active-involvement';
import type { RouteBranch } from './route-branch';
import { tiersSeenBy } from './child-record.rules';
import { BREAK_GLASS_REVIEWING_ROLES, BREAK_GLASS_ROLES, childReadingMembership, holdsAny, mayGrant } from './roles';

/**
 * Sharing beyond default access, and emergency access (DESIGN §2, §4). Subjects: 'AccessGrant' (granting,
 * revoking, refusing), 'Child' (breakGlass) and 'BreakGlassAccess' (review).
 *
 * - "SAFEGUARDING_LEAD and SOCIAL_WORKER also ... grant and revoke access" (DESIGN §4), and in a police force the
 *   officer holding the investigation. Which child, and which tiers, is checked per child by SharingService: only
 *   an agency with an INVOLVED route may share (a grantee cannot re-share what it was lent), and only tiers its
 *   own kind may see (a school never holds police intelligence to pass on). The same people record a decision not
 *   to share, as the information-sharing advice asks.
 * - Those who may share a child's record see its grants and refusals: their own agency's, and others' only where
 *   they could learn the same from the record (grants of tiers they see; refusals between agencies whose
 *   involvement they may learn of). Everyone else who reaches the child sees what was granted or refused to its
 *   own agency. Reading either is audited as a read of the child (SharingService).
 * - POLICE_OFFICER, SOCIAL_WORKER and SAFEGUARDING_LEAD may break glass: a child in danger now cannot wait for a
 *   grant. It lasts 60 minutes, for that person only, and every use is reviewed.
 * - A break-glass is reviewed by the safeguarding leads and admins of each agency involved with the child when
 *   the glass was broken (it is their record that was opened); those of the user's agency see it too (they answer
 *   for their staff) but do not close it; never the user. Which use, per agency: sharing.visibility.ts.
 */
export const sharingRules: RuleSet = (actor, { can }) => {
  const membership = actor.platformAdmin ? null : actor.membership;
  if (!membership) return;
  if (holdsAny(membership, BREAK_GLASS_REVIEWING_ROLES)) {
    can(['read', 'review'], 'BreakGlassAccess');
  }
  const reader = childReadingMembership(actor);
  if (!reader) return;
  can('read', 'AccessGrant');
  if (mayGrant(reader)) can(['grant', 'revoke', 'refuse'], 'AccessGrant');
  if (holdsAny(reader, BREAK_GLASS_ROLES)) can('breakGlass', 'Child');
};

/**
 * A grant lends what the sharing agency holds, so it opens the record only while it is unrevoked, unexpired and
 * the involvement it lends (the granting agency's, when it granted) is still active: once that involvement ends,
 * the agency has nothing left to lend and its grants lapse with it. A later involvement of the same agency does
 * not revive them: that is a new relationship, and sharing from it is a new decision. SQL over `access_grant`
 * aliased `alias`.
 */
export function liveGrant(alias: string): string {
  return `(${alias}.revoked_at IS NULL AND ${alias}.expires_at > now() AND EXISTS (
    SELECT 1 FROM involvement lender
     WHERE lender.id = ${alias}.lending_involvement_id AND ${activeInvolvement('lender')}))`;
}

/** GRANTED: a live grant to the acting agency opens the tiers it names, no address. */
export const grantedRoute: RouteBranch = (_actor, membership, bind, narrow) => `
  SELECT g.child_id, 'GRANTED'::text AS route, g.tiers, FALSE AS full_record
    FROM access_grant g
   WHERE g.grantee_agency_id = ${bind(membership.agencyId)} AND ${liveGrant('g')}
         ${narrow('g.child_id')}`;

/**
 * BREAK_GLASS: the actor's own unexpired break-glass, made while acting for this agency, opens what INVOLVED
 * would; every read through it is flagged in the audit log.
 */
export const breakGlassRoute: RouteBranch = (actor, membership, bind, narrow) => `
  SELECT b.child_id, 'BREAK_GLASS'::text AS route, CAST(${bind(tiersSeenBy(membership.agencyKind))} AS text[]) AS tiers,
         TRUE AS full_record
    FROM break_glass_access b
   WHERE b.user_id = ${bind(actor.userId)} AND b.agency_id = ${bind(membership.agencyId)} AND b.expires_at > now()
         ${narrow('b.child_id')}`;
