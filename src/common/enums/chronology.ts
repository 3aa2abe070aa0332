/** What kind of harm a concern is about (contract.graphql). Also the types of exploitation a risk assessment names. */
export enum ConcernCategory {
  CRIMINAL_EXPLOITATION = 'CRIMINAL_EXPLOITATION',
  COUNTY_LINES = 'COUNTY_LINES',
  SEXUAL_EXPLOITATION = 'SEXUAL_EXPLOITATION',
  TRAFFICKING = 'TRAFFICKING',
  LABOUR_EXPLOITATION = 'LABOUR_EXPLOITATION',
  GANG_AFFILIATION = 'GANG_AFFILIATION',
  MISSING_FROM_HOME = 'MISSING_FROM_HOME',
  MISSING_FROM_EDUCATION = 'MISSING_FROM_EDUCATION',
  ONLINE_HARM = 'ONLINE_HARM',
  NEGLECT = 'NEGLECT',
  PHYSICAL_ABUSE = 'PHYSICAL_ABUSE',
  EMOTIONAL_ABUSE = 'EMOTIONAL_ABUSE',
  SEXUAL_ABUSE = 'SEXUAL_ABUSE',
  DOMESTIC_ABUSE = 'DOMESTIC_ABUSE',
  RADICALISATION = 'RADICALISATION',
  SUBSTANCE_MISUSE = 'SUBSTANCE_MISUSE',
  OTHER = 'OTHER',
}

/** Where the child was drawn in, as far as the recording practitioner knows. */
export enum RecruitmentSetting {
  SECONDARY_SCHOOL = 'SECONDARY_SCHOOL',
  PRIMARY_SCHOOL = 'PRIMARY_SCHOOL',
  HEALTHCARE_INSTITUTION = 'HEALTHCARE_INSTITUTION',
  SOCIAL_MEDIA = 'SOCIAL_MEDIA',
  ONLINE_GAMING = 'ONLINE_GAMING',
  STREET = 'STREET',
  HOME = 'HOME',
  CARE_HOME = 'CARE_HOME',
  OTHER = 'OTHER',
  UNKNOWN = 'UNKNOWN',
}

/** Declared lowest first: the declaration order is the severity. */
export enum RiskLevel {
  LOW = 'LOW',
  MEDIUM = 'MEDIUM',
  HIGH = 'HIGH',
  CRITICAL = 'CRITICAL',
}

/** `minRisk: HIGH` means HIGH or CRITICAL: the levels to match with `level = ANY(...)` in SQL. */
export function riskLevelsAtLeast(minimum: RiskLevel): RiskLevel[] {
  const levels = Object.values(RiskLevel);
  return levels.slice(levels.indexOf(minimum));
}

/** Who beyond the authoring agency may read an entry (DESIGN §4). */
export enum Sensitivity {
  STANDARD = 'STANDARD',
  HEALTH_CONFIDENTIAL = 'HEALTH_CONFIDENTIAL',
  POLICE_RESTRICTED = 'POLICE_RESTRICTED',
}
