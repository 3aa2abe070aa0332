import { AgencyKind, Role } from '../common/enums/agencies';
import { ChildFlag, IdentifierScheme, InvolvementBasis } from '../common/enums/children';
import { ConcernCategory, RecruitmentSetting, RiskLevel, Sensitivity } from '../common/enums/chronology';
import { LawfulBasis } from '../common/enums/sharing';
import {
  ActionStatus,
  ConferenceKind,
  ConferenceRecommendation,
  ConferenceStatus,
  InvitationResponse,
} from '../common/enums/conferences';
import { ProsecutionOutcome, Section45Limb } from '../common/enums/non-punishment';
import { NrmDecision } from '../common/enums/nrm';

/**
 * The words a practitioner reads for each code the API answers with. Typed by the contract's enums, so a value
 * added there fails to compile here until it has its words.
 */
export const LABELS = {
  agencyKind: {
    [AgencyKind.SCHOOL]: 'School',
    [AgencyKind.YOUTH_SERVICE]: 'Youth service',
    [AgencyKind.CHILDRENS_SOCIAL_CARE]: "Children's social care",
    [AgencyKind.POLICE]: 'Police',
    [AgencyKind.PROSECUTION]: 'Prosecution',
    [AgencyKind.HEALTH]: 'Health',
    [AgencyKind.YOUTH_JUSTICE]: 'Youth justice',
    [AgencyKind.VOLUNTARY]: 'Voluntary organisation',
  } satisfies Record<AgencyKind, string>,
  role: {
    [Role.AGENCY_ADMIN]: 'Agency admin',
    [Role.SAFEGUARDING_LEAD]: 'Safeguarding lead',
    [Role.PRACTITIONER]: 'Practitioner',
    [Role.SOCIAL_WORKER]: 'Social worker',
    [Role.POLICE_OFFICER]: 'Police officer',
    [Role.PROSECUTOR]: 'Prosecutor',
    [Role.CONFERENCE_CHAIR]: 'Conference chair',
    [Role.ANALYST]: 'Analyst',
  } satisfies Record<Role, string>,
  identifierScheme: {
    [IdentifierScheme.UPN]: 'Unique pupil number',
    [IdentifierScheme.NHS_NUMBER]: 'NHS number',
    [IdentifierScheme.LOCAL_AUTHORITY]: 'Local authority reference',
    [IdentifierScheme.POLICE_NATIONAL_COMPUTER]: 'Police National Computer',
    [IdentifierScheme.OTHER]: 'Other reference',
  } satisfies Record<IdentifierScheme, string>,
  involvementBasis: {
    [InvolvementBasis.PUPIL]: 'Pupil',
    [InvolvementBasis.OPEN_CASE]: 'Open case',
    [InvolvementBasis.INVESTIGATION]: 'Investigation',
    [InvolvementBasis.REFERRAL]: 'Referral',
    [InvolvementBasis.HEALTH_CARE]: 'Health care',
    [InvolvementBasis.YOUTH_WORK]: 'Youth work',
    [InvolvementBasis.SUPERVISION]: 'Supervision',
  } satisfies Record<InvolvementBasis, string>,
  flag: {
    [ChildFlag.POTENTIAL_VICTIM_OF_EXPLOITATION]: 'Potential victim of exploitation',
    [ChildFlag.NRM_POSITIVE_REASONABLE_GROUNDS]: 'NRM: positive reasonable grounds',
    [ChildFlag.NRM_POSITIVE_CONCLUSIVE_GROUNDS]: 'NRM: positive conclusive grounds',
    [ChildFlag.UNDER_CHILD_PROTECTION_PLAN]: 'Child protection plan',
  } satisfies Record<ChildFlag, string>,
  category: {
    [ConcernCategory.CRIMINAL_EXPLOITATION]: 'Criminal exploitation',
    [ConcernCategory.COUNTY_LINES]: 'County lines',
    [ConcernCategory.SEXUAL_EXPLOITATION]: 'Sexual exploitation',
    [ConcernCategory.TRAFFICKING]: 'Trafficking',
    [ConcernCategory.LABOUR_EXPLOITATION]: 'Labour exploitation',
    [ConcernCategory.GANG_AFFILIATION]: 'Gang affiliation',
    [ConcernCategory.MISSING_FROM_HOME]: 'Missing from home',
    [ConcernCategory.MISSING_FROM_EDUCATION]: 'Missing from education',
    [ConcernCategory.ONLINE_HARM]: 'Online harm',
    [ConcernCategory.NEGLECT]: 'Neglect',
    [ConcernCategory.PHYSICAL_ABUSE]: 'Physical abuse',
    [ConcernCategory.EMOTIONAL_ABUSE]: 'Emotional abuse',
    [ConcernCategory.SEXUAL_ABUSE]: 'Sexual abuse',
    [ConcernCategory.DOMESTIC_ABUSE]: 'Domestic abuse',
    [ConcernCategory.RADICALISATION]: 'Radicalisation',
    [ConcernCategory.SUBSTANCE_MISUSE]: 'Substance misuse',
    [ConcernCategory.OTHER]: 'Other',
  } satisfies Record<ConcernCategory, string>,
  recruitmentSetting: {
    [RecruitmentSetting.SECONDARY_SCHOOL]: 'Secondary school',
    [RecruitmentSetting.PRIMARY_SCHOOL]: 'Primary school',
    [RecruitmentSetting.HEALTHCARE_INSTITUTION]: 'Healthcare setting',
    [RecruitmentSetting.SOCIAL_MEDIA]: 'Social media',
    [RecruitmentSetting.ONLINE_GAMING]: 'Online gaming',
    [RecruitmentSetting.STREET]: 'Street',
    [RecruitmentSetting.HOME]: 'Home',
    [RecruitmentSetting.CARE_HOME]: 'Care home',
    [RecruitmentSetting.OTHER]: 'Other',
    [RecruitmentSetting.UNKNOWN]: 'Not known',
  } satisfies Record<RecruitmentSetting, string>,
  risk: {
    [RiskLevel.LOW]: 'Low',
    [RiskLevel.MEDIUM]: 'Medium',
    [RiskLevel.HIGH]: 'High',
    [RiskLevel.CRITICAL]: 'Critical',
  } satisfies Record<RiskLevel, string>,
  sensitivity: {
    [Sensitivity.STANDARD]: 'Standard',
    [Sensitivity.HEALTH_CONFIDENTIAL]: 'Health confidential',
    [Sensitivity.POLICE_RESTRICTED]: 'Police restricted',
  } satisfies Record<Sensitivity, string>,
  lawfulBasis: {
    [LawfulBasis.SAFEGUARDING_OF_CHILDREN]: 'Safeguarding of children',
    [LawfulBasis.PUBLIC_TASK]: 'Public task',
    [LawfulBasis.LEGAL_OBLIGATION]: 'Legal obligation',
    [LawfulBasis.VITAL_INTERESTS]: 'Vital interests',
    [LawfulBasis.CONSENT]: 'Consent',
  } satisfies Record<LawfulBasis, string>,
  requestStatus: {
    PENDING: 'Waiting for a decision',
    ACCEPTED: 'Accepted',
    DECLINED: 'Declined',
    WITHDRAWN: 'Withdrawn',
  },
  matchedOn: {
    givenName: 'Given name',
    familyName: 'Family name',
    namesSwapped: 'Names the other way round',
    alias: 'An alias',
    dateOfBirth: 'Date of birth',
    birthYear: 'Year of birth',
    childId: 'The record itself',
  } as Record<string, string>,
  accessRoute: {
    INVOLVED: 'Involved',
    GRANTED: 'Shared',
    BREAK_GLASS: 'Break glass',
    CONFERENCE: 'Conference',
  },
  conferenceKind: {
    [ConferenceKind.EXPLOITATION_RISK]: 'Exploitation risk meeting',
    [ConferenceKind.STRATEGY_DISCUSSION]: 'Strategy discussion',
    [ConferenceKind.INITIAL_CHILD_PROTECTION]: 'Initial child protection conference',
    [ConferenceKind.REVIEW_CHILD_PROTECTION]: 'Review child protection conference',
  } satisfies Record<ConferenceKind, string>,
  conferenceStatus: {
    [ConferenceStatus.CONVENED]: 'Convened',
    [ConferenceStatus.IN_SESSION]: 'In session',
    [ConferenceStatus.DECIDED]: 'Decided',
    [ConferenceStatus.CANCELLED]: 'Cancelled',
  } satisfies Record<ConferenceStatus, string>,
  invitationResponse: {
    [InvitationResponse.PENDING]: 'Not answered',
    [InvitationResponse.ACCEPTED]: 'Accepted',
    [InvitationResponse.DECLINED]: 'Declined',
  } satisfies Record<InvitationResponse, string>,
  recommendation: {
    [ConferenceRecommendation.VICTIM_PROTECTION]: 'Protect the child as a victim',
    [ConferenceRecommendation.DEFER_PENDING_NRM]: 'Wait for the NRM decision',
    [ConferenceRecommendation.PROSECUTION]: 'Prosecution',
    [ConferenceRecommendation.NO_FURTHER_ACTION]: 'No further action',
  } satisfies Record<ConferenceRecommendation, string>,
  actionStatus: {
    [ActionStatus.OPEN]: 'Open',
    [ActionStatus.OVERDUE]: 'Overdue',
    [ActionStatus.DONE]: 'Done',
    [ActionStatus.CANCELLED]: 'Cancelled',
  } satisfies Record<ActionStatus, string>,
  nrmDecision: {
    [NrmDecision.PENDING]: 'Awaiting decision',
    [NrmDecision.POSITIVE]: 'Positive',
    [NrmDecision.NEGATIVE]: 'Negative',
  } satisfies Record<NrmDecision, string>,
  prosecutionOutcome: {
    [ProsecutionOutcome.NO_PROSECUTION]: 'No prosecution',
    [ProsecutionOutcome.PROSECUTE]: 'Prosecute',
    [ProsecutionOutcome.DEFER_PENDING_NRM]: 'Defer until the NRM decides',
  } satisfies Record<ProsecutionOutcome, string>,
  section45Limb: {
    [Section45Limb.CHILD]: 'the child limb, section 45(4)',
    [Section45Limb.ADULT]: 'the adult limb, section 45(1)',
  } satisfies Record<Section45Limb, string>,
};

/** GOV.UK tag colours: the risk levels from calm to alarming, and each tier apart from the standard one. */
export const TAG_CLASSES = {
  risk: {
    [RiskLevel.LOW]: 'govuk-tag--green',
    [RiskLevel.MEDIUM]: 'govuk-tag--yellow',
    [RiskLevel.HIGH]: 'govuk-tag--orange',
    [RiskLevel.CRITICAL]: 'govuk-tag--red',
  } satisfies Record<RiskLevel, string>,
  sensitivity: {
    [Sensitivity.STANDARD]: 'govuk-tag--grey',
    [Sensitivity.HEALTH_CONFIDENTIAL]: 'govuk-tag--purple',
    [Sensitivity.POLICE_RESTRICTED]: 'govuk-tag--blue',
  } satisfies Record<Sensitivity, string>,
  actionStatus: {
    [ActionStatus.OPEN]: 'govuk-tag--blue',
    [ActionStatus.OVERDUE]: 'govuk-tag--red',
    [ActionStatus.DONE]: 'govuk-tag--green',
    [ActionStatus.CANCELLED]: 'govuk-tag--grey',
  } satisfies Record<ActionStatus, string>,
};

/** The choices of a code as radios, checkboxes or select items take them, in the contract's order. */
export function choicesOf<K extends keyof typeof LABELS>(
  kind: K,
  selected?: string | readonly string[],
): Array<{ value: string; text: string; checked: boolean; selected: boolean }> {
  const chosen = new Set(typeof selected === 'string' ? [selected] : (selected ?? []));
  return Object.entries(LABELS[kind]).map(([value, text]) => ({
    value,
    text,
    checked: chosen.has(value),
    selected: chosen.has(value),
  }));
}
