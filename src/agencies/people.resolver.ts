import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CheckPolicy, Public } from '../../libs/authz/src';
import type { Scope } from '../access/scope';
import { Role } from '../common/enums/agencies';
import { InviteUserInput } from './agencies.inputs';
import { InvitationType, MembershipType, UserType } from './agencies.types';
import { PeopleService } from './people.service';

@Resolver(() => UserType)
export class PeopleResolver {
  constructor(private readonly people: PeopleService) {}

  @Query(() => [UserType], {
    description: "An agency's people, deactivated ones included. NOT_FOUND for an agency whose people you may not see.",
  })
  @CheckPolicy('read', 'User')
  users(@Context() ctx: Scope, @Args('agencyId', { type: () => ID }) agencyId: string): Promise<UserType[]> {
    return this.people.list(ctx, agencyId);
  }

  @Mutation(() => InvitationType, { description: 'The answer carries the invitation token, shown only this once.' })
  @CheckPolicy('invite', 'User')
  inviteUser(@Context() ctx: Scope, @Args('input') input: InviteUserInput): Promise<InvitationType> {
    return this.people.invite(ctx, input);
  }

  @Mutation(() => UserType, {
    description: "Replaces the person's roles in the agency; effective on their next request.",
  })
  @CheckPolicy('setRoles', 'User')
  setRoles(
    @Context() ctx: Scope,
    @Args('userId', { type: () => ID }) userId: string,
    @Args('agencyId', { type: () => ID }) agencyId: string,
    @Args('roles', { type: () => [Role] }) roles: Role[],
  ): Promise<UserType> {
    return this.people.setRoles(ctx, userId, agencyId, roles);
  }

  @Mutation(() => UserType, {
    description:
      "An agency admin ends the person's membership of the admin's agency; the platform admin deactivates the whole account.",
  })
  @CheckPolicy('deactivate', 'User')
  deactivateUser(@Context() ctx: Scope, @Args('userId', { type: () => ID }) userId: string): Promise<UserType> {
    return this.people.deactivate(ctx, userId);
  }

  @Mutation(() => UserType, {
    description:
      'The platform admin lifts its deactivation of an account. Its memberships stay ended: agencies invite the person back. FAILED_PRECONDITION for an account it did not deactivate.',
  })
  @CheckPolicy('reactivate', 'User')
  reactivateUser(@Context() ctx: Scope, @Args('userId', { type: () => ID }) userId: string): Promise<UserType> {
    return this.people.reactivate(ctx, userId);
  }

  /** Public because a sign-in answer is read before the caller holds a session; the service scopes what shows. */
  @ResolveField(() => [MembershipType])
  @Public()
  memberships(@Context() ctx: Scope, @Parent() user: UserType): Promise<MembershipType[]> {
    return this.people.memberships(ctx, user);
  }
}
