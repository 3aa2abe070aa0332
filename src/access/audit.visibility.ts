/**
 * Which audit events a viewer reads (DESIGN §4, §5), as SQL over `audit_event` (alias given by the caller).
 *
 * A child's trail: who read or changed the record, and through which route. It is the involved agencies'
 * transparency to each other, so only a lead of an agency involved with the child reads it
 * (`requireOnChild(ctx, 'readTrail', childId)`). Disclosure follows the subject: an event names its agency, and
 * that an agency with no involvement (a police force searching for the child, or reading it through another
 * agency's grant) takes an interest is itself sensitive. The trail therefore shows such an agency only where the
 * viewer may learn of its involvement anyway (DESIGN §4, matching: `involvementKindsDisclosedTo`), or holds a
 * grant the viewer's agency made. Emergency access is shown whoever used it: the involved agencies review it.
 *
 * A staff access log: an AGENCY_ADMIN answers for its own staff, so it reads what one of its people did while
 * acting for the admin's agency, and nothing recorded for another agency. A person who never belonged to the
 * admin's agency does not exist for it.
 *
 * Each function appends its values to `values` and answers SQL with `$n` placeholders.
 */
import type { ActingMembership, Actor } from './actor';
import { involvementKindsDisclosedTo } from './child-record.rules';

/** The events of the child's trail that `viewer` (who reads the trail, see above) may see. */
export function visibleTrailEvents(
  event: string,
  childId: string,
  viewer: ActingMembership,
  values: unknown[],
): string {
  values.push(childId, viewer.agencyId, involvementKindsDisclosedTo(viewer.agencyKind));
  const [child, agency, kinds] = [values.length - 2, values.length - 1, values.length].map((n) => `$${n}`);
  return `${event}.child_id = ${child}
       AND (${event}.agency_id IS NULL OR ${event}.agency_id = ${agency} OR ${event}.break_glass
            OR EXISTS (SELECT 1 FROM involvement i WHERE i.child_id = ${event}.child_id AND i.agency_id = ${event}.agency_id)
            OR EXISTS (SELECT 1 FROM access_grant g
                        WHERE g.child_id = ${event}.child_id AND g.grantee_agency_id = ${event}.agency_id
                          AND g.granting_agency_id = ${agency})
            OR EXISTS (SELECT 1 FROM agency g WHERE g.id = ${event}.agency_id AND g.kind = ANY(${kinds}::text[])))`;
}

/** The agency whose staff's log the actor reads: the agency it acts for; null when it acts for none. */
export function staffLogAgency(actor: Actor): string | null {
  return actor.membership?.agencyId ?? null;
}

/** What the person did while acting for the admin's agency `agencyId` (see `staffLogAgency`). */
export function staffLogEvents(event: string, userId: string, agencyId: string, values: unknown[]): string {
  values.push(userId, agencyId);
  return `${event}.user_id = $${values.length - 1} AND ${event}.agency_id = $${values.length}`;
}
