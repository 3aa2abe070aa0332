import { Field, ID, ObjectType } from '@nestjs/graphql';
import { ConferenceRecommendation } from '../common/enums/conferences';
import { ProsecutionOutcome, Section45Limb } from '../common/enums/non-punishment';
import { DateScalar } from '../graphql/types/scalars';

const REASONING = 'Reasoning: PROSECUTION agencies only, null for everyone else.';

@ObjectType('NonPunishmentAssessment', {
  description:
    'A prosecutor’s non-punishment assessment of the child as a suspect (the four CPS stages). Append-only: a new ' +
    'one supersedes the last.',
})
export class NonPunishmentAssessmentType {
  @Field(() => ID) id!: string;
  /** child and decidedBy are resolved by field resolvers. */
  childId!: string;
  decidedById!: string;
  @Field() offence!: string;
  @Field(() => DateScalar) offenceDate!: string;
  @Field(() => ProsecutionOutcome) outcome!: ProsecutionOutcome;
  @Field() decidedAt!: Date;
  @Field(() => ConferenceRecommendation, {
    nullable: true,
    description: 'The recommendation of the child’s latest decided conference when the assessment was made.',
  })
  conferenceRecommendation!: ConferenceRecommendation | null;
  @Field(() => Section45Limb, {
    nullable: true,
    description:
      'Which limb of the s45 defence applies, by the child’s age on the offence date (CHILD under 18, ADULT 18 or ' +
      'over); null when the date of birth is not recorded.',
  })
  section45Limb!: Section45Limb | null;
  @Field({ description: 'A later assessment of the child supersedes this one.' }) superseded!: boolean;
  @Field(() => Boolean, { nullable: true, description: REASONING }) scheduleFourOffence!: boolean | null;
  @Field(() => Boolean, { nullable: true, description: `Stage 1. ${REASONING}` })
  reasonToBelieveVictim!: boolean | null;
  @Field(() => String, { nullable: true, description: REASONING }) reasonToBelieveBasis!: string | null;
  @Field(() => Boolean, { nullable: true, description: `Stage 2. ${REASONING}` }) duressEvidence!: boolean | null;
  @Field(() => Boolean, { nullable: true, description: `Stage 3. ${REASONING}` })
  section45DefenceAvailable!: boolean | null;
  @Field(() => String, { nullable: true, description: `Stage 4. ${REASONING}` })
  publicInterestRationale!: string | null;
  @Field(() => Boolean, {
    nullable: true,
    description: `A first responder has been asked to refer the child to the NRM. ${REASONING}`,
  })
  nrmReferralIntended!: boolean | null;
}
