/** The two decisions of the Single Competent Authority on an NRM referral, in the order they are made. */
export enum NrmStage {
  REASONABLE_GROUNDS = 'REASONABLE_GROUNDS',
  CONCLUSIVE_GROUNDS = 'CONCLUSIVE_GROUNDS',
}

/** Where one stage of an NRM referral stands: PENDING until the Single Competent Authority decides it. */
export enum NrmDecision {
  PENDING = 'PENDING',
  POSITIVE = 'POSITIVE',
  NEGATIVE = 'NEGATIVE',
}
