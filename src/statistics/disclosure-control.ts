/**
 * Statistical disclosure control of published counts (the ONS and DfE practice for small-area statistics about
 * children). In this order:
 *
 * 1. Primary suppression: a count from 1 to 4 is not published (count null, suppressed true). A small cell can
 *    point at a child ("three concerns of sexual exploitation in a care home in Northbridge this month"). Zero is
 *    published: it is about no one.
 * 2. Secondary suppression: where exactly one cell of a breakdown is suppressed, the next smallest non-zero cell is
 *    suppressed too, so the total minus the published cells gives the sum of two cells, not one. Where two or more
 *    are suppressed already, no further cell is. A zero is never the complement: suppressing it would hide nothing,
 *    since the pair's sum would be the small cell itself.
 * 3. Rounding: every count that is published, the cells and the total alike, is rounded to the nearest multiple of
 *    5 (0, 1, 2 down; 3, 4 up). Suppression alone protects one query, not two: the counts of 1 to 31 March and of
 *    1 to 30 March differ by exactly the concerns of 31 March, a cell of one day no single query would publish.
 *    Rounded counts differ by a multiple of 5 that brackets the difference without pinning it (7 and 8 publish as
 *    5 and 10), and the total no longer equals the sum of the cells, so no cell, suppressed or small, is recovered
 *    exactly by subtraction within a query or across queries with overlapping ranges or areas.
 * 4. The total is suppressed when it is itself from 1 to 4, and otherwise rounded like a cell.
 *
 * The residual risk: rounding is deterministic, so a determined analyst who runs many overlapping queries learns
 * intervals, not counts; that is the accepted standard for published tables, and every query is audited.
 */

/** Counts from 1 to this minus one are suppressed. */
const SMALLEST_PUBLISHED = 5;
/** Every published count is a multiple of this. */
const ROUNDING_BASE = 5;

/** One published cell of a breakdown. */
export interface ProtectedCell {
  key: string;
  count: number | null;
  suppressed: boolean;
}

const isSmall = (count: number) => count > 0 && count < SMALLEST_PUBLISHED;

/** `count` to the nearest multiple of ROUNDING_BASE. */
export function rounded(count: number): number {
  return Math.round(count / ROUNDING_BASE) * ROUNDING_BASE;
}

/** The total as published: null when it is from 1 to 4, otherwise rounded. */
export function protectedTotal(count: number): number | null {
  return isSmall(count) ? null : rounded(count);
}

/**
 * A breakdown as published, one cell per key in the order given (every key, so which are absent says nothing):
 * primary suppression, secondary suppression of the next smallest non-zero cell when only one is suppressed, then
 * rounding. Ties for the next smallest go to the earlier key, so the same counts always publish the same table.
 */
export function protectedBreakdown(keys: readonly string[], counts: ReadonlyMap<string, number>): ProtectedCell[] {
  const cells = keys.map((key) => ({ key, count: counts.get(key) ?? 0 }));
  const suppressed = new Set(cells.filter((cell) => isSmall(cell.count)).map((cell) => cell.key));
  if (suppressed.size === 1) {
    const complement = cells
      .filter((cell) => !suppressed.has(cell.key) && cell.count > 0)
      .reduce<{ key: string; count: number } | null>(
        (smallest, cell) => (smallest === null || cell.count < smallest.count ? cell : smallest),
        null,
      );
    if (complement) suppressed.add(complement.key);
  }
  return cells.map((cell) =>
    suppressed.has(cell.key)
      ? { key: cell.key, count: null, suppressed: true }
      : { key: cell.key, count: rounded(cell.count), suppressed: false },
  );
}
