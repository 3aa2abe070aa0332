import { Field, ID, ObjectType } from '@nestjs/graphql';
import { AgencyKind, Role } from '../common/enums/agencies';

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
  @Field({ description: 'False once an admin of the agency has deactivated this person there.' })
  active!: boolean;
}

@ObjectType('User')
export class UserType {
  @Field(() => ID) id!: string;
  @Field() email!: string;
  @Field() displayName!: string;
  @Field({ description: 'False once the person has no active membership left or the account was deactivated.' })
  active!: boolean;
  @Field() platformAdmin!: boolean;
  @Field({
    description:
      'True once the platform admin deactivated the account: no invitation brings it back, only reactivateUser.',
  })
  platformDeactivated!: boolean;
  /** Set when this is the signed-in person's own record in a sign-in answer: they may see all their memberships. */
  ownView?: boolean;
}

@ObjectType('Invitation')
export class InvitationType {
  @Field(() => ID) id!: string;
  @Field() email!: string;
  /** Resolved by a field resolver through the agency loader. */
  agencyId!: string;
  @Field(() => [Role]) roles!: Role[];
  @Field(() => String, {
    nullable: true,
    description: 'The secret to hand to the invitee. Present only in the inviteUser answer; only its hash is kept.',
  })
  token!: string | null;
  @Field(() => Date) expiresAt!: Date;
}
