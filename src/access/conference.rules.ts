import { Role } from '../common/enums/agencies';
import { Sensitivity } from '../common/enums/chronology';
import type { RuleSet } from './app-ability';
import type { RouteBranch } from './route-branch';
import { childReadingMembership, holdsAny } from './roles';

/**
 * Case conferences (DESIGN §4, §6). Subjects: 'Conference' (convene, run, decide, cancel, read, report),
 * 'ConferenceInvitation' (respond) and 'PlanAction' (update).
 *
 * - "CONFERENCE_CHAIR convenes, runs and decides conferences": only a chair convenes, starts, decides and cancels,
 *   and then only the conference they chair (conference.decisions.ts); the chair named must hold the role too.
 *   Which children: an agency involved with the child, or one it was shared with (CHILD_ACTIONS.convene).
 * - Everyone who reads child records may be invited: the person of an invited agency who answers the invitation
 *   becomes its invitee, writes its one report, and is told of the decision. An AGENCY_ADMIN or ANALYST reads
 *   no child, so attends nothing.
 * - A plan action is marked done by the agency that owns it or the chair; only the chair cancels one.
 */
export const conferenceRules: RuleSet = (actor, { can }) => {
  const membership = childReadingMembership(actor);
  if (!membership) return;
  can(['read', 'report'], 'Conference');
  can('respond', 'ConferenceInvitation');
  can('update', 'PlanAction');
  if (holdsAny(membership, CHAIRING_ROLES)) can(['convene', 'run', 'decide', 'cancel'], 'Conference');
};

/** The role a conference's chair must hold (Working Together 2023: an independent chair, usually from CSC). */
export const CHAIRING_ROLES: readonly Role[] = [Role.CONFERENCE_CHAIR];

/** The CONFERENCE route lasts this long after the conference is decided or cancelled (DESIGN §4). */
const CONFERENCE_ROUTE_DAYS_AFTER_CLOSE = 30;

/** A conference (aliased `alias`) that still opens its route: open, or closed less than 30 days ago. */
function conferenceStillOpens(alias: string): string {
  return `(${alias}.closed_at IS NULL OR ${alias}.closed_at > now() - interval '${CONFERENCE_ROUTE_DAYS_AFTER_CLOSE} days')`;
}

/** The columns every CONFERENCE branch selects, over `conference` aliased `conf`. */
function conferenceRow(bind: Parameters<RouteBranch>[2]): string {
  return `SELECT conf.child_id, 'CONFERENCE'::text AS route, CAST(${bind([Sensitivity.STANDARD])} AS text[]) AS tiers,
                 FALSE AS full_record`;
}

/*
 * CONFERENCE: the chair, the person of each invited agency who accepted, and those the chair recorded as present
 * reach the child while the conference is open and for 30 days after its decision or cancellation: its identity
 * without the address, and STANDARD entries (plus what their agency wrote). Its own reports are opened in the
 * tiers the viewer's agency kind sees (conference.visibility.ts). A person acting for another of their agencies
 * does not reach it. Three branches, not one UNION: each is then a plain join led by an index on the person and
 * their agency.
 */

/** CONFERENCE, as the chair. */
export const conferenceChairRoute: RouteBranch = (actor, membership, bind, narrow) => `
  ${conferenceRow(bind)}
    FROM conference conf
   WHERE conf.chair_id = ${bind(actor.userId)} AND conf.chair_agency_id = ${bind(membership.agencyId)}
         AND ${conferenceStillOpens('conf')} ${narrow('conf.child_id')}`;

/** CONFERENCE, as the person who accepted their agency's invitation. */
export const conferenceInviteeRoute: RouteBranch = (actor, membership, bind, narrow) => `
  ${conferenceRow(bind)}
    FROM conference_invitation conf_inv JOIN conference conf ON conf.id = conf_inv.conference_id
   WHERE conf_inv.invitee_id = ${bind(actor.userId)} AND conf_inv.agency_id = ${bind(membership.agencyId)}
         AND conf_inv.response = 'ACCEPTED' AND ${conferenceStillOpens('conf')} ${narrow('conf.child_id')}`;

/** CONFERENCE, as someone the chair recorded present for their agency. */
export const conferenceAttendeeRoute: RouteBranch = (actor, membership, bind, narrow) => `
  ${conferenceRow(bind)}
    FROM conference_attendance conf_att JOIN conference conf ON conf.id = conf_att.conference_id
   WHERE conf_att.user_id = ${bind(actor.userId)} AND conf_att.agency_id = ${bind(membership.agencyId)}
         AND conf_att.present AND ${conferenceStillOpens('conf')} ${narrow('conf.child_id')}`;
