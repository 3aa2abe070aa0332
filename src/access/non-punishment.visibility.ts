/**
 * What a viewer sees of a non-punishment assessment (DESIGN §4). An assessment is visible to whoever reaches its
 * child, by any route: its outcome is what every agency around the child needs to know, and the record's flags
 * already say the child was treated as a potential victim. Its reasoning only to a PROSECUTION agency
 * (non-punishment.rules.ts): the repository reads rows through the child's access scope, and the service blanks the
 * reasoning for anyone this says may not read it.
 */
import type { AppAbility } from './app-ability';
import { NON_PUNISHMENT_REASONING_FIELDS } from './non-punishment.rules';

/** Whether the viewer reads the reasoning of the assessments it sees. */
export function seesNonPunishmentReasoning(ability: AppAbility | null | undefined): boolean {
  return (
    ability !== null &&
    ability !== undefined &&
    NON_PUNISHMENT_REASONING_FIELDS.every((field) => ability.can('read', 'NonPunishmentAssessment', field))
  );
}
