import { Field, ID, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsEnum, IsUUID } from 'class-validator';
import { ConcernCategory } from '../common/enums/chronology';
import { NrmDecision, NrmStage } from '../common/enums/nrm';
import { DateScalar } from '../graphql/types/scalars';

@InputType()
export class ReferToNrmInput {
  @Field(() => ID) @IsUUID('all', { message: 'childId is not a child id' }) childId!: string;
  @Field(() => DateScalar, { description: 'The day the referral was made; not in the future.' })
  referredOn!: string;
  @Field(() => [ConcernCategory], { description: 'The exploitation the referral is about: at least one.' })
  @ArrayMinSize(1, { message: 'name at least one type of exploitation' })
  @ArrayMaxSize(Object.keys(ConcernCategory).length)
  @ArrayUnique({ message: 'name each type of exploitation once' })
  @IsEnum(ConcernCategory, { each: true })
  exploitationTypes!: ConcernCategory[];
}

@InputType()
export class RecordNrmDecisionInput {
  @Field(() => ID) @IsUUID('all', { message: 'referralId is not an NRM referral id' }) referralId!: string;
  @Field(() => NrmStage) @IsEnum(NrmStage) stage!: NrmStage;
  @Field(() => NrmDecision, { description: 'POSITIVE or NEGATIVE: the decision the Single Competent Authority made.' })
  @IsEnum(NrmDecision)
  decision!: NrmDecision;
  @Field(() => DateScalar, { description: 'The day of the decision: not before the referral, not in the future.' })
  decidedOn!: string;
}
