import { AgencyKind } from '../common/enums/agencies';
import { Sensitivity } from '../common/enums/chronology';
import { IdentifierScheme } from '../common/enums/children';
import type { RuleSet } from './app-ability';
import { ASSESSING_ROLES, childReadingMembership, holdsAny, RECORDING_ROLES } from './roles';

/**
 * The child record: who may reach it at all, what each agency kind sees in it, and who may change it
 * (DESIGN §4). Which children an actor reaches (the routes) is computed in SQL by child-access.ts from the
 * functions below; the CASL rules here gate the operations.
 */

/**
 * Tiers an agency kind sees on the INVOLVED and BREAK_GLASS routes. Health information is confidential to
 * clinicians (Caldicott principles), police intelligence to police and prosecutors (it may compromise an
 * investigation). The authoring agency always sees its own entries whatever the tier: that part is per concern
 * (see `visibleConcernCondition` in child-access.ts).
 */
export function tiersSeenBy(kind: AgencyKind): Sensitivity[] {
  const tiers = [Sensitivity.STANDARD];
  if (kind === AgencyKind.HEALTH) tiers.push(Sensitivity.HEALTH_CONFIDENTIAL);
  if (kind === AgencyKind.POLICE || kind === AgencyKind.PROSECUTION) tiers.push(Sensitivity.POLICE_RESTRICTED);
  return tiers;
}

/**
 * Identifier schemes each agency kind sees (DESIGN §4): a number is shown to the services that use it, and not
 * beyond (an NHS number is health data; a PNC id reveals police contact). Children's social care holds the NHS
 * number too: the Child Protection - Information Sharing service (CP-IS) that tells unscheduled NHS care a child
 * is on a plan is keyed by it. LOCAL_AUTHORITY references are shared by everyone working the case. OTHER
 * identifiers can be anything (a Home Office or passport reference), so only the agency that recorded one sees it
 * (see the ChildIdentifier rules in childRecordRules).
 */
export function identifierSchemesSeenBy(kind: AgencyKind): IdentifierScheme[] {
  const schemes = [IdentifierScheme.LOCAL_AUTHORITY];
  if (kind === AgencyKind.HEALTH || kind === AgencyKind.CHILDRENS_SOCIAL_CARE) {
    schemes.push(IdentifierScheme.NHS_NUMBER);
  }
  if (kind === AgencyKind.POLICE || kind === AgencyKind.PROSECUTION) {
    schemes.push(IdentifierScheme.POLICE_NATIONAL_COMPUTER);
  }
  if (kind === AgencyKind.SCHOOL || kind === AgencyKind.CHILDRENS_SOCIAL_CARE) schemes.push(IdentifierScheme.UPN);
  return schemes;
}

/**
 * Agency kinds whose involvement with a child anyone may learn of (matching, and routes other than INVOLVED and
 * BREAK_GLASS): the universal services. That the police, prosecutors, youth justice or a health service work with
 * a child is itself sensitive: only agencies of the same kind learn of it (DESIGN §4, matching). A voluntary
 * agency is treated the same way: the ones on this platform are anti-trafficking charities, so their involvement
 * says what is suspected.
 */
const OPENLY_INVOLVED_KINDS: readonly AgencyKind[] = [
  AgencyKind.CHILDRENS_SOCIAL_CARE,
  AgencyKind.SCHOOL,
  AgencyKind.YOUTH_SERVICE,
];

/** Agency kinds whose involvements `viewer` may learn of without a full-record route. */
export function involvementKindsDisclosedTo(viewer: AgencyKind): AgencyKind[] {
  return OPENLY_INVOLVED_KINDS.includes(viewer) ? [...OPENLY_INVOLVED_KINDS] : [...OPENLY_INVOLVED_KINDS, viewer];
}

export const childRecordRules: RuleSet = (actor, { can, cannot }) => {
  const membership = childReadingMembership(actor);
  if (!membership) return;
  // Which child is decided in SQL by the access routes; this says the actor may look for children at all,
  // including the minimal, audited match that lets an agency find a record and ask for access.
  can('read', 'Child');
  // The address only through a route that opens the full record (INVOLVED, BREAK_GLASS): a child hiding from
  // an exploiter is safer the fewer people know where they live. `fullRecord` is the viewer's route to this
  // child (child-access.ts); addressSeen (child-record.visibility.ts) masks the field row by row.
  cannot('read', 'Child', ['address'], { fullRecord: false });
  // Identifiers by scheme (identifierSchemesSeenBy), and an OTHER identifier only to the agency that recorded
  // it; visibleIdentifier (child-record.visibility.ts) compiles these rules into SQL.
  can('read', 'ChildIdentifier', { scheme: { $in: identifierSchemesSeenBy(membership.agencyKind) } });
  can('read', 'ChildIdentifier', { scheme: IdentifierScheme.OTHER, recordedByAgencyId: membership.agencyId });
  // An agency gives only identifiers of the schemes it sees (DESIGN §4, "identifier schemes belong to their
  // agencies"): one it may not see, planted on a record, would send the scheme's own agency to the wrong child
  // later, and searching by one would tell it whether a child with that number exists. An OTHER identifier it
  // gives is its own, and so one it sees.
  const givenSchemes = { scheme: { $in: [...identifierSchemesSeenBy(membership.agencyKind), IdentifierScheme.OTHER] } };
  can('match', 'ChildIdentifier', givenSchemes);
  if (holdsAny(membership, RECORDING_ROLES)) {
    can('record', 'ChildIdentifier', givenSchemes);
    can(['register', 'update'], 'Child');
    can('record', 'Concern');
    // An agency ends its own relationship with a child; another agency's involvement is not its to end.
    can('end', 'Involvement', { agencyId: membership.agencyId });
  }
  if (holdsAny(membership, ASSESSING_ROLES)) can('assess', 'RiskAssessment');
};
