/**
 * Who sees a conference and what of it (DESIGN §4, §6), as SQL conditions. The roles behind them are in
 * conference.rules.ts; the CONFERENCE route itself is `conferenceRoute` there.
 *
 * - A conference is part of its child's record: it is seen only by someone who reaches the child, and of those by
 *   its chair, the people of the agencies invited to it (whatever they answered), and those whose route opens the
 *   whole record (an involved agency, or break-glass). Another conference's route, or a grant, shows nothing of
 *   a conference the viewer's agency was not invited to. Unseen, it is NOT_FOUND and absent from lists.
 * - An invitation is its agency's business before the child is: a person of the invited agency sees and answers it
 *   (ConferenceInvitation) though the child opens to them only once they accept.
 * - Reports: each attendee sees them "only in the tiers they may see": the tiers their agency kind sees (a police
 *   report under POLICE_RESTRICTED to police and prosecution only), those their route to the child opens (a grant),
 *   and their own agency's report whatever its tier.
 * - Invitations, attendance, the decision, its dissents and actions show with the conference.
 */
import { activeInvolvement } from './active-involvement';
import type { Actor } from './actor';
import { tiersSeenBy } from './child-record.rules';
import { CHILD_READING_ROLES, childReadingMembership } from './roles';
import { liveGrant } from './sharing.rules';

function positional(values: unknown[], value: unknown): string {
  values.push(value);
  return `$${values.length}`;
}

/**
 * The conference aliased `conference` is one the viewer sees, given the viewer's access row aliased `access` to its
 * child (joined from `ChildAccessScope`, which drops children the viewer does not reach); with `mine`, only those
 * the viewer chairs or their agency was invited to (myConferences). Appends its values to `values`; null when the
 * actor reads no children.
 */
export function visibleConference(
  actor: Actor | null,
  aliases: { conference: string; access: string },
  values: unknown[],
  mine = false,
): string | null {
  const membership = childReadingMembership(actor);
  if (!actor || !membership) return null;
  const { conference, access } = aliases;
  const user = positional(values, actor.userId);
  const agency = positional(values, membership.agencyId);
  // Chaired or invited to, as two index lookups (conference_chair_idx, conference_invitation_agency_idx).
  const own = `${conference}.id IN (
      SELECT chaired.id FROM conference chaired
       WHERE chaired.chair_id = ${user}::uuid AND chaired.chair_agency_id = ${agency}::uuid
      UNION ALL
      SELECT invited.conference_id FROM conference_invitation invited WHERE invited.agency_id = ${agency}::uuid)`;
  return mine ? own : `(${access}.full_record OR ${own})`;
}

/**
 * The report aliased `report` is visible to the viewer, whose access row to the conference's child is aliased
 * `access`. Appends its values to `values`; null when the actor reads no children.
 */
export function visibleReport(
  actor: Actor | null,
  aliases: { report: string; access: string },
  values: unknown[],
): string | null {
  const membership = childReadingMembership(actor);
  if (!membership) return null;
  const { report, access } = aliases;
  const kindTiers = positional(values, tiersSeenBy(membership.agencyKind));
  const agency = positional(values, membership.agencyId);
  return `(${report}.agency_id = ${agency}::uuid OR ${report}.sensitivity = ANY(${access}.tiers)
           OR ${report}.sensitivity = ANY(${kindTiers}::text[]))`;
}

/** The invitation aliased `invitation` is to the actor's agency: its people see and answer it. */
export function ownAgencyInvitation(actor: Actor | null, invitation: string, values: unknown[]): string | null {
  const membership = childReadingMembership(actor);
  if (!membership) return null;
  return `${invitation}.agency_id = ${positional(values, membership.agencyId)}::uuid`;
}

/**
 * Who is told a conference's deadline approaches (the conference bound as `conference`): its chair and the person
 * of each invited agency who accepted, the people the conference itself opens the child to, while they are still
 * active in the agency they act for there. A user id per row, as `"userId"`.
 */
export function deadlineReminderAudience(conference: string): string {
  return `SELECT c.chair_id AS "userId"
            FROM conference c
            JOIN membership m ON m.user_id = c.chair_id AND m.agency_id = c.chair_agency_id AND m.active
            JOIN app_user u ON u.id = m.user_id AND u.active
           WHERE c.id = ${conference}
          UNION
          SELECT i.invitee_id
            FROM conference_invitation i
            JOIN membership m ON m.user_id = i.invitee_id AND m.agency_id = i.agency_id AND m.active
            JOIN app_user u ON u.id = m.user_id AND u.active
           WHERE i.conference_id = ${conference} AND i.response = 'ACCEPTED'`;
}

/**
 * Who is told what becomes of a conference (its decision): the people of its chair's and invited agencies who
 * see it (see the header), because a notification tells its addressee of its subject. So the chair, each
 * agency's accepted invitee and those recorded present (the CONFERENCE route), and the people of those agencies
 * who read child records while their agency reaches the child by itself, involved or by a live grant. A
 * colleague of an invitee whose agency reaches the child only through the conference does not see it, and is not
 * told. Each for an active membership, of an active person, in the agency they take part for.
 *
 * SQL selecting `user_id`, for the conference whose id it appends to `values`.
 */
export function conferenceAudience(conferenceId: string, values: unknown[]): string {
  const id = `${positional(values, conferenceId)}::uuid`;
  const readingRoles = `${positional(values, CHILD_READING_ROLES)}::text[]`;
  return `
    SELECT DISTINCT m.user_id
      FROM (
        SELECT conf.chair_id AS user_id, conf.chair_agency_id AS agency_id FROM conference conf WHERE conf.id = ${id}
        UNION ALL
        SELECT inv.invitee_id, inv.agency_id FROM conference_invitation inv
         WHERE inv.conference_id = ${id} AND inv.response = 'ACCEPTED'
        UNION ALL
        SELECT att.user_id, att.agency_id FROM conference_attendance att WHERE att.conference_id = ${id} AND att.present
        UNION ALL
        SELECT reaching.user_id, reaching.agency_id
          FROM conference conf
          JOIN LATERAL (SELECT conf.chair_agency_id AS agency_id
                        UNION SELECT inv.agency_id FROM conference_invitation inv WHERE inv.conference_id = conf.id) a
            ON TRUE
          JOIN membership reaching ON reaching.agency_id = a.agency_id
         WHERE conf.id = ${id}
           AND (EXISTS (SELECT 1 FROM involvement i
                         WHERE i.child_id = conf.child_id AND i.agency_id = a.agency_id AND ${activeInvolvement('i')})
                OR EXISTS (SELECT 1 FROM access_grant g
                            WHERE g.child_id = conf.child_id AND g.grantee_agency_id = a.agency_id AND ${liveGrant('g')}))
      ) told
      JOIN membership m ON m.user_id = told.user_id AND m.agency_id = told.agency_id
      JOIN app_user u ON u.id = m.user_id
     WHERE m.active AND u.active AND m.roles && ${readingRoles}`;
}
