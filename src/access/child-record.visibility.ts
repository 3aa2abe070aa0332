/**
 * What of a child record a viewer sees (DESIGN §4), besides which children it reaches (child-access.ts):
 *
 * - The address: "`address` only via INVOLVED or BREAK_GLASS", the routes that open the full record; a child
 *   hiding from an exploiter is safer the fewer people know where they live (`addressSeen`, from the Child field
 *   rule in child-record.rules.ts). Identity (names, aliases, birth date, gender, flags) shows on every route.
 * - Involvements: "INVOLVED ... full record": through a route that opens the full record (INVOLVED, BREAK_GLASS)
 *   every involvement, past and present, shows. Through the other routes, and in matching, only those the viewer
 *   may learn of: "children's social care and schools to everyone; police, prosecution, youth justice and health
 *   involvements only to agencies of the same kind" (`involvementKindsDisclosedTo`), and its own agency's.
 *   Matching, which reaches no record, discloses only the involvements that are active now.
 * - Identifiers: "by scheme": each agency kind sees the schemes it uses, and an OTHER identifier only the agency
 *   that recorded it (the ChildIdentifier rules in child-record.rules.ts, compiled to SQL here). It records and
 *   matches only those schemes (`requireIdentifierSchemes`), and a match compares only the identifiers it sees,
 *   so neither registering nor searching tells it whether a number it may not see belongs to a child.
 * - An involvement is active, and so opens the INVOLVED route or backs a grant, while `until` is null or in the
 *   future: `activeInvolvement` (active-involvement.ts), the one statement of it.
 */
import { subject } from '@casl/ability';
import type { Brackets } from 'typeorm';
import { accessibleBy, ColumnMap, maskFields, sqlConditionFor } from '../../libs/authz/src';
import { BadUserInputError } from '../common/errors';
import { IdentifierScheme } from '../common/enums/children';
import type { AgencyKind } from '../common/enums/agencies';
import type { Actor } from './actor';
import type { AppAbility } from './app-ability';
import { activeInvolvement } from './active-involvement';
import { involvementKindsDisclosedTo } from './child-record.rules';
import { childReadingMembership } from './roles';

/** Appends `value` to `values` and answers its placeholder. */
function positional(values: unknown[], value: unknown): string {
  values.push(value);
  return `$${values.length}`;
}

/**
 * The involvement aliased `involvement`, of the agency aliased `agency`, is one the viewer may learn of, given
 * its access row aliased `access` (child-access.ts) to the involvement's child. Appends its values to `values`;
 * null when the actor reads no children (and so learns of no involvement).
 */
export function visibleInvolvement(
  actor: Actor | null,
  aliases: { involvement: string; agency: string; access: string },
  values: unknown[],
): string | null {
  const membership = childReadingMembership(actor);
  if (!membership) return null;
  const kinds = positional(values, involvementKindsDisclosedTo(membership.agencyKind));
  const own = positional(values, membership.agencyId);
  return `(${aliases.access}.full_record OR ${aliases.agency}.kind = ANY(${kinds}::text[])
           OR ${aliases.involvement}.agency_id = ${own}::uuid)`;
}

/**
 * The involvement aliased `involvement`, of the agency aliased `agency`, is one a match search by an agency of
 * `kind` discloses: active, and of a kind it may learn of. Appends its value to `values`.
 */
export function involvementDisclosedByMatching(
  kind: AgencyKind,
  aliases: { involvement: string; agency: string },
  values: unknown[],
): string {
  const kinds = positional(values, involvementKindsDisclosedTo(kind));
  return `${activeInvolvement(aliases.involvement)} AND ${aliases.agency}.kind = ANY(${kinds}::text[])`;
}

/** Where the fields the identifier rules mention live, for an identifier aliased `alias`. */
function identifierColumns(alias: string): ColumnMap {
  return {
    scheme: { column: `${alias}.scheme`, type: 'text' },
    recordedByAgencyId: { column: `${alias}.recorded_by_agency_id`, type: 'uuid' },
  };
}

/** The identifier aliased `ci` is one the viewer sees, for a query builder. */
export function visibleIdentifier(ability: AppAbility): Brackets {
  return accessibleBy(ability, 'read', 'ChildIdentifier', identifierColumns('ci'));
}

/** The identifier aliased `alias` is one the viewer sees, for raw SQL: appends its values to `values`. */
export function visibleIdentifierPositional(ability: AppAbility, alias: string, values: unknown[]): string {
  const { sql, params } = sqlConditionFor(ability, 'read', 'ChildIdentifier', identifierColumns(alias));
  return sql.replace(/(?<!:):(\w+)/g, (whole, name: string) => {
    if (!Object.prototype.hasOwnProperty.call(params, name)) return whole;
    return positional(values, params[name]);
  });
}

/**
 * Identifiers given to be recorded on a child, or to match children by: each must be of a scheme the actor's
 * agency sees, or it is BAD_USER_INPUT naming its field (`input.identifiers[0].scheme`). To that agency the
 * scheme is not one it works in, exactly as if it did not exist, whether or not a child holds the number.
 */
export function requireIdentifierSchemes(
  ability: AppAbility,
  action: 'record' | 'match',
  identifiers: ReadonlyArray<{ scheme: IdentifierScheme }> | null | undefined,
  field: string,
): void {
  (identifiers ?? []).forEach(({ scheme }, index) => {
    if (!ability.can(action, subject('ChildIdentifier', { scheme } as Record<string, unknown>))) {
      throw new BadUserInputError(
        `Your agency does not ${action === 'record' ? 'record' : 'search by'} ${scheme} identifiers`,
        `${field}[${index}].scheme`,
      );
    }
  });
}

/**
 * The schemes the actor's agency records identifiers of, as `requireIdentifierSchemes` lets them through: what a
 * registration form offers, so nobody types a number only to be told their agency does not record it.
 */
export function recordableIdentifierSchemes(ability: AppAbility): IdentifierScheme[] {
  return Object.values(IdentifierScheme).filter((scheme) =>
    ability.can('record', subject('ChildIdentifier', { scheme } as Record<string, unknown>)),
  );
}

/** The child's fields that field rules govern; the rest follow the route alone. */
const RULED_CHILD_FIELDS = ['address'] as const;

/** The child's address as the viewer may see it, given whether its route opens the full record. */
export function addressSeen(
  ability: AppAbility,
  child: { address: string | null; fullRecord: boolean },
): string | null {
  return maskFields(ability, 'read', 'Child', child, RULED_CHILD_FIELDS).address;
}
