/**
 * What each person may do to a conference they see (DESIGN §4, §6); which conferences they see is
 * conference.visibility.ts. A conference the actor does not see is NOT_FOUND before any of these is asked.
 *
 * - The chair, acting for the agency they chair for, starts, decides and cancels it: "only the chair decides".
 *   Another chair of the same agency is FORBIDDEN: the one named answers for the conference.
 * - The person named chair must hold the chairing role in the convening agency: the chair reaches the child
 *   through the conference, so the convening agency vouches for them.
 * - An invitation is answered by a person of the invited agency; once answered, by the same person (the
 *   invitee speaks for the agency, writes its report and is told of the decision).
 * - A report is written by its agency's invitee after accepting, in a tier its agency kind may see: a school
 *   does not write under POLICE_RESTRICTED.
 * - A plan action is marked done by a person of the agency that owns it, or by the chair; only the chair
 *   cancels or reopens one.
 */
import type { Role } from '../common/enums/agencies';
import { Sensitivity } from '../common/enums/chronology';
import { ActionStatus } from '../common/enums/conferences';
import { BadUserInputError, ForbiddenError } from '../common/errors';
import type { ActingMembership } from './actor';
import { tiersSeenBy } from './child-record.rules';
import { CHAIRING_ROLES } from './conference.rules';
import { CHILD_READING_ROLES, childReadingMembership } from './roles';
import type { Scope } from './scope';

/** The chair's side of a conference. */
export interface ChairedBy {
  chairId: string;
  chairAgencyId: string;
}

type ChairAction = 'run' | 'decide' | 'cancel';

/** FORBIDDEN unless the actor is the conference's chair, acting for the agency they chair for. */
export function requireChair(scope: Scope, conference: ChairedBy, action: ChairAction): ActingMembership {
  const { actor, ability } = scope.signedIn;
  const membership = childReadingMembership(actor);
  if (
    !membership ||
    !ability.can(action, 'Conference') ||
    actor.userId !== conference.chairId ||
    membership.agencyId !== conference.chairAgencyId
  ) {
    throw new ForbiddenError('Only the chair of this conference may do this');
  }
  return membership;
}

/** The convener's membership; BAD_USER_INPUT when the person named chair does not hold the chairing role there. */
export function requireMayChair(chairRoles: readonly Role[] | null, field: string): void {
  if (!chairRoles || !chairRoles.some((role) => CHAIRING_ROLES.includes(role))) {
    throw new BadUserInputError('The chair must be a conference chair of your agency', field);
  }
}

/** The acting membership when it may answer this invitation; FORBIDDEN otherwise. */
export function requireMayRespond(scope: Scope, invitation: { agencyId: string; inviteeId: string | null }) {
  const { actor, ability } = scope.signedIn;
  const membership = childReadingMembership(actor);
  if (!membership || !ability.can('respond', 'ConferenceInvitation') || membership.agencyId !== invitation.agencyId) {
    throw new ForbiddenError('Only the invited agency answers its invitation');
  }
  if (invitation.inviteeId && invitation.inviteeId !== actor.userId) {
    throw new ForbiddenError('Someone else has answered for your agency; they change its answer');
  }
  return membership;
}

/**
 * The acting membership when it may write its agency's report to the conference, in `sensitivity`: the invitee
 * of its agency's accepted invitation, in a tier its kind sees. FORBIDDEN otherwise.
 */
export function requireMayReport(
  scope: Scope,
  invitation: { agencyId: string; inviteeId: string | null; accepted: boolean } | null,
  sensitivity: Sensitivity,
): ActingMembership {
  const { actor, ability } = scope.signedIn;
  const membership = childReadingMembership(actor);
  if (!membership || !ability.can('report', 'Conference') || !invitation) {
    throw new ForbiddenError('Only an invited agency reports to this conference');
  }
  if (!invitation.accepted || invitation.inviteeId !== actor.userId) {
    throw new ForbiddenError('Your agency’s report is written by the person who accepted its invitation');
  }
  if (!tiersSeenBy(membership.agencyKind).includes(sensitivity)) {
    throw new ForbiddenError(`Your agency cannot write under ${sensitivity}: it does not see that tier`);
  }
  return membership;
}

/** FORBIDDEN unless the actor may move the action to `status` (see the header). */
export function requireMayUpdateAction(
  scope: Scope,
  action: { ownerAgencyId: string },
  conference: ChairedBy,
  status: ActionStatus,
): void {
  const { actor, ability } = scope.signedIn;
  const membership = childReadingMembership(actor);
  const chair = membership?.agencyId === conference.chairAgencyId && actor.userId === conference.chairId;
  const owner = membership?.agencyId === action.ownerAgencyId;
  const allowed = status === ActionStatus.DONE ? chair || owner : chair;
  if (!membership || !ability.can('update', 'PlanAction') || !allowed) {
    throw new ForbiddenError(
      status === ActionStatus.DONE
        ? 'Only the agency that owns this action, or the chair, marks it done'
        : 'Only the chair cancels or reopens an action',
    );
  }
}

/** Who hears of a conference: the people of an agency who could attend it (everyone who reads child records). */
export const CONFERENCE_AUDIENCE_ROLES: readonly Role[] = CHILD_READING_ROLES;
