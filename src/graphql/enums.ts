import { registerEnumType } from '@nestjs/graphql';
import { AgencyKind, Role } from '../common/enums/agencies';
import { ChildFlag, IdentifierScheme, InvolvementBasis } from '../common/enums/children';
import { ConcernCategory, RecruitmentSetting, RiskLevel, Sensitivity } from '../common/enums/chronology';
import { LawfulBasis } from '../common/enums/sharing';
import { NrmDecision, NrmStage } from '../common/enums/nrm';
import { ProsecutionOutcome, Section45Limb } from '../common/enums/non-punishment';
import {
  ActionStatus,
  ConferenceKind,
  ConferenceRecommendation,
  ConferenceStatus,
  InvitationResponse,
} from '../common/enums/conferences';
import { AccessRoute } from '../access/child-access';
import { InvolvementRequestStatus } from '../children/involvement-request.entity';
import { NotificationKind } from '../notifications/notification.entity';

/**
 * The contract's enums, registered for the schema here: the domain, the access model and the services use them as
 * plain TypeScript enums and know nothing of GraphQL. Imported by GraphqlModule before the schema is built.
 */
registerEnumType(AgencyKind, { name: 'AgencyKind' });
registerEnumType(Role, { name: 'Role' });
registerEnumType(IdentifierScheme, { name: 'IdentifierScheme' });
registerEnumType(InvolvementBasis, { name: 'InvolvementBasis' });
registerEnumType(ChildFlag, { name: 'ChildFlag' });
registerEnumType(ConcernCategory, { name: 'ConcernCategory' });
registerEnumType(RecruitmentSetting, { name: 'RecruitmentSetting' });
registerEnumType(RiskLevel, { name: 'RiskLevel' });
registerEnumType(Sensitivity, { name: 'Sensitivity' });
registerEnumType(LawfulBasis, { name: 'LawfulBasis' });
registerEnumType(AccessRoute, { name: 'AccessRoute', description: 'How the viewer reaches a child record' });
registerEnumType(NrmStage, { name: 'NrmStage' });
registerEnumType(NrmDecision, { name: 'NrmDecision' });
registerEnumType(ProsecutionOutcome, { name: 'ProsecutionOutcome' });
registerEnumType(Section45Limb, {
  name: 'Section45Limb',
  description: 'Which limb of the Modern Slavery Act 2015 s45 defence applies, by age on the offence date',
});
registerEnumType(InvolvementRequestStatus, { name: 'InvolvementRequestStatus' });
registerEnumType(NotificationKind, { name: 'NotificationKind' });
registerEnumType(ConferenceKind, { name: 'ConferenceKind' });
registerEnumType(ConferenceStatus, { name: 'ConferenceStatus' });
registerEnumType(InvitationResponse, { name: 'InvitationResponse' });
registerEnumType(ConferenceRecommendation, { name: 'ConferenceRecommendation' });
registerEnumType(ActionStatus, { name: 'ActionStatus' });
