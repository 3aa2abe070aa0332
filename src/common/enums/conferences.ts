/** The conference kinds of Working Together 2023, and the multi-agency exploitation risk meeting (contract.graphql). */
export enum ConferenceKind {
  STRATEGY_DISCUSSION = 'STRATEGY_DISCUSSION',
  INITIAL_CHILD_PROTECTION = 'INITIAL_CHILD_PROTECTION',
  REVIEW_CHILD_PROTECTION = 'REVIEW_CHILD_PROTECTION',
  EXPLOITATION_RISK = 'EXPLOITATION_RISK',
}

/** A conference moves CONVENED -> IN_SESSION -> DECIDED, or to CANCELLED from either of the first two. */
export enum ConferenceStatus {
  CONVENED = 'CONVENED',
  IN_SESSION = 'IN_SESSION',
  DECIDED = 'DECIDED',
  CANCELLED = 'CANCELLED',
}

export enum InvitationResponse {
  PENDING = 'PENDING',
  ACCEPTED = 'ACCEPTED',
  DECLINED = 'DECLINED',
}

/** What the conference recommends: first a victim to protect, or a suspect to prosecute (DESIGN §2). */
export enum ConferenceRecommendation {
  VICTIM_PROTECTION = 'VICTIM_PROTECTION',
  PROSECUTION = 'PROSECUTION',
  DEFER_PENDING_NRM = 'DEFER_PENDING_NRM',
  NO_FURTHER_ACTION = 'NO_FURTHER_ACTION',
}

/** A plan action's state; OVERDUE is never stored: an OPEN action past its due date is shown as OVERDUE. */
export enum ActionStatus {
  OPEN = 'OPEN',
  DONE = 'DONE',
  OVERDUE = 'OVERDUE',
  CANCELLED = 'CANCELLED',
}
