import reference from './reference/indicators.json';

/**
 * The exploitation indicators a concern may carry (Home Office county-lines guidance, see the file's `about`).
 * Shipped with the service as data: a code not in this list is refused, so statistics and matching count like
 * with like across agencies.
 */
export interface Indicator {
  code: string;
  label: string;
  /** Children in Need census assessment factor codes this indicator most often supports. */
  cin: string[];
}

export const INDICATORS: readonly Indicator[] = reference.indicators;

const CODES: ReadonlySet<string> = new Set(INDICATORS.map((indicator) => indicator.code));

export function isIndicatorCode(code: string): boolean {
  return CODES.has(code);
}
