/**
 * Which audit events a viewer reads (DESIGN §4, §5), as SQL over `audit_event` (alias given by the caller).
 *
 * A child's trail: who read or changed the record, and through which route. It is the involved agencies'
 * transparency to each other, so only a lead of an agency involved with the child reads it
 * (`requireOnChild(ctx, 'readTrail', childId)`). Disclosure follows the subject: an event is shown only to a
 * viewer who may see what it is about, since an event's id, author and time tell that its subject exists.
 * - An event about an entry of the record (a concern, a risk assessment, a grant, a decision not to share, an
 *   involvement, an identifier) is shown exactly when the viewer sees that entry now, by the entry's own rule
 *   (chronology, sharing and child-record visibility). The author is part of the entry: whoever sees a concern
 *   sees who recorded it, and an agency that must stay unnamed records in its restricted tier. An event naming
 *   an entry the viewer does not see, or no longer sees, is absent, as the entry is.
 * - An event about the child itself (a read, a match search, a registration or correction, a read of this trail)
 *   names the agency that took an interest, and that an agency with no involvement (a police force searching
 *   for the child, or reading it through another agency's grant) takes an interest is itself sensitive. It is
 *   shown only where the viewer may learn of that agency's involvement anyway (DESIGN §4, matching:
 *   `involvementKindsDisclosedTo`), or holds a grant the viewer's agency made.
 * - Emergency access (break-glass, its refused attempts, its reviews, and every read or change made under it) is
 *   shown whoever used it: every agency holding the record answers for what was opened.
 * - An event about any other subject is not shown: no rule, no disclosure. A new kind of audited subject on a
 *   child's record needs its rule here.
 * A refused attempt (`outcome` set) follows the same rules as the act it attempted.
 *
 * A staff access log: an AGENCY_ADMIN answers for its own staff, so it reads what one of its people did while
 * acting for the admin's agency, and nothing recorded for another agency: what the same person did for a police
 * force they also serve is the force's. Each event there is the agency's own act, about what the agency itself
 * saw when it acted, so the log needs no further subject rule; it names children by id, which opens nothing. A
 * person who never belonged to the admin's agency does not exist for it.
 *
 * Each function appends its values to `values` and answers SQL with `$n` placeholders.
 */
import type { ActingMembership, Actor } from './actor';
import type { AppAbility } from './app-ability';
import { ChildAccess, ChildAccessScope } from './child-access';
import { requireOnChild } from './child-decisions';
import { involvementKindsDisclosedTo } from './child-record.rules';
import { visibleIdentifierPositional, visibleInvolvement } from './child-record.visibility';
import { concernVisible, riskAssessmentVisible } from './chronology.visibility';
import { visibleConference, visibleReport } from './conference.visibility';
import { referralVisible } from './nrm.visibility';
import { childReadingMembership } from './roles';
import type { Scope } from './scope';
import { sharingViewThrough, visibleGrant, visibleRefusal } from './sharing.visibility';

/** Who reads a child's trail, and what they reach of the child. */
export interface TrailViewer {
  actor: Actor;
  membership: ActingMembership;
  ability: AppAbility;
  access: ChildAccess;
}

/** The viewer of a child's trail: NOT_FOUND or FORBIDDEN unless they may read it (`readTrail`). */
export async function trailViewer(ctx: Scope, childId: string): Promise<TrailViewer> {
  const access = await requireOnChild(ctx, 'readTrail', childId);
  const { actor, ability } = ctx.signedIn;
  // Reaching a child at all takes a child-reading membership.
  return { actor, membership: childReadingMembership(actor)!, ability, access };
}

/** Appends `value` to `values` and answers its placeholder. */
function bind(values: unknown[], value: unknown): string {
  values.push(value);
  return `$${values.length}`;
}

/**
 * An event about the child itself is shown where the agency it names may be known to take an interest, or when
 * it was done under break-glass (emergency access is shown whoever used it).
 */
function agencyInterestShown(event: string, viewer: TrailViewer, values: unknown[]): string {
  const agency = bind(values, viewer.membership.agencyId);
  const kinds = bind(values, involvementKindsDisclosedTo(viewer.membership.agencyKind));
  return `(${event}.agency_id IS NULL OR ${event}.agency_id = ${agency} OR ${event}.break_glass
           OR EXISTS (SELECT 1 FROM involvement i WHERE i.child_id = ${event}.child_id AND i.agency_id = ${event}.agency_id)
           OR EXISTS (SELECT 1 FROM access_grant g
                       WHERE g.child_id = ${event}.child_id AND g.grantee_agency_id = ${event}.agency_id
                         AND g.granting_agency_id = ${agency})
           OR EXISTS (SELECT 1 FROM agency g WHERE g.id = ${event}.agency_id AND g.kind = ANY(${kinds}::text[])))`;
}

/**
 * The condition, per subject type, that the event's subject is one the viewer sees. `subject` is the event's
 * subject id as a uuid, `reach` a one-row relation of the viewer's access to the child (tiers, full_record), as
 * the entries' rules expect it joined.
 */
function subjectRules(event: string, viewer: TrailViewer, values: unknown[]): Record<string, string> {
  const subject = `${event}.subject_id::uuid`;
  const reach = `(SELECT ${bind(values, viewer.access.tiers)}::text[] AS tiers,
                         ${bind(values, viewer.access.fullRecord)}::boolean AS full_record) reach`;
  const scope = ChildAccessScope.for(viewer.actor, { childIds: [viewer.access.childId] });
  const sharing = sharingViewThrough(viewer.access, viewer.membership);
  const aboutTheChild = agencyInterestShown(event, viewer, values);
  const entry = (table: string, alias: string, visible: string, joins = '') =>
    `EXISTS (SELECT 1 FROM ${table} ${alias} ${joins}
              WHERE ${alias}.id = ${subject} AND ${alias}.child_id = ${event}.child_id AND ${visible})`;
  return {
    Child: aboutTheChild,
    ChildMatch: aboutTheChild,
    AuditTrail: aboutTheChild,
    // A request names the requesting agency's interest in the child, as a registration does.
    InvolvementRequest: aboutTheChild,
    BreakGlassAccess: 'TRUE',
    Concern: entry('concern', 'c', concernVisible(scope, 'c', 'reach', values), `CROSS JOIN ${reach}`),
    RiskAssessment: entry(
      'risk_assessment',
      'r',
      riskAssessmentVisible(scope, 'r', 'reach', values),
      `CROSS JOIN ${reach}`,
    ),
    Involvement: entry(
      'involvement',
      'i',
      visibleInvolvement(viewer.actor, { involvement: 'i', agency: 'ia', access: 'reach' }, values) ?? 'FALSE',
      `JOIN agency ia ON ia.id = i.agency_id CROSS JOIN ${reach}`,
    ),
    NrmReferral: entry(
      'nrm_referral',
      'n',
      referralVisible(viewer.actor, { referral: 'n', agency: 'na', access: 'reach' }, values) ?? 'FALSE',
      `JOIN agency na ON na.id = n.referring_agency_id CROSS JOIN ${reach}`,
    ),
    // An assessment is visible to every route to its child (non-punishment.visibility.ts); its author with it.
    NonPunishmentAssessment: entry('non_punishment_assessment', 'np', 'TRUE'),
    ...conferenceRules(event, viewer, values, subject, reach),
    ChildIdentifier: entry('child_identifier', 'ci', visibleIdentifierPositional(viewer.ability, 'ci', values)),
    AccessGrant: entry('access_grant', 'g', visibleGrant(sharing, 'g', values)),
    AccessRefusal: entry(
      'access_refusal',
      'f',
      visibleRefusal(sharing, { refusal: 'f', deciding: 'fd', requesting: 'fr' }, values),
      'JOIN agency fd ON fd.id = f.deciding_agency_id JOIN agency fr ON fr.id = f.requesting_agency_id',
    ),
  };
}

/**
 * A conference's events follow the conference (conference.visibility.ts); an invitation's and an action's follow
 * their conference, a report's its conference and its own tier.
 */
function conferenceRules(
  event: string,
  viewer: TrailViewer,
  values: unknown[],
  subject: string,
  reach: string,
): Record<string, string> {
  const seen = visibleConference(viewer.actor, { conference: 'cf', access: 'reach' }, values);
  if (!seen)
    return { Conference: 'FALSE', ConferenceInvitation: 'FALSE', ConferenceReport: 'FALSE', PlanAction: 'FALSE' };
  const report = visibleReport(viewer.actor, { report: 'part', access: 'reach' }, values) ?? 'FALSE';
  const conference = (id: string) =>
    `EXISTS (SELECT 1 FROM conference cf CROSS JOIN ${reach}
              WHERE cf.id = ${id} AND cf.child_id = ${event}.child_id AND ${seen})`;
  const part = (table: string, visible = 'TRUE') =>
    `EXISTS (SELECT 1 FROM ${table} part CROSS JOIN ${reach}
              WHERE part.id = ${subject} AND ${visible} AND ${conference('part.conference_id')})`;
  return {
    Conference: conference(subject),
    ConferenceInvitation: part('conference_invitation'),
    ConferenceReport: part('conference_report', report),
    PlanAction: part('plan_action'),
  };
}

/** The events of the child's trail that `viewer` may see (see above). */
export function visibleTrailEvents(event: string, viewer: TrailViewer, values: unknown[]): string {
  const child = bind(values, viewer.access.childId);
  const rules = subjectRules(event, viewer, values);
  // CASE, not OR: a subject id is cast to a uuid only for the subjects whose ids are uuids.
  const branches = Object.entries(rules).map(([type, rule]) => `WHEN '${type}' THEN ${rule}`);
  return `${event}.child_id = ${child} AND CASE ${event}.subject_type ${branches.join('\n ')} ELSE FALSE END`;
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
