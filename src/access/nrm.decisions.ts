import { subject } from '@casl/ability';
import { ForbiddenError } from '../common/errors';
import type { ChildAccess } from './child-access';
import { requireOnChild } from './child-decisions';
import type { Scope } from './scope';

/**
 * The actor's access to the referral's child when it may record the Single Competent Authority's decision on it:
 * a first responder of the referring agency (nrm.rules.ts) through a route that opens referring (CHILD_ACTIONS.refer).
 * The referral must already be one the actor sees (nrm.visibility.ts); another agency's referral is FORBIDDEN,
 * since the decision letter goes to the agency that referred, and it answers for what is on the record.
 */
export async function requireToRecordNrmDecision(
  scope: Scope,
  referral: { childId: string; referringAgencyId: string },
): Promise<ChildAccess> {
  const access = await requireOnChild(scope, 'refer', referral.childId);
  const target = subject('NrmReferral', { referringAgencyId: referral.referringAgencyId } as Record<string, unknown>);
  if (!scope.signedIn.ability.can('recordDecision', target)) {
    throw new ForbiddenError('Only the agency that made the referral records the decisions on it');
  }
  return access;
}
