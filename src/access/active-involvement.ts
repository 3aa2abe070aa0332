/**
 * An involvement is active while it has no end date or ends in the future (DESIGN §4: an agency "involved with the
 * child"): the one definition of "involved now", as SQL over `involvement` aliased `alias`.
 */
export function activeInvolvement(alias: string): string {
  return `(${alias}.until IS NULL OR ${alias}.until > current_date)`;
}
