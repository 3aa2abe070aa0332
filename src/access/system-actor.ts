import { AbilityBuilder, createMongoAbility } from '@casl/ability';
import { ForbiddenError } from '../common/errors';
import type { UnitOfWork } from '../database/unit-of-work';
import type { AppAbility } from './app-ability';
import { Scope } from './scope';

/**
 * Work no person starts: a job acts as a named system actor, with only the abilities written here, and nobody's
 * routes to any child. It is no person: its scope has no actor, so nothing that asks for a signed-in person
 * (every resolver's policy, `requireOnChild`) lets it through, and it reads only what its own service methods
 * read for it. Its audit events name no person or agency and carry `job:<actor>:<job id>` as their request, so
 * the trail says which job did what.
 *
 * - `reminders` tells the people of a conference that its deadline approaches (remind Conference) and the owners
 *   of a plan action that it is overdue (remind PlanAction), and finds what is still to be reminded (sweep).
 */
export type SystemActorName = 'reminders';

const SYSTEM_RULES: Record<SystemActorName, (rules: AbilityBuilder<AppAbility>) => void> = {
  reminders: ({ can }) => {
    can(['remind', 'sweep'], 'Conference');
    can('remind', 'PlanAction');
  },
};

/** The scope a job of `name` runs in: its unit of work, its ability, its job id as the request. */
export function systemScope(name: SystemActorName, unit: UnitOfWork, jobId: string): Scope {
  const rules = new AbilityBuilder<AppAbility>(createMongoAbility);
  SYSTEM_RULES[name](rules);
  return new Scope(`job:${name}:${jobId}`, `job:${name}`, unit, null, rules.build());
}

/** FORBIDDEN unless the scope is a system actor's that may do `action` to `subject`. */
export function requireSystem(scope: Scope, action: string, subject: string): void {
  if (scope.actor || !scope.ability?.can(action, subject)) throw new ForbiddenError();
}

/** The system actors and what each may do, for the access matrix. */
export function systemAbilities(): Array<{
  actor: SystemActorName;
  rules: Array<{ action: string; subject: string }>;
}> {
  return (Object.keys(SYSTEM_RULES) as SystemActorName[]).map((actor) => {
    const rules = new AbilityBuilder<AppAbility>(createMongoAbility);
    SYSTEM_RULES[actor](rules);
    return {
      actor,
      rules: rules.rules.flatMap((rule) =>
        [rule.action]
          .flat()
          .flatMap((action) => [rule.subject].flat().map((subject) => ({ action, subject: String(subject) }))),
      ),
    };
  });
}
