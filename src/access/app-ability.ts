import { AbilityBuilder, createMongoAbility, MongoAbility, MongoQuery } from '@casl/ability';
import type { Actor } from './actor';

/** Actions and subjects are plain strings named after the domain ('read', 'Child'); rules carry row conditions. */
export type AppAbility = MongoAbility<[string, string | Record<string, unknown>], MongoQuery<Record<string, unknown>>>;
type AbilityRules = AbilityBuilder<AppAbility>;

/** A module's contribution to the permission model: the rules it adds for one actor. */
export type RuleSet = (actor: Actor, rules: AbilityRules) => void;

export function buildAbility(actor: Actor, ruleSets: readonly RuleSet[]): AppAbility {
  const rules = new AbilityBuilder<AppAbility>(createMongoAbility);
  for (const ruleSet of ruleSets) ruleSet(actor, rules);
  return rules.build();
}
