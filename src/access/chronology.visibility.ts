/**
 * Which concerns and risk assessments a viewer sees (DESIGN §4), as SQL.
 *
 * A concern is visible when the viewer reaches its child by some route AND (the viewer's agency wrote it, OR its
 * tier is among the tiers the viewer's routes open). "Tier visibility without a grant: STANDARD to all routes;
 * HEALTH_CONFIDENTIAL to HEALTH agencies and the authoring agency; POLICE_RESTRICTED to POLICE and PROSECUTION
 * agencies and the authoring agency"; a GRANTED route opens the tiers named in the grant, a CONFERENCE route
 * STANDARD only. A risk assessment carries a tier too (STANDARD unless the assessor restricts it) and follows
 * the same rule. An invisible entry is absent from lists and NOT_FOUND by id, never FORBIDDEN: even its
 * existence can compromise an investigation. Who may read or write them by role: chronology.rules.ts; which
 * routes open recording: CHILD_ACTIONS in child-decisions.ts.
 *
 * Each condition is for raw SQL whose FROM joins the child's access row (`ChildAccessScope.toPositional`) as
 * `accessAlias` on the entry's child: the route part of the rule is that join, the tier part is the condition.
 * It appends its value to `values` and answers the SQL with `$n` placeholders.
 */
import type { ChildAccessScope } from './child-access';

/** An entry with a tier and an authoring agency (`sensitivity`, `agency_id`) under `alias` is visible. */
function tieredEntryVisible(scope: ChildAccessScope, alias: string, accessAlias: string, values: unknown[]): string {
  return scope.visibleConcernPositional(`${alias}.sensitivity`, `${alias}.agency_id`, accessAlias, values);
}

/** The concern aliased `concernAlias` is visible through the access row aliased `accessAlias`. */
export function concernVisible(
  scope: ChildAccessScope,
  concernAlias: string,
  accessAlias: string,
  values: unknown[],
): string {
  return tieredEntryVisible(scope, concernAlias, accessAlias, values);
}

/** The risk assessment aliased `assessmentAlias` is visible: the concern rule, over the assessment's own tier. */
export function riskAssessmentVisible(
  scope: ChildAccessScope,
  assessmentAlias: string,
  accessAlias: string,
  values: unknown[],
): string {
  return tieredEntryVisible(scope, assessmentAlias, accessAlias, values);
}
