/** The UK GDPR Article 6 basis a grant relies on (the information-sharing advice asks that it be recorded). */
export enum LawfulBasis {
  LEGAL_OBLIGATION = 'LEGAL_OBLIGATION',
  PUBLIC_TASK = 'PUBLIC_TASK',
  VITAL_INTERESTS = 'VITAL_INTERESTS',
  CONSENT = 'CONSENT',
  SAFEGUARDING_OF_CHILDREN = 'SAFEGUARDING_OF_CHILDREN',
}
