/**
 * Involvement requests (DESIGN §4), as decisions and SQL: who decides a request, who sees it, and what a pending
 * request lets the requester do. The roles behind them are in involvement-requests.rules.ts.
 *
 * - Knowing an identifier opens nothing. A registration whose identifier finds a known child, and a request made
 *   through `requestInvolvement`, file a request; the agency reaches the child only once a lead of an agency that
 *   works with the child has accepted it. A grant or a break-glass is no way round this: they are lent or
 *   emergency access, reviewed and ending, and the agency holding one asks like any other.
 * - The deciders of a request are the leads of the agencies actively involved with the child (other than the
 *   requester): they hold the case and know whether the requester belongs around the child. Where no involved
 *   agency has an active lead (a record kept only by a practitioner, or involvements that have all ended),
 *   the children's social care agencies of the requester's local authority decide: the statutory safeguarding
 *   partner for the area. Computed on every read, so a lead who joins or leaves changes who decides at once.
 * - A request is seen by the requesting agency's people (what it asked, and the answer) and by its deciders;
 *   a decided one also by the agency that decided it. Anyone else: NOT_FOUND, as if it did not exist.
 * - The requester learns of the child what a match discloses (initials, birth year, involvements it may learn
 *   of), and the record itself only once it reaches it (`child` is null until then).
 * - Safeguarding information must be able to flow in at once: while its request is pending, the requesting
 *   agency may record concerns on the child. The involved agencies see them by the usual tier rule; the requester
 *   sees only the answer to its own recording (it reaches no record to list them in).
 * - Identifiers given with the request join the record on acceptance, but only in the schemes the requester's
 *   agency kind may see (and OTHER ones, which it recorded): an agency does not plant numbers it cannot read.
 *
 * Each SQL function appends its values to `values` and answers SQL with `$n` placeholders.
 */
import { subject } from '@casl/ability';
import { AgencyKind } from '../common/enums/agencies';
import { IdentifierScheme } from '../common/enums/children';
import { FailedPreconditionError, ForbiddenError } from '../common/errors';
import { isUuid } from '../database/postgres';
import type { ActingMembership, Actor } from './actor';
import { activeInvolvement } from './active-involvement';
import { AccessRoute, type ChildAccess, loadChildAccess } from './child-access';
import { requireOnChild, routeOpens } from './child-decisions';
import { identifierSchemesSeenBy } from './child-record.rules';
import { childReadingMembership, holdsAny, LEAD_ROLES } from './roles';
import type { Scope } from './scope';

function positional(values: unknown[], value: unknown): string {
  values.push(value);
  return `$${values.length}`;
}

/** The statutory safeguarding partner of an area decides where no involved agency has a lead. */
export const FALLBACK_DECIDING_KIND = AgencyKind.CHILDRENS_SOCIAL_CARE;

/** An agency (its id the SQL `agencyColumn`) has an active lead, who can decide for it. */
function hasLead(agencyColumn: string, leadRoles: string): string {
  return `EXISTS (SELECT 1 FROM membership lead_m JOIN app_user lead_u ON lead_u.id = lead_m.user_id
                   WHERE lead_m.agency_id = ${agencyColumn} AND lead_m.active AND lead_u.active
                     AND lead_m.roles && ${leadRoles}::text[])`;
}

/**
 * The agencies that decide the request aliased `request` (see above), as a SELECT of `agency_id`, correlated to
 * the request's row.
 */
function decidingAgencies(request: string, values: unknown[]): string {
  const leadRoles = positional(values, LEAD_ROLES);
  const socialCare = positional(values, FALLBACK_DECIDING_KIND);
  const involvedWithLead = `SELECT ir_i.agency_id FROM involvement ir_i JOIN agency ir_g ON ir_g.id = ir_i.agency_id
     WHERE ir_i.child_id = ${request}.child_id AND ${activeInvolvement('ir_i')} AND ir_g.active
       AND ir_i.agency_id <> ${request}.requesting_agency_id AND ${hasLead('ir_i.agency_id', leadRoles)}`;
  return `SELECT agency_id FROM (${involvedWithLead}) involved (agency_id)
     UNION
    SELECT ir_d.id FROM agency ir_d JOIN agency ir_q ON ir_q.id = ${request}.requesting_agency_id
     WHERE ir_d.kind = ${socialCare} AND ir_d.active AND ir_d.local_authority = ir_q.local_authority
       AND ir_d.id <> ir_q.id AND NOT EXISTS (${involvedWithLead})`;
}

/** A decision's view of one request: who asked, and whether the actor's agency decides it. */
export interface RequestParties {
  requestingAgencyId: string;
  /** The actor is a lead of an agency that decides this request now. */
  decidesIt: boolean;
}

/**
 * SQL `boolean`: the actor decides the request aliased `request` (a lead of one of its deciding agencies). FALSE
 * for anyone who reads no children or holds no lead role.
 */
export function decidesRequest(actor: Actor | null, request: string, values: unknown[]): string {
  const membership = childReadingMembership(actor);
  if (!membership || !holdsAny(membership, LEAD_ROLES)) return 'FALSE';
  const agency = positional(values, membership.agencyId);
  return `(${agency}::uuid IN (${decidingAgencies(request, values)}))`;
}

/**
 * The requests (`involvement_request` aliased `request`) the actor sees: its own agency's, those it decides, and
 * those its agency decided as a lead. Null when it reads no children (and so sees none).
 */
export function visibleInvolvementRequest(actor: Actor | null, request: string, values: unknown[]): string | null {
  const membership = childReadingMembership(actor);
  if (!membership) return null;
  const agency = positional(values, membership.agencyId);
  const lead = holdsAny(membership, LEAD_ROLES);
  return `(${request}.requesting_agency_id = ${agency}::uuid
           OR ${lead ? `${request}.deciding_agency_id = ${agency}::uuid OR ` : ''}${decidesRequest(actor, request, values)})`;
}

/**
 * The agencies whose leads are asked about the request with id `requestId`, as a SELECT of `agency_id` over
 * `involvement_request` by id. For notifying them.
 */
export function decidersOfRequest(requestId: string, values: unknown[]): string {
  const id = positional(values, requestId);
  return `SELECT d.agency_id FROM involvement_request r CROSS JOIN LATERAL (${decidingAgencies('r', values)}) d (agency_id)
           WHERE r.id = ${id}::uuid`;
}

/** The leads of the deciding agencies are told of a request; the requester of the decision. */
export const DECIDING_ROLES = LEAD_ROLES;

/** The membership that asks for an involvement: a recording role (registering is recording); FORBIDDEN otherwise. */
export function requireToRequest(scope: Scope): ActingMembership {
  const membership = childReadingMembership(scope.actor);
  if (!membership || !scope.signedIn.ability.can('request', 'InvolvementRequest')) throw new ForbiddenError();
  return membership;
}

/** Whether the actor's agency already works with the child: there is nothing to ask for. */
export function alreadyInvolved(access: ChildAccess | null): boolean {
  return access?.route === AccessRoute.INVOLVED;
}

/** FAILED_PRECONDITION when the actor's agency is already involved with the child. */
export function requireNotInvolved(access: ChildAccess | null): void {
  if (alreadyInvolved(access)) {
    throw new FailedPreconditionError('Your agency is already involved with this child');
  }
}

/**
 * FORBIDDEN unless the actor may decide this request: a lead of a deciding agency, and never of the agency that
 * asked (an agency does not vouch for itself).
 */
export function requireMayDecide(scope: Scope, request: RequestParties): void {
  const { ability } = scope.signedIn;
  if (childReadingMembership(scope.actor)?.agencyId === request.requestingAgencyId) {
    throw new ForbiddenError(
      'Your agency asked for this involvement: a lead of an agency involved with the child decides',
    );
  }
  if (!request.decidesIt || !ability.can('decide', subjectOf(request))) {
    throw new ForbiddenError('Only a lead of an agency involved with the child decides this request');
  }
}

/** FORBIDDEN unless the actor is of the agency that asked (its people withdraw its request). */
export function requireMayWithdraw(scope: Scope, request: { requestingAgencyId: string }): void {
  if (!scope.signedIn.ability.can('withdraw', subjectOf(request))) {
    throw new ForbiddenError('Only the agency that asked can withdraw its request');
  }
}

function subjectOf(request: { requestingAgencyId: string }) {
  return subject('InvolvementRequest', { requestingAgencyId: request.requestingAgencyId } as Record<string, unknown>);
}

/** The identifiers, of those the requester gave, that join the record on acceptance (see above). */
export function identifiersItMayRecord<T extends { scheme: IdentifierScheme }>(
  kind: AgencyKind,
  identifiers: readonly T[],
): T[] {
  const schemes: IdentifierScheme[] = [...identifierSchemesSeenBy(kind), IdentifierScheme.OTHER];
  return identifiers.filter((identifier) => schemes.includes(identifier.scheme));
}

/** Whether the acting agency has a pending involvement request for the child. */
async function pendingRequestFor(scope: Scope, childId: string): Promise<boolean> {
  const agencyId = childReadingMembership(scope.actor)?.agencyId;
  if (!agencyId || !isUuid(childId)) return false;
  const rows: unknown[] = await (
    await scope.manager()
  ).query(
    `SELECT 1 FROM involvement_request WHERE child_id = $1 AND requesting_agency_id = $2 AND status = 'PENDING'`,
    [childId, agencyId],
  );
  return rows.length > 0;
}

/**
 * The route a concern is recorded through: one that opens recording (`requireOnChild`), or, for an agency whose
 * involvement request is pending, its request (the route it has, if any, else null). Otherwise NOT_FOUND or
 * FORBIDDEN, as `requireOnChild` answers.
 */
export async function requireToRecordConcern(scope: Scope, childId: string): Promise<AccessRoute | null> {
  const access = await loadChildAccess(scope, childId);
  const opens = access !== null && routeOpens(access, 'record');
  if (!opens && scope.signedIn.ability.can('record', 'Concern') && (await pendingRequestFor(scope, childId))) {
    return access?.route ?? null;
  }
  return (await requireOnChild(scope, 'record', childId)).route;
}
