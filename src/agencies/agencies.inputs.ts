import { Field, ID, InputType } from '@nestjs/graphql';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsBoolean, IsEmail, IsEnum, IsOptional, IsUUID, MinLength } from 'class-validator';
import { MaxCharacters } from '../graphql/types/input-limits';
import { AgencyKind, Role } from '../common/enums/agencies';

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
/** Emails are compared lower-cased and trimmed everywhere, so one person cannot hold two accounts by case. */
export const normaliseEmail = (value: string): string => value.trim().toLowerCase();
/** RFC 5321's limit on a path; no account has a longer email. */
export const MAX_EMAIL_LENGTH = 254;

@InputType()
export class CreateAgencyInput {
  @Field()
  @Transform(trimmed)
  @MinLength(1, { message: 'name must be 1 to 200 characters' })
  @MaxCharacters(200, { message: 'name must be 1 to 200 characters' })
  name!: string;

  @Field(() => AgencyKind)
  @IsEnum(AgencyKind)
  kind!: AgencyKind;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Transform(trimmed)
  @MinLength(1, { message: 'localAuthority must be 1 to 200 characters' })
  @MaxCharacters(200, { message: 'localAuthority must be 1 to 200 characters' })
  localAuthority?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Defaults to true for police and children’s social care, the statutory NRM first responders.',
  })
  @IsOptional()
  @IsBoolean()
  firstResponder?: boolean | null;
}

@InputType()
export class InviteUserInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'agencyId must be an agency id' })
  agencyId!: string;

  @Field()
  @Transform(({ value }) => (typeof value === 'string' ? normaliseEmail(value) : value))
  @MaxCharacters(MAX_EMAIL_LENGTH)
  @IsEmail({}, { message: 'email must be an email address' })
  email!: string;

  @Field()
  @Transform(trimmed)
  @MinLength(1, { message: 'displayName must be 1 to 200 characters' })
  @MaxCharacters(200, { message: 'displayName must be 1 to 200 characters' })
  displayName!: string;

  @Field(() => [Role])
  @ArrayMinSize(1, { message: 'roles must name at least one role' })
  @ArrayMaxSize(Object.keys(Role).length)
  @IsEnum(Role, { each: true })
  roles!: Role[];
}
