import { Field, ID, InputType } from '@nestjs/graphql';
import { IsBoolean, IsEnum, IsOptional, IsUUID, Matches } from 'class-validator';
import { ProsecutionOutcome } from '../common/enums/non-punishment';
import { MaxCharacters } from '../graphql/types/input-limits';
import { DateScalar } from '../graphql/types/scalars';

const NOT_BLANK = /\S/;

@InputType()
export class NonPunishmentAssessmentInput {
  @Field(() => ID) @IsUUID('all', { message: 'childId is not a child id' }) childId!: string;
  @Field({ description: 'The offence the child is suspected of, as it would be charged.' })
  @MaxCharacters(500)
  @Matches(NOT_BLANK, { message: 'offence must not be blank' })
  offence!: string;
  @Field(() => DateScalar, { description: 'Not in the future, not before the child was born.' })
  offenceDate!: string;
  @Field({ description: 'The prosecutor confirms whether the offence is listed in Schedule 4 (s45(7)).' })
  @IsBoolean()
  scheduleFourOffence!: boolean;
  @Field({ description: 'Stage 1: is there reason to believe the child is a victim of trafficking or slavery?' })
  @IsBoolean()
  reasonToBelieveVictim!: boolean;
  @Field({ description: 'What stage 1 rests on (or why there is no reason to believe).' })
  @MaxCharacters(5000)
  @Matches(NOT_BLANK, { message: 'reasonToBelieveBasis must not be blank' })
  reasonToBelieveBasis!: string;
  @Field({ description: 'Stage 2: is there clear evidence of a credible defence of duress?' })
  @IsBoolean()
  duressEvidence!: boolean;
  @Field({ description: 'Stage 3: is there clear evidence of a section 45 defence?' })
  @IsBoolean()
  section45DefenceAvailable!: boolean;
  @Field({
    description:
      'Stage 4. To PROSECUTE a child the record or stage 1 shows may be a victim: a paragraph of at least 40 words ' +
      'that names the victim status and each piece of evidence of it on the record (the NRM decision, the ' +
      'conference recommendation).',
  })
  @MaxCharacters(10_000)
  @Matches(NOT_BLANK, { message: 'publicInterestRationale must not be blank' })
  publicInterestRationale!: string;
  @Field(() => ProsecutionOutcome) @IsEnum(ProsecutionOutcome) outcome!: ProsecutionOutcome;
  @Field(() => Boolean, {
    nullable: true,
    description:
      'A first responder has been asked to refer the child to the NRM (a prosecutor does not refer): what ' +
      'DEFER_PENDING_NRM may wait for when no referral is pending yet.',
  })
  @IsOptional()
  @IsBoolean()
  nrmReferralIntended?: boolean | null;
}
