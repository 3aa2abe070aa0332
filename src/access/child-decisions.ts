import { ForbiddenError, NotFoundError } from '../common/errors';
import { AccessRoute, ChildAccess, loadChildAccess } from './child-access';
import type { ActingMembership } from './actor';
import { childReadingMembership } from './roles';
import type { Scope } from './scope';

/**
 * What may be done to a child record, and through which routes (DESIGN §4). Each action needs a role that allows
 * it (the CASL rules of the *.rules.ts files) and a route to the child that opens it:
 * - reading needs any route;
 * - changing the record (its identity, a concern, a risk assessment) needs a route that opens the whole record,
 *   INVOLVED or BREAK_GLASS: only an agency that works with the child, or a professional in an emergency whose
 *   access is reviewed, adds to it. A GRANTED or CONFERENCE route is for reading what was shared;
 * - sharing the record and reading its audit trail need INVOLVED: a grantee cannot pass on what it was lent, and
 *   the trail is the involved agencies' transparency to each other;
 * - referring the child to the NRM, and recording the decisions on the referral, need INVOLVED or BREAK_GLASS: a
 *   referral is the referring agency's to follow up, which an agency that works with the child does; a first
 *   responder who finds a child in danger out of hours refers under break-glass (statutory guidance: refer without
 *   delay), and that is reviewed. A grant or a conference invitation lends the record to read, not to act on.
 * - recording a non-punishment assessment needs INVOLVED or GRANTED: the charging decision is made on the case file,
 *   which the police share with the prosecution agency by a grant with a lawful basis (or the prosecution agency
 *   holds its own involvement). A conference invitation lends the conference's pack, not the file, and ends 30 days
 *   after the decision; a prosecutor never breaks glass (no charging decision is an emergency).
 * - convening a conference needs INVOLVED or GRANTED: an agency that holds or was lent the record calls the others
 *   together; a conference's own route or an emergency access is no basis for calling another.
 * A child the actor does not reach at all is NOT_FOUND, exactly as one that does not exist; one it reaches by a
 * route that does not open the action is FORBIDDEN, with what would.
 */
export type ChildAction =
  'read' | 'update' | 'record' | 'assess' | 'share' | 'readTrail' | 'refer' | 'assessNonPunishment' | 'convene';

interface ChildActionRule {
  /** The CASL action and subject the actor's role must allow. */
  ability: readonly [string, string];
  routes: readonly AccessRoute[];
  refusal: (route: AccessRoute) => string;
}

const ANY_ROUTE = Object.values(AccessRoute);
const WHOLE_RECORD = [AccessRoute.INVOLVED, AccessRoute.BREAK_GLASS];

const recordingRefusal = (route: AccessRoute) =>
  `Your agency reaches this child through ${route}, which is for reading what was shared: ` +
  'recording needs an involvement with the child (or break-glass access)';

export const CHILD_ACTIONS: Readonly<Record<ChildAction, ChildActionRule>> = {
  read: { ability: ['read', 'Child'], routes: ANY_ROUTE, refusal: () => 'You cannot read this child' },
  update: {
    ability: ['update', 'Child'],
    routes: WHOLE_RECORD,
    refusal: () => 'Only an agency involved with the child may change its details',
  },
  record: { ability: ['record', 'Concern'], routes: WHOLE_RECORD, refusal: recordingRefusal },
  assess: { ability: ['assess', 'RiskAssessment'], routes: WHOLE_RECORD, refusal: recordingRefusal },
  share: {
    ability: ['grant', 'AccessGrant'],
    routes: [AccessRoute.INVOLVED],
    refusal: () => 'Only an agency involved with the child can share its record',
  },
  readTrail: {
    ability: ['read', 'AuditTrail'],
    routes: [AccessRoute.INVOLVED],
    refusal: () => 'Only agencies involved with the child read its audit trail',
  },
  refer: {
    ability: ['refer', 'NrmReferral'],
    routes: WHOLE_RECORD,
    refusal: (route) =>
      `Your agency reaches this child through ${route}, which is for reading what was shared: ` +
      'referring to the NRM needs an involvement with the child (or break-glass access)',
  },
  assessNonPunishment: {
    ability: ['record', 'NonPunishmentAssessment'],
    routes: [AccessRoute.INVOLVED, AccessRoute.GRANTED],
    refusal: (route) =>
      `Your agency reaches this child through ${route}, which does not open the case file: a non-punishment ` +
      'assessment needs the record shared with your agency by a grant (from the police, usually) or an involvement',
  },
  convene: {
    ability: ['convene', 'Conference'],
    routes: [AccessRoute.INVOLVED, AccessRoute.GRANTED],
    refusal: () => 'A conference is convened by an agency involved with the child or one its record was shared with',
  },
};

/** Whether `access` (a route the actor has) opens `action`; the role is checked by `requireOnChild`. */
export function routeOpens(access: ChildAccess, action: ChildAction): boolean {
  return CHILD_ACTIONS[action].routes.includes(access.route);
}

/**
 * Whether the actor may do `action` to a child it reaches by `access`: what a page offers (sharing, the audit
 * trail, a correction) is what `requireOnChild` would let through.
 */
export function mayOnChild(scope: Scope, action: ChildAction, access: ChildAccess): boolean {
  return scope.signedIn.ability.can(...CHILD_ACTIONS[action].ability) && routeOpens(access, action);
}

/**
 * The actor's access to the child when it may do `action` to it; otherwise NOT_FOUND (no route, or no role
 * that reads children) or FORBIDDEN (a role or route that does not open the action).
 */
export async function requireOnChild(scope: Scope, action: ChildAction, childId: string): Promise<ChildAccess> {
  const rule = CHILD_ACTIONS[action];
  const access = await loadChildAccess(scope, childId);
  if (!access) throw new NotFoundError('Child', childId);
  if (!scope.signedIn.ability.can(...rule.ability)) throw new ForbiddenError();
  if (!routeOpens(access, action)) throw new ForbiddenError(rule.refusal(access.route));
  return access;
}

/**
 * The acting membership of someone who may register a child (a recording role: registering is recording, and
 * the new record's first involvement is this agency's); FORBIDDEN otherwise.
 */
export function requireToRegister(scope: Scope): ActingMembership {
  const membership = childReadingMembership(scope.actor);
  if (!membership || !scope.signedIn.ability.can('register', 'Child')) throw new ForbiddenError();
  return membership;
}
