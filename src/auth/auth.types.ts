import { Field, ObjectType } from '@nestjs/graphql';
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
