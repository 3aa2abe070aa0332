import { personById } from '../agencies/person.loader';
import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CheckPolicy } from '../../libs/authz/src';
import { AgenciesService } from '../agencies/agencies.service';
import { AgencyType, UserType } from '../agencies/agencies.types';
import { ChildrenService } from '../children/children.service';
import { ChildType } from '../children/children.types';
import { NotFoundError } from '../common/errors';
import type { Scope } from '../access/scope';
import { BreakGlassService } from './break-glass.service';
import { GrantAccessInput, RefuseAccessInput } from './sharing.inputs';
import { SharingService } from './sharing.service';
import { AccessGrantType, AccessRefusalType, BreakGlassAccessType } from './sharing.types';

/** The child a grant, refusal or break-glass names, as the viewer may read it (audited like any child read). */
async function childFor(children: ChildrenService, ctx: Scope, childId: string): Promise<ChildType> {
  const child = await children.load(ctx, childId);
  if (!child) throw new NotFoundError('Child', childId);
  return child;
}

@Resolver(() => AccessGrantType)
export class AccessGrantResolver {
  constructor(
    private readonly sharing: SharingService,
    private readonly children: ChildrenService,
    private readonly agencies: AgenciesService,
  ) {}

  @Query(() => [AccessGrantType], {
    description: 'Grants on a child: all of them for those who may share it, else those made to your agency.',
  })
  @CheckPolicy('read', 'AccessGrant')
  accessGrants(
    @Context() ctx: Scope,
    @Args('childId', { type: () => ID }) childId: string,
  ): Promise<AccessGrantType[]> {
    return this.sharing.grants(ctx, childId);
  }

  @Mutation(() => AccessGrantType, {
    description: 'Shares tiers of a child’s record your agency holds with another agency, for a purpose, until expiry.',
  })
  @CheckPolicy('grant', 'AccessGrant')
  grantAccess(@Context() ctx: Scope, @Args('input') input: GrantAccessInput): Promise<AccessGrantType> {
    return this.sharing.grant(ctx, input);
  }

  @Mutation(() => AccessGrantType, { description: 'Ends a grant your agency made; it stops at the next request.' })
  @CheckPolicy('revoke', 'AccessGrant')
  revokeAccess(@Context() ctx: Scope, @Args('grantId', { type: () => ID }) grantId: string): Promise<AccessGrantType> {
    return this.sharing.revoke(ctx, grantId);
  }

  @ResolveField(() => ChildType)
  @CheckPolicy('read', 'Child')
  child(@Context() ctx: Scope, @Parent() grant: AccessGrantType): Promise<ChildType> {
    return childFor(this.children, ctx, grant.childId);
  }

  @ResolveField(() => AgencyType)
  @CheckPolicy('read', 'AccessGrant')
  granteeAgency(@Context() ctx: Scope, @Parent() grant: AccessGrantType): Promise<AgencyType> {
    return this.agencies.load(ctx, grant.granteeAgencyId);
  }

  @ResolveField(() => AgencyType)
  @CheckPolicy('read', 'AccessGrant')
  grantingAgency(@Context() ctx: Scope, @Parent() grant: AccessGrantType): Promise<AgencyType> {
    return this.agencies.load(ctx, grant.grantingAgencyId);
  }

  @ResolveField(() => UserType)
  @CheckPolicy('read', 'AccessGrant')
  grantedBy(@Context() ctx: Scope, @Parent() grant: AccessGrantType): Promise<UserType> {
    return personById(ctx, grant.grantedById);
  }
}

@Resolver(() => AccessRefusalType)
export class AccessRefusalResolver {
  constructor(
    private readonly sharing: SharingService,
    private readonly children: ChildrenService,
    private readonly agencies: AgenciesService,
  ) {}

  @Query(() => [AccessRefusalType], { description: 'Recorded decisions not to share a child’s record.' })
  @CheckPolicy('read', 'AccessGrant')
  accessRefusals(
    @Context() ctx: Scope,
    @Args('childId', { type: () => ID }) childId: string,
  ): Promise<AccessRefusalType[]> {
    return this.sharing.refusals(ctx, childId);
  }

  @Mutation(() => AccessRefusalType, {
    description: 'Records a decision not to share a child’s record with an agency that asked, and why.',
  })
  @CheckPolicy('refuse', 'AccessGrant')
  refuseAccess(@Context() ctx: Scope, @Args('input') input: RefuseAccessInput): Promise<AccessRefusalType> {
    return this.sharing.refuse(ctx, input);
  }

  @ResolveField(() => ChildType)
  @CheckPolicy('read', 'Child')
  child(@Context() ctx: Scope, @Parent() refusal: AccessRefusalType): Promise<ChildType> {
    return childFor(this.children, ctx, refusal.childId);
  }

  @ResolveField(() => AgencyType)
  @CheckPolicy('read', 'AccessGrant')
  requestingAgency(@Context() ctx: Scope, @Parent() refusal: AccessRefusalType): Promise<AgencyType> {
    return this.agencies.load(ctx, refusal.requestingAgencyId);
  }

  @ResolveField(() => AgencyType)
  @CheckPolicy('read', 'AccessGrant')
  decidingAgency(@Context() ctx: Scope, @Parent() refusal: AccessRefusalType): Promise<AgencyType> {
    return this.agencies.load(ctx, refusal.decidingAgencyId);
  }

  @ResolveField(() => UserType)
  @CheckPolicy('read', 'AccessGrant')
  decidedBy(@Context() ctx: Scope, @Parent() refusal: AccessRefusalType): Promise<UserType> {
    return personById(ctx, refusal.decidedById);
  }
}

@Resolver(() => BreakGlassAccessType)
export class BreakGlassResolver {
  constructor(
    private readonly breakGlassAccess: BreakGlassService,
    private readonly children: ChildrenService,
  ) {}

  @Mutation(() => BreakGlassAccessType, {
    description: 'Emergency access to a child’s record for 60 minutes, for you only; every use is reviewed.',
  })
  // Anyone who reads children may try: whether their role breaks glass is decided on the child, so that a refused
  // attempt on a record that exists is audited (BreakGlassService).
  @CheckPolicy('read', 'Child')
  breakGlass(
    @Context() ctx: Scope,
    @Args('childId', { type: () => ID }) childId: string,
    @Args('reason') reason: string,
  ): Promise<BreakGlassAccessType> {
    return this.breakGlassAccess.breakGlass(ctx, childId, reason);
  }

  @Query(() => [BreakGlassAccessType], {
    description:
      'Emergency access to a record your agency held that it has not reviewed, and by your staff until every agency ' +
      'whose record was opened has reviewed it.',
  })
  @CheckPolicy('read', 'BreakGlassAccess')
  breakGlassToReview(@Context() ctx: Scope): Promise<BreakGlassAccessType[]> {
    return this.breakGlassAccess.toReview(ctx);
  }

  @Mutation(() => BreakGlassAccessType, {
    description: 'Records your agency’s review of one emergency access to a record it held.',
  })
  @CheckPolicy('review', 'BreakGlassAccess')
  reviewBreakGlass(
    @Context() ctx: Scope,
    @Args('id', { type: () => ID }) id: string,
    @Args('outcome') outcome: string,
  ): Promise<BreakGlassAccessType> {
    return this.breakGlassAccess.review(ctx, id, outcome);
  }

  @ResolveField(() => ChildType)
  @CheckPolicy('read', 'Child')
  child(@Context() ctx: Scope, @Parent() access: BreakGlassAccessType): Promise<ChildType> {
    return childFor(this.children, ctx, access.childId);
  }

  @ResolveField(() => UserType)
  @CheckPolicy((ability) => ability.can('read', 'BreakGlassAccess') || ability.can('breakGlass', 'Child'), 'see who')
  user(@Context() ctx: Scope, @Parent() access: BreakGlassAccessType): Promise<UserType> {
    return personById(ctx, access.userId);
  }
}
