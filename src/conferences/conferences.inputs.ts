import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsDate,
  IsEnum,
  IsInt,
  IsOptional,
  IsUUID,
  Matches,
  Min,
  ValidateNested,
} from 'class-validator';
import { Sensitivity } from '../common/enums/chronology';
import { ConferenceKind, ConferenceRecommendation } from '../common/enums/conferences';
import { MaxCharacters } from '../graphql/types/input-limits';
import { DateScalar } from '../graphql/types/scalars';

const NOT_BLANK = /\S/;
/** More agencies than this around one table is not a conference. */
const MAX_INVITED = 30;
const MAX_ACTIONS = 50;

@InputType()
export class ConveneConferenceInput {
  @Field(() => ID) @IsUUID('all', { message: 'childId is not a child id' }) childId!: string;
  @Field(() => ConferenceKind) @IsEnum(ConferenceKind) kind!: ConferenceKind;
  @Field(() => Date, {
    description: 'When it will be held; later than dueBy is allowed, and shown (scheduledAfterDue).',
  })
  @IsDate()
  scheduledFor!: Date;
  @Field(() => ID, { description: 'A conference chair of your agency; you, usually.' })
  @IsUUID('all', { message: 'chairId is not a person id' })
  chairId!: string;
  @Field(() => [ID])
  @ArrayMinSize(1, { message: 'invite at least one agency' })
  @ArrayMaxSize(MAX_INVITED)
  @ArrayUnique({ message: 'invite each agency once' })
  @IsUUID('all', { each: true, message: 'invitedAgencyIds must be agency ids' })
  invitedAgencyIds!: string[];
  @Field(() => DateScalar, {
    nullable: true,
    description: 'The day of the strategy discussion: needed for an initial conference, due 15 working days after.',
  })
  @IsOptional()
  strategyDiscussionOn?: string | null;
  @Field(() => ID, {
    nullable: true,
    description:
      'A review: the decided conference it reviews. An initial conference: optionally, its strategy discussion.',
  })
  @IsOptional()
  @IsUUID('all', { message: 'precedingConferenceId is not a conference id' })
  precedingConferenceId?: string | null;
}

@InputType()
export class SubmitReportInput {
  @Field(() => ID) @IsUUID('all', { message: 'conferenceId is not a conference id' }) conferenceId!: string;
  @Field() @MaxCharacters(20_000) @Matches(NOT_BLANK, { message: 'content must not be blank' }) content!: string;
  @Field(() => Sensitivity, { description: 'A tier your agency sees: the report shows only to those who see it too.' })
  @IsEnum(Sensitivity)
  sensitivity!: Sensitivity;
}

@InputType()
export class AttendanceInput {
  @Field(() => ID) @IsUUID('all', { message: 'userId is not a person id' }) userId!: string;
  @Field() present!: boolean;
}

@InputType()
export class PlanActionInput {
  @Field() @MaxCharacters(2000) @Matches(NOT_BLANK, { message: 'description must not be blank' }) description!: string;
  @Field(() => ID) @IsUUID('all', { message: 'ownerAgencyId is not an agency id' }) ownerAgencyId!: string;
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'ownerUserId is not a person id' })
  ownerUserId?: string | null;
  @Field(() => DateScalar) dueOn!: string;
}

@InputType()
export class DissentInput {
  @Field(() => ID) @IsUUID('all', { message: 'agencyId is not an agency id' }) agencyId!: string;
  @Field() @MaxCharacters(2000) @Matches(NOT_BLANK, { message: 'note must not be blank' }) note!: string;
}

@InputType()
export class DecideConferenceInput {
  @Field(() => ID) @IsUUID('all', { message: 'conferenceId is not a conference id' }) conferenceId!: string;
  @Field(() => Int, { description: 'The version you read: a change made meanwhile is a CONFLICT.' })
  @IsInt()
  @Min(1)
  version!: number;
  @Field(() => ConferenceRecommendation) @IsEnum(ConferenceRecommendation) recommendation!: ConferenceRecommendation;
  @Field() @MaxCharacters(10_000) @Matches(NOT_BLANK, { message: 'rationale must not be blank' }) rationale!: string;
  @Field(() => [PlanActionInput])
  @ArrayMaxSize(MAX_ACTIONS)
  @ValidateNested({ each: true })
  @Type(() => PlanActionInput)
  actions!: PlanActionInput[];
  @Field(() => [DissentInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(MAX_INVITED)
  @ValidateNested({ each: true })
  @Type(() => DissentInput)
  dissents?: DissentInput[] | null;
  @Field(() => String, {
    nullable: true,
    description: 'The chair proceeds with two agencies present, exceptionally, and says why.',
  })
  @IsOptional()
  @MaxCharacters(2000)
  @Matches(NOT_BLANK, { message: 'quorumOverrideReason must not be blank' })
  quorumOverrideReason?: string | null;
}
