/**
 * The values of an enum as an SQL list (`'A', 'B'`), for the CHECK constraints entities declare: the schema-drift
 * test compares each with the constraint the migrations created, so a value added to an enum fails that test until
 * a migration widens the check.
 */
export function sqlList(values: readonly string[] | Record<string, string>): string {
  const list = Array.isArray(values) ? values : Object.values(values);
  return list.map((value) => `'${value.replace(/'/g, "''")}'`).join(', ');
}
