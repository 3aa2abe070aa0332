/**
 * Which NRM referrals a viewer sees (DESIGN §4), as SQL.
 *
 * A referral is visible when the viewer reaches its child by some route, and through a route that opens the full
 * record (INVOLVED, BREAK_GLASS) always. Through GRANTED and CONFERENCE it is visible when the viewer may learn of
 * the referring agency's involvement (`involvementKindsDisclosedTo`) or its own agency referred: "an entry's author
 * is part of the entry", and a referral by the police tells its reader that the police met the child, which only
 * police and full-record routes learn. The decisions themselves are not hidden from anyone who reaches the child:
 * the NRM flags on the child (every route sees them) say the same without naming the referrer.
 *
 * For raw SQL whose FROM joins the child's access row (`ChildAccessScope.toPositional`) as `access` on the
 * referral's child and the referring agency as `agency`. Appends its values to `values`; null when the actor reads
 * no children.
 */
import type { Actor } from './actor';
import { involvementKindsDisclosedTo } from './child-record.rules';
import { childReadingMembership } from './roles';

export function referralVisible(
  actor: Actor | null,
  aliases: { referral: string; agency: string; access: string },
  values: unknown[],
): string | null {
  const membership = childReadingMembership(actor);
  if (!membership) return null;
  values.push(involvementKindsDisclosedTo(membership.agencyKind));
  const kinds = `$${values.length}::text[]`;
  values.push(membership.agencyId);
  const own = `$${values.length}::uuid`;
  return `(${aliases.access}.full_record OR ${aliases.agency}.kind = ANY(${kinds})
           OR ${aliases.referral}.referring_agency_id = ${own})`;
}
