import type { ConcernCategory } from '../common/enums/chronology';
import reference from './reference/cin-assessment-factors.json';
import { INDICATORS } from './indicators';

/**
 * The DfE Children in Need census "factors identified at the end of assessment" (CIN_schema_2024.xsd, see the
 * file's `about`) that a child's concerns suggest, for the local authority's census return: from each concern's
 * category (`fromCategory`) and its indicators (the `cin` codes of reference/indicators.json). A suggestion, not an
 * assessment: the social worker who completes the assessment records the factors.
 */
export interface CinFactor {
  code: string;
  label: string;
}

const LABELS: Readonly<Record<string, string>> = reference.factors;
const FROM_CATEGORY: Readonly<Record<string, readonly string[]>> = reference.fromCategory;
const FROM_INDICATOR: ReadonlyMap<string, readonly string[]> = new Map(INDICATORS.map((i) => [i.code, i.cin]));

/** The census's own order: by number, then letter (1A, 1B, 2A ... 10A, 24A), not the string order. */
function censusOrder(a: string, b: string): number {
  return parseInt(a, 10) - parseInt(b, 10) || a.localeCompare(b);
}

/** The factors the concerns suggest, each once, in census order. */
export function suggestedCinFactors(
  concerns: ReadonlyArray<{ category: ConcernCategory; indicators: readonly string[] }>,
): CinFactor[] {
  const codes = new Set<string>();
  for (const concern of concerns) {
    for (const code of FROM_CATEGORY[concern.category] ?? []) codes.add(code);
    for (const indicator of concern.indicators) for (const code of FROM_INDICATOR.get(indicator) ?? []) codes.add(code);
  }
  return [...codes].sort(censusOrder).map((code) => ({ code, label: LABELS[code] }));
}
