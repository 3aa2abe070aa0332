import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CheckPolicy } from '../../libs/authz/src';
import type { Scope } from '../access/scope';
import { AgencyType, UserType } from '../agencies/agencies.types';
import { AgenciesService } from '../agencies/agencies.service';
import { personById } from '../agencies/person.loader';
import { RequestInvolvementInput } from './children.inputs';
import { ChildrenService } from './children.service';
import { ChildType } from './children.types';
import { InvolvementRequestStatus } from './involvement-request.entity';
import { InvolvementRequestsService } from './involvement-requests.service';
import { InvolvementRequestType } from './involvement-requests.types';

@Resolver(() => InvolvementRequestType)
export class InvolvementRequestResolver {
  constructor(
    private readonly requests: InvolvementRequestsService,
    private readonly children: ChildrenService,
    private readonly agencies: AgenciesService,
  ) {}

  @Query(() => [InvolvementRequestType], {
    description:
      'The involvement requests you are party to, newest first: your agency’s, and those you decide as a lead.',
  })
  @CheckPolicy('read', 'InvolvementRequest')
  involvementRequests(
    @Context() ctx: Scope,
    @Args('status', { type: () => InvolvementRequestStatus, nullable: true }) status?: InvolvementRequestStatus | null,
  ): Promise<InvolvementRequestType[]> {
    return this.requests.list(ctx, status ?? null);
  }

  @Mutation(() => InvolvementRequestType, {
    description:
      'Asks for your agency to become involved with a child that has a record (found by a match, or reached through ' +
      'a grant or break-glass). Nothing opens until a lead of an involved agency accepts it.',
  })
  @CheckPolicy('request', 'InvolvementRequest')
  requestInvolvement(
    @Context() ctx: Scope,
    @Args('input') input: RequestInvolvementInput,
  ): Promise<InvolvementRequestType> {
    return this.requests.request(ctx, input);
  }

  @Mutation(() => InvolvementRequestType, {
    description: 'Accepts (the requester becomes involved) or declines (say why in the note) a pending request.',
  })
  @CheckPolicy('decide', 'InvolvementRequest')
  decideInvolvementRequest(
    @Context() ctx: Scope,
    @Args('id', { type: () => ID }) id: string,
    @Args('accept') accept: boolean,
    @Args('note') note: string,
  ): Promise<InvolvementRequestType> {
    return this.requests.decide(ctx, id, accept, note);
  }

  @Mutation(() => InvolvementRequestType, { description: 'Withdraws your agency’s pending request.' })
  @CheckPolicy('withdraw', 'InvolvementRequest')
  withdrawInvolvementRequest(
    @Context() ctx: Scope,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<InvolvementRequestType> {
    return this.requests.withdraw(ctx, id);
  }

  @ResolveField(() => ChildType, {
    nullable: true,
    description: 'The record, when you reach it: null for the requester until the request is accepted.',
  })
  @CheckPolicy('read', 'InvolvementRequest')
  child(@Context() ctx: Scope, @Parent() request: InvolvementRequestType): Promise<ChildType | null> {
    return this.children.load(ctx, request.childId);
  }

  @ResolveField(() => AgencyType)
  @CheckPolicy('read', 'InvolvementRequest')
  requestingAgency(@Context() ctx: Scope, @Parent() request: InvolvementRequestType): Promise<AgencyType> {
    return this.agencies.load(ctx, request.requestingAgencyId);
  }

  @ResolveField(() => UserType)
  @CheckPolicy('read', 'InvolvementRequest')
  requestedBy(@Context() ctx: Scope, @Parent() request: InvolvementRequestType): Promise<UserType> {
    return personById(ctx, request.requestedById);
  }

  @ResolveField(() => UserType, { nullable: true })
  @CheckPolicy('read', 'InvolvementRequest')
  async decidedBy(@Context() ctx: Scope, @Parent() request: InvolvementRequestType): Promise<UserType | null> {
    return request.decidedById ? personById(ctx, request.decidedById) : null;
  }
}
