import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsInt, IsOptional, IsUUID, Matches, Min, ValidateNested } from 'class-validator';
import { RiskLevel, ConcernCategory } from '../common/enums/chronology';
import { MaxCharacters, MinCharacters } from '../graphql/types/input-limits';
import { DateScalar } from '../graphql/types/scalars';
import { ChildFlag, IdentifierScheme, InvolvementBasis } from '../common/enums/children';
import { MAX_NAME_CHARACTERS } from './names';

/** Not only whitespace: a name of spaces is no name. */
const NOT_BLANK = /\S/;

@InputType()
export class ChildIdentifierInput {
  @Field(() => IdentifierScheme) scheme!: IdentifierScheme;
  /** Checked and normalised by scheme in the service (check digit / check letter). */
  @Field() @MaxCharacters(100) value!: string;
}

/** The details that registration and correction both take, all optional. */
@InputType({ isAbstract: true })
abstract class OptionalChildDetails {
  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(20)
  @MaxCharacters(MAX_NAME_CHARACTERS, { each: true })
  @Matches(NOT_BLANK, { each: true, message: 'an alias cannot be blank' })
  aliases?: string[];
  @Field(() => DateScalar, { nullable: true }) @IsOptional() dateOfBirth?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxCharacters(50) gender?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxCharacters(500) address?: string;
}

@InputType()
export class RegisterChildInput extends OptionalChildDetails {
  @Field()
  @MaxCharacters(MAX_NAME_CHARACTERS)
  @Matches(NOT_BLANK, { message: 'givenName cannot be blank' })
  givenName!: string;
  @Field()
  @MaxCharacters(MAX_NAME_CHARACTERS)
  @Matches(NOT_BLANK, { message: 'familyName cannot be blank' })
  familyName!: string;
  @Field(() => [ChildIdentifierInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => ChildIdentifierInput)
  identifiers?: ChildIdentifierInput[];
  @Field(() => InvolvementBasis) basis!: InvolvementBasis;
  @Field(() => String, {
    nullable: true,
    description: 'Why your agency is involved: needed when the child turns out to be known already.',
  })
  @IsOptional()
  @MaxCharacters(2000)
  reason?: string;
  @Field(() => Boolean, {
    nullable: true,
    description: 'True once you have seen possibleMatches and none of them is this child.',
  })
  @IsOptional()
  confirmedNewChild?: boolean;
}

@InputType({ description: 'Asks for your agency to become involved with a child that already has a record.' })
export class RequestInvolvementInput {
  @Field(() => ID) @IsUUID('all', { message: 'childId is not a child id' }) childId!: string;
  @Field(() => InvolvementBasis) basis!: InvolvementBasis;
  @Field() @MaxCharacters(2000) reason!: string;
}

@InputType()
export class UpdateChildInput extends OptionalChildDetails {
  @Field(() => ID) @IsUUID() id!: string;
  @Field(() => Int) @IsInt() @Min(1) version!: number;
  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxCharacters(MAX_NAME_CHARACTERS)
  @Matches(NOT_BLANK, { message: 'givenName cannot be blank' })
  givenName?: string;
  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxCharacters(MAX_NAME_CHARACTERS)
  @Matches(NOT_BLANK, { message: 'familyName cannot be blank' })
  familyName?: string;
}

@InputType()
export class ChildFilter {
  @Field(() => String, { nullable: true, description: 'Words found in the name or an alias (each word must).' })
  @IsOptional()
  @MinCharacters(2)
  @MaxCharacters(100)
  search?: string;
  @Field(() => RiskLevel, { nullable: true }) @IsOptional() minRisk?: RiskLevel;
  @Field(() => ConcernCategory, { nullable: true }) @IsOptional() category?: ConcernCategory;
  @Field(() => ChildFlag, { nullable: true }) @IsOptional() flag?: ChildFlag;
}

@InputType()
export class ChildMatchInput {
  @Field()
  @MaxCharacters(MAX_NAME_CHARACTERS)
  @Matches(NOT_BLANK, { message: 'givenName cannot be blank' })
  givenName!: string;
  @Field()
  @MaxCharacters(MAX_NAME_CHARACTERS)
  @Matches(NOT_BLANK, { message: 'familyName cannot be blank' })
  familyName!: string;
  @Field(() => DateScalar, { nullable: true }) @IsOptional() dateOfBirth?: string;
  @Field(() => [ChildIdentifierInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => ChildIdentifierInput)
  identifiers?: ChildIdentifierInput[];
}
