import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { IdentifierScheme } from '../common/enums/children';
import { CheckPolicy } from '../../libs/authz/src';
import { AgenciesService } from '../agencies/agencies.service';
import { AgencyType } from '../agencies/agencies.types';
import { PageSize } from '../graphql/types/pagination';
import type { Scope } from '../access/scope';
import { DateScalar } from '../graphql/types/scalars';
import { ChildMatchingService } from './child-matching.service';
import { ChildFilter, ChildMatchInput, RegisterChildInput, UpdateChildInput } from './children.inputs';
import { ChildrenService, DEFAULT_CHILD_PAGE } from './children.service';
import { ChildConnection, ChildIdentifierType, ChildMatchType, ChildType, InvolvementType } from './children.types';
import { RegisterChildPayload } from './involvement-requests.types';

@Resolver(() => ChildType)
export class ChildResolver {
  constructor(
    private readonly service: ChildrenService,
    private readonly matching: ChildMatchingService,
  ) {}

  @Query(() => ChildType, { nullable: true, description: 'Null when there is no such child or you do not reach it.' })
  @CheckPolicy('read', 'Child')
  child(@Context() ctx: Scope, @Args('id', { type: () => ID }) id: string): Promise<ChildType | null> {
    return this.service.load(ctx, id);
  }

  @Query(() => ChildConnection, { description: 'The children you reach, by family name, given name.' })
  @CheckPolicy('read', 'Child')
  children(
    @Context() ctx: Scope,
    // Typed ChildFilter although it may be absent: the validation pipe checks the class the parameter's design
    // type names, and TypeScript records a union (`ChildFilter | undefined`) as Object, so the search's limits
    // went unchecked.
    @Args('filter', { type: () => ChildFilter, nullable: true }) filter: ChildFilter,
    @PageSize(DEFAULT_CHILD_PAGE) first: number,
    @Args('after', { type: () => String, nullable: true }) after?: string,
  ): Promise<ChildConnection> {
    return this.service.list(ctx, filter, first, after);
  }

  @Query(() => [ChildMatchType], {
    description:
      'Existing records that may be this child, disclosing only enough to ask for access. Every search is audited.',
  })
  @CheckPolicy('read', 'Child')
  possibleChildMatches(@Context() ctx: Scope, @Args('input') input: ChildMatchInput): Promise<ChildMatchType[]> {
    return this.matching.possibleMatches(ctx, input);
  }

  @Query(() => [IdentifierScheme], {
    description:
      'The identifier schemes your agency records on a child it registers: any other is BAD_USER_INPUT. Empty for ' +
      'those who do not register children.',
  })
  @CheckPolicy('read', 'Child')
  identifierSchemesToRecord(@Context() ctx: Scope): IdentifierScheme[] {
    return this.service.recordableIdentifierSchemes(ctx);
  }

  @Mutation(() => RegisterChildPayload, {
    description:
      'Registers a child with your agency involved. Knowing an identifier opens nothing: if one already belongs to ' +
      'a child, nothing is created and your agency asks to be involved (involvementRequest, which needs a reason). ' +
      'A record likely of the same child (same date of birth, close names) is answered as possibleMatches, nothing ' +
      'created, until you register again with confirmedNewChild.',
  })
  @CheckPolicy('register', 'Child')
  registerChild(@Context() ctx: Scope, @Args('input') input: RegisterChildInput): Promise<RegisterChildPayload> {
    return this.service.register(ctx, input);
  }

  @Mutation(() => ChildType, { description: 'Corrects the child’s details; a stale version is a CONFLICT.' })
  @CheckPolicy('update', 'Child')
  updateChild(@Context() ctx: Scope, @Args('input') input: UpdateChildInput): Promise<ChildType> {
    return this.service.update(ctx, input);
  }

  @Mutation(() => InvolvementType, { description: 'Ends your agency’s involvement with a child on the given day.' })
  @CheckPolicy('end', 'Involvement')
  endInvolvement(
    @Context() ctx: Scope,
    @Args('involvementId', { type: () => ID }) involvementId: string,
    @Args('until', { type: () => DateScalar }) until: string,
  ): Promise<InvolvementType> {
    return this.service.endInvolvement(ctx, involvementId, until);
  }

  @ResolveField(() => [ChildIdentifierType], { description: 'Only the schemes your agency may see.' })
  @CheckPolicy('read', 'Child')
  identifiers(@Context() ctx: Scope, @Parent() child: ChildType): Promise<ChildIdentifierType[]> {
    return this.service.identifiersOf(ctx, child.id);
  }

  @ResolveField(() => Boolean, { description: 'Whether you may share this record (grantAccess, refuseAccess).' })
  @CheckPolicy('read', 'Child')
  mayShare(@Context() ctx: Scope, @Parent() child: ChildType): boolean {
    return this.service.may(ctx, child, 'share');
  }

  @ResolveField(() => Boolean, { description: 'Whether you may read this record’s auditTrail.' })
  @CheckPolicy('read', 'Child')
  mayReadAuditTrail(@Context() ctx: Scope, @Parent() child: ChildType): boolean {
    return this.service.may(ctx, child, 'readTrail');
  }

  @ResolveField(() => Boolean, {
    description: 'Whether you may add to this record’s chronology (recordConcern, a correction among them).',
  })
  @CheckPolicy('read', 'Child')
  mayRecord(@Context() ctx: Scope, @Parent() child: ChildType): boolean {
    return this.service.may(ctx, child, 'record');
  }

  @ResolveField(() => [InvolvementType])
  @CheckPolicy('read', 'Child')
  involvements(@Context() ctx: Scope, @Parent() child: ChildType): Promise<InvolvementType[]> {
    return this.service.involvementsOf(ctx, child.id);
  }
}

@Resolver(() => InvolvementType)
export class InvolvementResolver {
  constructor(private readonly agencies: AgenciesService) {}

  @ResolveField(() => AgencyType)
  @CheckPolicy('read', 'Child')
  agency(@Context() ctx: Scope, @Parent() involvement: InvolvementType): Promise<AgencyType> {
    return this.agencies.load(ctx, involvement.agencyId);
  }
}

@Resolver(() => ChildMatchType)
export class ChildMatchResolver {
  constructor(private readonly agencies: AgenciesService) {}

  @ResolveField(() => [AgencyType], { description: 'Only the involvements your agency may learn of.' })
  @CheckPolicy('read', 'Child')
  involvedAgencies(@Context() ctx: Scope, @Parent() match: ChildMatchType): Promise<AgencyType[]> {
    return Promise.all(match.involvedAgencyIds.map((id) => this.agencies.load(ctx, id)));
  }
}
