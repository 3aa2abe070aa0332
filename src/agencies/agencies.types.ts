import { Field, ID, ObjectType } from '@nestjs/graphql';
import { AgencyKind, Role } from './agencies.enums';

@ObjectType('Agency')
export class AgencyType {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field(() => AgencyKind) kind!: AgencyKind;
  @Field(() => String, { nullable: true }) localAuthority!: string | null;
  @Field() firstResponder!: boolean;
  @Field() active!: boolean;
}

@ObjectType('Membership')
export class MembershipType {
  /** Resolved by a field resolver through the agency loader. */
  agencyId!: string;
  @Field(() => [Role]) roles!: Role[];
}

@ObjectType('User')
export class UserType {
  @Field(() => ID) id!: string;
  @Field() email!: string;
  @Field() displayName!: string;
  @Field() active!: boolean;
  @Field() platformAdmin!: boolean;
}
