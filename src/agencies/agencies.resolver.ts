import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Authenticated, CheckPolicy, Public } from '../../libs/authz/src';
import type { Scope } from '../access/scope';
import { CreateAgencyInput } from './agencies.inputs';
import { AgencyType, InvitationType, MembershipType } from './agencies.types';
import { AgenciesService } from './agencies.service';
import { PeopleService } from './people.service';
import { Role } from '../common/enums/agencies';

@Resolver(() => AgencyType)
export class AgenciesResolver {
  constructor(
    private readonly service: AgenciesService,
    private readonly people: PeopleService,
  ) {}

  @Query(() => [AgencyType], { description: 'Every agency, by name.' })
  @CheckPolicy('read', 'Agency')
  agencies(@Context() ctx: Scope): Promise<AgencyType[]> {
    return this.service.list(ctx);
  }

  @Mutation(() => AgencyType, { description: 'Platform admin only. A duplicate name (any case) is a CONFLICT.' })
  @CheckPolicy('create', 'Agency')
  createAgency(@Context() ctx: Scope, @Args('input') input: CreateAgencyInput): Promise<AgencyType> {
    return this.service.create(ctx, input);
  }

  @ResolveField(() => [Role], {
    description:
      "The roles you may give this agency's people (inviteUser, setRoles): empty for an agency whose people you do not manage.",
  })
  @Authenticated()
  assignableRoles(@Context() ctx: Scope, @Parent() agency: AgencyType): Role[] {
    return this.people.givableRoles(ctx, agency);
  }
}

@Resolver(() => MembershipType)
export class MembershipResolver {
  constructor(private readonly agencies: AgenciesService) {}

  /** The membership was authorised with the User it belongs to, which may be the caller's own sign-in answer. */
  @ResolveField(() => AgencyType)
  @Public()
  agency(@Context() ctx: Scope, @Parent() membership: MembershipType): Promise<AgencyType> {
    return this.agencies.load(ctx, membership.agencyId);
  }
}

@Resolver(() => InvitationType)
export class InvitationResolver {
  constructor(private readonly agencies: AgenciesService) {}

  @ResolveField(() => AgencyType)
  @Authenticated()
  agency(@Context() ctx: Scope, @Parent() invitation: InvitationType): Promise<AgencyType> {
    return this.agencies.load(ctx, invitation.agencyId);
  }
}
