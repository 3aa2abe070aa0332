/** The dataset sizes the benchmark runs at (issue 14): `national` is England's, the others a fixed share of it. */
const SCALE_NAMES = ['small', 'medium', 'national'] as const;
export type ScaleName = (typeof SCALE_NAMES)[number];

/** How many rows of each kind a dataset holds; the other tables (identifiers, grants, reports) follow from these. */
export interface Scale {
  name: ScaleName;
  children: number;
  concerns: number;
  localAuthorities: number;
  agencies: number;
  people: number;
  conferences: number;
  auditEvents: number;
}

const NATIONAL: Omit<Scale, 'name'> = {
  children: 1_000_000,
  concerns: 10_000_000,
  localAuthorities: 153,
  agencies: 2_000,
  people: 50_000,
  conferences: 100_000,
  auditEvents: 20_000_000,
};

const SHARE: Record<ScaleName, number> = { small: 0.01, medium: 0.1, national: 1 };

/**
 * Each local authority has children's social care, police, health, a youth service and at least one school
 * (agency slots 0 to 4), and each agency an admin, leads and conference chairs (people 0 to 3): below these the
 * generated relationships would have no one to point at.
 */
const AGENCIES_PER_AUTHORITY_MIN = 5;
const PEOPLE_PER_AGENCY_MIN = 5;

/** `national` scaled down by the scale's share, every table in proportion, keeping the minimums above. */
export function scaleOf(name: ScaleName): Scale {
  const share = SHARE[name];
  const of = (n: number) => Math.max(1, Math.round(n * share));
  const localAuthorities = of(NATIONAL.localAuthorities);
  const agencies = Math.max(of(NATIONAL.agencies), localAuthorities * AGENCIES_PER_AUTHORITY_MIN);
  return {
    name,
    children: of(NATIONAL.children),
    concerns: of(NATIONAL.concerns),
    localAuthorities,
    agencies,
    people: Math.max(of(NATIONAL.people), agencies * PEOPLE_PER_AGENCY_MIN),
    conferences: of(NATIONAL.conferences),
    auditEvents: of(NATIONAL.auditEvents),
  };
}

export function isScaleName(value: string): value is ScaleName {
  return (SCALE_NAMES as readonly string[]).includes(value);
}
