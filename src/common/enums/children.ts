/** How a child is known to a public service (contract.graphql). */
export enum IdentifierScheme {
  /** Unique Pupil Number (DfE): schools and children's social care. */
  UPN = 'UPN',
  NHS_NUMBER = 'NHS_NUMBER',
  /** The local authority's own case reference. */
  LOCAL_AUTHORITY = 'LOCAL_AUTHORITY',
  POLICE_NATIONAL_COMPUTER = 'POLICE_NATIONAL_COMPUTER',
  OTHER = 'OTHER',
}

/** Why an agency works with the child: the basis of its default (INVOLVED) access. */
export enum InvolvementBasis {
  PUPIL = 'PUPIL',
  OPEN_CASE = 'OPEN_CASE',
  INVESTIGATION = 'INVESTIGATION',
  REFERRAL = 'REFERRAL',
  HEALTH_CARE = 'HEALTH_CARE',
  YOUTH_WORK = 'YOUTH_WORK',
  SUPERVISION = 'SUPERVISION',
}

/** Facts about the child that every route sees (set by conferences and NRM decisions in later modules). */
export enum ChildFlag {
  POTENTIAL_VICTIM_OF_EXPLOITATION = 'POTENTIAL_VICTIM_OF_EXPLOITATION',
  NRM_POSITIVE_REASONABLE_GROUNDS = 'NRM_POSITIVE_REASONABLE_GROUNDS',
  NRM_POSITIVE_CONCLUSIVE_GROUNDS = 'NRM_POSITIVE_CONCLUSIVE_GROUNDS',
  UNDER_CHILD_PROTECTION_PLAN = 'UNDER_CHILD_PROTECTION_PLAN',
}
