import { Field, ID, ObjectType } from '@nestjs/graphql';
import { PageInfo } from '../graphql/types/pagination';
import { ConcernCategory, RecruitmentSetting, RiskLevel, Sensitivity } from '../common/enums/chronology';

/**
 * A chronology entry as the viewer sees it. The related child, agency, recorder and amendments are resolved by
 * field resolvers through DataLoaders; only their ids travel on the object.
 */
@ObjectType('Concern')
export class ConcernType {
  @Field(() => ID) id!: string;
  childId!: string;
  agencyId!: string;
  recordedBy!: string;
  amendsConcernId!: string | null;
  @Field(() => Date) occurredAt!: Date;
  @Field(() => Date) recordedAt!: Date;
  @Field(() => ConcernCategory) category!: ConcernCategory;
  @Field(() => [String]) indicators!: string[];
  @Field(() => RecruitmentSetting) recruitmentSetting!: RecruitmentSetting;
  @Field(() => RiskLevel) riskLevel!: RiskLevel;
  @Field(() => Sensitivity) sensitivity!: Sensitivity;
  @Field() narrative!: string;
}

@ObjectType('ConcernEdge')
export class ConcernEdge {
  @Field() cursor!: string;
  @Field(() => ConcernType) node!: ConcernType;
}

@ObjectType('ConcernConnection')
export class ConcernConnection {
  @Field(() => [ConcernEdge]) edges!: ConcernEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

@ObjectType('RiskAssessment')
export class RiskAssessmentType {
  @Field(() => ID) id!: string;
  childId!: string;
  agencyId!: string;
  assessedBy!: string;
  @Field(() => RiskLevel) level!: RiskLevel;
  @Field(() => [ConcernCategory]) exploitationTypes!: ConcernCategory[];
  @Field() rationale!: string;
  @Field(() => Sensitivity, { description: 'Who beyond the assessing agency may read it; STANDARD unless restricted.' })
  sensitivity!: Sensitivity;
  @Field(() => Date) assessedAt!: Date;
}

@ObjectType('Indicator', { description: 'An exploitation indicator a concern may carry (reference data).' })
export class IndicatorType {
  @Field() code!: string;
  @Field() label!: string;
  @Field(() => [String], { description: 'Children in Need census assessment factor codes it most often supports.' })
  cin!: string[];
}

@ObjectType('CinFactor', {
  description: 'A Children in Need census assessment factor (DfE CIN census, factors identified at assessment).',
})
export class CinFactorType {
  @Field({ description: 'The census code, e.g. 24A.' }) code!: string;
  @Field() label!: string;
}
