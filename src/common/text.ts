/**
 * Characters as the database's checks count them: PostgreSQL's length() counts code points, where a string's
 * `length` counts UTF-16 units (an emoji outside the Basic Multilingual Plane is two). Every text limit, in an
 * input's decorators or a service, counts with this, so a limit in code and the CHECK in SQL agree: text the
 * code accepts fits the column, and text over the limit is refused naming its field, not an internal error.
 */
export function characterCount(value: string): number {
  return [...value].length;
}
