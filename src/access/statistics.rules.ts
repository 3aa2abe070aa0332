import { Role } from '../common/enums/agencies';
import { ForbiddenError } from '../common/errors';
import type { RuleSet } from './app-ability';
import type { Scope } from './scope';

/**
 * Anonymised statistics (DESIGN §1, §4). Subject: 'ExploitationStatistics'.
 *
 * "ANALYST sees statistics only": counts of concerns under statistical disclosure control (src/statistics), never
 * a record, never a child id, and no route to any child (ANALYST is not among the child-reading roles of
 * roles.ts). Nobody else reads them: a practitioner reads the records themselves, where the access model decides
 * what they see, and counts across a whole local authority would tell them of children they do not reach. The
 * platform admin creates agencies and nothing else (DESIGN §1), even through a membership.
 */
export const statisticsRules: RuleSet = (actor, { can }) => {
  if (actor.platformAdmin) return;
  if (actor.membership?.roles.includes(Role.ANALYST)) can('read', 'ExploitationStatistics');
};

/** FORBIDDEN unless the actor reads statistics: for callers other than the GraphQL resolver's policy. */
export function requireToReadStatistics(scope: Scope): void {
  if (!scope.signedIn.ability.can('read', 'ExploitationStatistics')) throw new ForbiddenError();
}
