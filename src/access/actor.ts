import type { AgencyKind, Role } from '../common/enums/agencies';

/**
 * Who is acting: one person through one agency membership (DESIGN §3). Re-read from the database on every
 * request, so a revoked session, a deactivated person or changed roles take effect immediately.
 */
export interface Actor {
  userId: string;
  sessionId: string;
  email: string;
  displayName: string;
  platformAdmin: boolean;
  /** The membership this session acts for; null for a platform admin signed in without one. */
  membership: ActingMembership | null;
}

export interface ActingMembership {
  agencyId: string;
  agencyKind: AgencyKind;
  /** Flagged first responder for the National Referral Mechanism (police, children's services, some charities). */
  firstResponder: boolean;
  roles: Role[];
}
