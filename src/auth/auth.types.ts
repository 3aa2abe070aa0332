import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Role } from '../common/enums/agencies';
import { AgencyType, UserType } from '../agencies/agencies.types';

@ObjectType('Session')
export class SessionType {
  @Field(() => UserType) user!: UserType;
  @Field(() => AgencyType, { nullable: true }) agency!: AgencyType | null;
  @Field(() => [Role]) roles!: Role[];
}

@ObjectType('AuthPayload')
export class AuthPayloadType {
  @Field() token!: string;
  @Field(() => Date) expiresAt!: Date;
  @Field(() => SessionType) session!: SessionType;
}

@ObjectType('PasswordReset')
export class PasswordResetType {
  @Field(() => ID) id!: string;
  @Field(() => UserType, { description: 'The person whose password it resets.' }) user!: UserType;
  @Field({
    description:
      'The secret to hand to the person, for resetPassword. Present only in the issuePasswordReset answer; only its hash is kept.',
  })
  token!: string;
  @Field(() => Date) expiresAt!: Date;
}
