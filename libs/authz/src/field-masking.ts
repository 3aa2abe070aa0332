import { subject as asSubject, type AnyAbility } from '@casl/ability';

/**
 * Field-level masking: which fields of one loaded row the actor may see, decided by the same CASL ability that
 * filters the rows (see casl-to-sql.ts). Generic: no domain knowledge lives here.
 *
 * How domain field rules use it (e.g. a child's address only via INVOLVED or BREAK_GLASS, identifiers by scheme):
 * 1. The rule is written in src/access/<area>.rules.ts as a field-restricted CASL rule, e.g.
 *    `can('read', 'Child', ['address'], { involvedAgencyIds: { $in: [agencyId] } })` or
 *    `cannot('read', 'Child', ['nhsNumber'])` for an agency kind that must not see it.
 * 2. The service loads rows already filtered in SQL, then passes each row through `maskFields` with the list of
 *    fields that are subject to field rules; every other field is returned untouched.
 * 3. A helper that needs the decision itself (to omit list entries, e.g. identifiers of a scheme, rather than
 *    null a column) calls `permittedFields` and filters with the set it returns.
 *
 * Decisions are made per row on purpose: field rules carry conditions (the route to this child), so asking CASL
 * about the bare subject type would allow every field. Each field is asked as `ability.can(action, row, field)`
 * rather than collected with CASL's permittedFieldsOf, because the latter takes rule field patterns
 * (`identifier*`) literally and so would not hide a field matched by a `cannot` pattern.
 */

/** The row with `K` possibly withheld: a masked field reads as null, exactly like an absent value. */
export type Masked<T, K extends keyof T> = Omit<T, K> & { [P in K]: T[P] | null };

/** The fields among `fields` that `ability` allows `action` on for this particular row. */
export function permittedFields<K extends string>(
  ability: AnyAbility,
  action: string,
  subjectType: string,
  row: object,
  fields: readonly K[],
): Set<K> {
  // A copy, so tagging the subject type does not touch the caller's row.
  const target = asSubject(subjectType, { ...row });
  return new Set(fields.filter((field) => ability.can(action, target, field)));
}

/** A copy of `row` (same prototype) in which every field of `fields` the ability does not allow is null. */
export function maskFields<T extends object, K extends keyof T & string>(
  ability: AnyAbility,
  action: string,
  subjectType: string,
  row: T,
  fields: readonly K[],
): Masked<T, K> {
  const permitted = permittedFields(ability, action, subjectType, row, fields);
  const masked = Object.assign(Object.create(Object.getPrototypeOf(row) as object | null) as T, row);
  for (const field of fields) {
    if (!permitted.has(field)) (masked as Record<string, unknown>)[field] = null;
  }
  return masked as Masked<T, K>;
}
