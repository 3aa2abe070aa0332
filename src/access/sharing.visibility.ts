/**
 * Who sees a child's grants, refusals and break-glass uses, and who may share, break glass and review (DESIGN §2,
 * §4), as SQL conditions and decisions. The roles behind them are in sharing.rules.ts.
 *
 * - Grants: "SAFEGUARDING_LEAD and SOCIAL_WORKER also ... grant and revoke access" for an agency involved with the
 *   child. Those who may share a child's record see every grant their agency made or received, and others' grants
 *   of tiers they may see themselves: that one police force lent another its intelligence, and why, is as
 *   restricted as the intelligence. Everyone else who reaches the child sees the grants made to their own agency.
 * - Refusals (a recorded decision not to share): seen by the same people, their own agency's, and others' only
 *   between agencies whose involvement they may learn of, since a police force refusing another one is police
 *   business.
 * - Sharing: only an agency INVOLVED with the child shares it (a grantee cannot pass on what it was lent), and only
 *   tiers its own kind sees (a school does not hold police intelligence to pass on).
 * - Break-glass: for a child the person cannot otherwise open in full; never on top of an involvement or an open
 *   break-glass. Each use is reviewed by every agency involved with the child when the glass was broken (their
 *   record was opened), each on its own: one agency's review does not close another's. The user's own agency
 *   sees the use until all have (it answers for its staff) but does not review it, or a colleague could close
 *   it unseen; it reviews only a record no other agency held. Never by the user.
 */
import type { AgencyKind } from '../common/enums/agencies';
import type { Sensitivity } from '../common/enums/chronology';
import { FailedPreconditionError, ForbiddenError, NotFoundError } from '../common/errors';
import type { ActingMembership, Actor } from './actor';
import type { AppAbility } from './app-ability';
import { AccessRoute, ChildAccess, loadChildAccess } from './child-access';
import { routeOpens } from './child-decisions';
import { involvementKindsDisclosedTo, tiersSeenBy } from './child-record.rules';
import { childReadingMembership, mayGrant } from './roles';
import type { Scope } from './scope';

/** How much of one child's sharing the viewer sees. */
export interface SharingView {
  /** The viewer's access to the child: reading its sharing is a read of the child, audited with this route. */
  access: ChildAccess;
  agencyId: string;
  /** Those who may share the child see beyond what concerns their own agency. */
  seesAll: boolean;
  /** The tiers the viewer reaches, for others' grants. */
  tiers: Sensitivity[];
  /** The agency kinds whose involvement the viewer may learn of, for others' refusals. */
  disclosedKinds: AgencyKind[];
}

/** The viewer's view of a child's sharing; NOT_FOUND when they do not reach the child. */
export async function sharingView(ctx: Scope, childId: string): Promise<SharingView> {
  const access = await loadChildAccess(ctx, childId);
  const membership = childReadingMembership(ctx.actor);
  if (!access || !membership) throw new NotFoundError('Child', childId);
  return sharingViewThrough(access, membership);
}

/** The view of a child's sharing that `membership`, reaching the child by `access`, has. */
export function sharingViewThrough(access: ChildAccess, membership: ActingMembership): SharingView {
  return {
    access,
    agencyId: membership.agencyId,
    seesAll: routeOpens(access, 'share') && mayGrant(membership),
    tiers: access.tiers,
    disclosedKinds: involvementKindsDisclosedTo(membership.agencyKind),
  };
}

/** The grants (`access_grant` aliased `grant`) the view shows; appends its values to `values`. */
export function visibleGrant(view: SharingView, grant: string, values: unknown[]): string {
  values.push(view.agencyId, view.seesAll, view.tiers);
  const [agency, seesAll, tiers] = [values.length - 2, values.length - 1, values.length].map((n) => `$${n}`);
  return `(${grant}.grantee_agency_id = ${agency}
           OR (${seesAll} AND (${grant}.granting_agency_id = ${agency} OR ${grant}.tiers <@ ${tiers}::text[])))`;
}

/**
 * The refusals (`access_refusal` aliased `refusal`, joined to the deciding and requesting `agency` rows) the view
 * shows; appends its values to `values`.
 */
export function visibleRefusal(
  view: SharingView,
  aliases: { refusal: string; deciding: string; requesting: string },
  values: unknown[],
): string {
  const { refusal, deciding, requesting } = aliases;
  values.push(view.agencyId, view.seesAll, view.disclosedKinds);
  const [agency, seesAll, kinds] = [values.length - 2, values.length - 1, values.length].map((n) => `$${n}`);
  return `(${refusal}.requesting_agency_id = ${agency}
           OR (${seesAll} AND (${refusal}.deciding_agency_id = ${agency}
                               OR (${deciding}.kind = ANY(${kinds}::text[]) AND ${requesting}.kind = ANY(${kinds}::text[])))))`;
}

/** The membership that shares (grants, revokes, refuses); FORBIDDEN for anyone else. */
export function sharingMembership(ctx: Scope): ActingMembership {
  const membership = childReadingMembership(ctx.signedIn.actor);
  if (!membership || !mayGrant(membership)) throw new ForbiddenError();
  return membership;
}

/** FORBIDDEN unless the sharing agency's own kind sees every tier it would lend. */
export function requireTiersItMayShare(membership: ActingMembership, tiers: readonly Sensitivity[]): void {
  const foreign = tiers.filter((tier) => !tiersSeenBy(membership.agencyKind).includes(tier));
  if (foreign.length > 0) {
    throw new ForbiddenError(`Your agency cannot share ${foreign.join(', ')}: it does not see that tier`);
  }
}

/**
 * FORBIDDEN unless the actor's role may break glass ("POLICE_OFFICER, SOCIAL_WORKER and SAFEGUARDING_LEAD may
 * break glass"). Asked on the child rather than at the door, so that an attempt on a record that exists is audited
 * as refused (DESIGN §5) however it was refused.
 */
export function requireRoleToBreakGlass(ability: AppAbility): void {
  if (!ability.can('breakGlass', 'Child')) throw new ForbiddenError();
}

/**
 * FAILED_PRECONDITION when the actor already opens the whole record (involved, or an open break-glass); otherwise
 * the route the emergency access opens, to record it by.
 */
export function requireMayBreakGlass(current: AccessRoute | null): AccessRoute {
  if (current === AccessRoute.INVOLVED) {
    throw new FailedPreconditionError('Your agency is involved with this child: you already see the record');
  }
  if (current === AccessRoute.BREAK_GLASS) {
    throw new FailedPreconditionError('Your emergency access to this record is still open');
  }
  return AccessRoute.BREAK_GLASS;
}

/**
 * The break-glass uses (`break_glass_access` aliased `use`) waiting for the actor's agency: its own review of a
 * record it held, or one made by its staff that another agency has still to review (it answers for its staff);
 * never the actor's own. Appends its values to `values`.
 */
export function reviewableBreakGlass(actor: Actor, use: string, values: unknown[]): string {
  values.push(actor.membership?.agencyId ?? null, actor.userId);
  const [agency, user] = [`$${values.length - 1}`, `$${values.length}`];
  return `(${use}.user_id <> ${user} AND EXISTS (
      SELECT 1 FROM break_glass_review pending
       WHERE pending.break_glass_id = ${use}.id AND pending.reviewed_at IS NULL
         AND (pending.agency_id = ${agency} OR ${use}.agency_id = ${agency})))`;
}

/**
 * The uses the actor may answer about (review, or be refused by name rather than NOT_FOUND): their own, their
 * agency's staff's, and those their agency reviews. Appends its values to `values`.
 */
export function answerableBreakGlass(actor: Actor, use: string, values: unknown[]): string {
  values.push(actor.membership?.agencyId ?? null, actor.userId);
  const [agency, user] = [`$${values.length - 1}`, `$${values.length}`];
  return `(${use}.user_id = ${user} OR ${use}.agency_id = ${agency} OR EXISTS (
      SELECT 1 FROM break_glass_review r WHERE r.break_glass_id = ${use}.id AND r.agency_id = ${agency}))`;
}

/**
 * Joins a use to the review the viewer's agency owes it (`break_glass_review` aliased `review`), if any: the
 * review a viewer sees as the use's reviewedAt and reviewOutcome. Appends its values to `values`.
 */
export function ownReview(actor: Actor, use: string, review: string, values: unknown[]): string {
  values.push(actor.membership?.agencyId ?? null);
  return `${review}.break_glass_id = ${use}.id AND ${review}.agency_id = $${values.length}`;
}

/**
 * Someone else must review a break-glass, and of another agency: the agencies whose record was opened review it,
 * not the colleagues of the person who opened it. FORBIDDEN otherwise.
 */
export function requireMayReview(actor: Actor, use: { userId: string; reviewsIt: boolean }): void {
  if (use.userId === actor.userId) throw new ForbiddenError('Someone else must review your emergency access');
  if (!use.reviewsIt) {
    throw new ForbiddenError(
      'The agencies whose record was opened review this emergency access; your agency answers for its staff',
    );
  }
}
