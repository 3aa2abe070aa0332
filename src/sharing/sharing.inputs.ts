import { Field, ID, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsUUID, Matches } from 'class-validator';
import { Sensitivity } from '../common/enums/chronology';
import { MaxCharacters } from '../graphql/types/input-limits';
import { LawfulBasis } from '../common/enums/sharing';

/**
 * At least a sentence: twenty characters from the first to the last that is not a space. Counted in code points
 * (the `u` flag), as the database's CHECK on the trimmed text counts them: ten emoji are ten characters.
 */
export const A_SENTENCE = /\S[\s\S]{18,}\S/u;

@InputType()
export class GrantAccessInput {
  @Field(() => ID) @IsUUID('all', { message: 'childId is not a child id' }) childId!: string;
  @Field(() => ID) @IsUUID('all', { message: 'granteeAgencyId is not an agency id' }) granteeAgencyId!: string;
  @Field(() => [Sensitivity])
  @ArrayMinSize(1, { message: 'name at least one tier to share' })
  @ArrayMaxSize(3)
  @ArrayUnique({ message: 'name each tier once' })
  tiers!: Sensitivity[];
  @Field(() => LawfulBasis) lawfulBasis!: LawfulBasis;
  @Field()
  @MaxCharacters(2000)
  @Matches(A_SENTENCE, { message: 'say why you share, in at least a sentence (20 characters)' })
  purpose!: string;
  /** At most one year ahead: a longer need is a new decision, taken again. */
  @Field(() => Date) expiresAt!: Date;
}

@InputType({ description: 'A decision not to share a child’s record with an agency that asked, and why.' })
export class RefuseAccessInput {
  @Field(() => ID) @IsUUID('all', { message: 'childId is not a child id' }) childId!: string;
  @Field(() => ID) @IsUUID('all', { message: 'requestingAgencyId is not an agency id' }) requestingAgencyId!: string;
  @Field()
  @MaxCharacters(2000)
  @Matches(A_SENTENCE, { message: 'say why you do not share, in at least a sentence (20 characters)' })
  reason!: string;
}
