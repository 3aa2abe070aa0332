/** What the prosecutor decided at the end of the four stages (contract.graphql ProsecutionOutcome). */
export enum ProsecutionOutcome {
  NO_PROSECUTION = 'NO_PROSECUTION',
  PROSECUTE = 'PROSECUTE',
  DEFER_PENDING_NRM = 'DEFER_PENDING_NRM',
}

/**
 * Which limb of the Modern Slavery Act 2015 s45 defence applies, by the suspect's age on the offence date: the
 * child limb, s45(4), under 18 (no compulsion needed); the adult limb, s45(1), 18 or over (compelled).
 */
export enum Section45Limb {
  CHILD = 'CHILD',
  ADULT = 'ADULT',
}
