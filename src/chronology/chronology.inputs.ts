import { Field, ID, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, IsDate, IsEnum, IsOptional, IsString, IsUUID, Matches } from 'class-validator';
import { MaxCharacters } from '../graphql/types/input-limits';
import { ConcernCategory, RecruitmentSetting, RiskLevel, Sensitivity } from '../common/enums/chronology';
import { INDICATORS } from './indicators';

/**
 * Long enough for a detailed account of an incident, short enough that one entry stays readable in a conference
 * pack; a longer history belongs in several dated entries.
 */
const MAX_NARRATIVE = 20_000;
const NOT_BLANK = /\S/;

@InputType()
export class RecordConcernInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'childId must be a child id' })
  childId!: string;

  @Field(() => Date, { description: 'When it happened or was seen; not in the future.' })
  @IsDate()
  occurredAt!: Date;

  @Field(() => ConcernCategory)
  @IsEnum(ConcernCategory)
  category!: ConcernCategory;

  @Field(() => [String], { description: 'Indicator codes (see the `indicators` query).' })
  @ArrayMaxSize(INDICATORS.length, { message: `indicators may list at most ${INDICATORS.length} codes` })
  @IsString({ each: true })
  indicators!: string[];

  @Field(() => RecruitmentSetting)
  @IsEnum(RecruitmentSetting)
  recruitmentSetting!: RecruitmentSetting;

  @Field(() => RiskLevel)
  @IsEnum(RiskLevel)
  riskLevel!: RiskLevel;

  @Field(() => Sensitivity)
  @IsEnum(Sensitivity)
  sensitivity!: Sensitivity;

  @Field()
  @MaxCharacters(MAX_NARRATIVE)
  @Matches(NOT_BLANK, { message: 'narrative must not be blank' })
  narrative!: string;

  @Field(() => ID, { nullable: true, description: 'The concern this one corrects; the original stays unchanged.' })
  @IsOptional()
  @IsUUID('all', { message: 'amendsConcernId must be a concern id' })
  amendsConcernId?: string | null;
}

@InputType()
export class RecordRiskAssessmentInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'childId must be a child id' })
  childId!: string;

  @Field(() => RiskLevel)
  @IsEnum(RiskLevel)
  level!: RiskLevel;

  @Field(() => [ConcernCategory])
  @ArrayMaxSize(Object.keys(ConcernCategory).length)
  @IsEnum(ConcernCategory, { each: true })
  exploitationTypes!: ConcernCategory[];

  @Field()
  @MaxCharacters(MAX_NARRATIVE)
  @Matches(NOT_BLANK, { message: 'rationale must not be blank' })
  rationale!: string;

  @Field(() => Sensitivity, {
    nullable: true,
    description: 'Defaults to STANDARD: an assessment is a summary for everyone working with the child.',
  })
  @IsOptional()
  @IsEnum(Sensitivity)
  sensitivity?: Sensitivity | null;
}
