import { personById } from '../agencies/person.loader';
import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Authenticated, CheckPolicy } from '../../libs/authz/src';
import { AgencyType, UserType } from '../agencies/agencies.types';
import { AgenciesService } from '../agencies/agencies.service';
import { ChildType } from '../children/children.types';
import { ChildrenService } from '../children/children.service';
import { NotFoundError } from '../common/errors';
import { PageSize } from '../graphql/types/pagination';
import type { Scope } from '../access/scope';
import { RecordConcernInput, RecordRiskAssessmentInput } from './chronology.inputs';
import { ChronologyService, DEFAULT_CONCERN_PAGE } from './chronology.service';
import { CinFactorType, ConcernConnection, ConcernType, IndicatorType, RiskAssessmentType } from './chronology.types';
import { INDICATORS } from './indicators';

/** The chronology's part of the child record. The parent child is one the viewer reaches. */
@Resolver(() => ChildType)
export class ChildChronologyResolver {
  constructor(private readonly chronology: ChronologyService) {}

  @ResolveField(() => ConcernConnection, {
    description: 'What agencies saw, newest first by when it happened: only the entries you may see.',
  })
  @CheckPolicy('read', 'Concern')
  concerns(
    @Context() ctx: Scope,
    @Parent() child: ChildType,
    @PageSize(DEFAULT_CONCERN_PAGE) first: number,
    @Args('after', { type: () => String, nullable: true }) after?: string | null,
  ): Promise<ConcernConnection> {
    return this.chronology.concernsOf(ctx, child.id, { first, after: after ?? null });
  }

  @ResolveField(() => RiskAssessmentType, {
    nullable: true,
    description: 'The newest risk assessment you may see; null when there is none.',
  })
  @CheckPolicy('read', 'RiskAssessment')
  currentRisk(@Context() ctx: Scope, @Parent() child: ChildType): Promise<RiskAssessmentType | null> {
    return this.chronology.currentRiskOf(ctx, child.id);
  }

  @ResolveField(() => [CinFactorType], {
    description:
      'Children in Need census assessment factors that the concerns you see suggest, for the census return: ' +
      'a suggestion for the assessing social worker, not a finding.',
  })
  @CheckPolicy('read', 'Concern')
  suggestedCinFactors(@Context() ctx: Scope, @Parent() child: ChildType): Promise<CinFactorType[]> {
    return this.chronology.suggestedCinFactorsOf(ctx, child.id);
  }
}

@Resolver(() => ConcernType)
export class ConcernResolver {
  constructor(
    private readonly chronology: ChronologyService,
    private readonly agencies: AgenciesService,
    private readonly children: ChildrenService,
  ) {}

  @Query(() => [IndicatorType], { description: 'The exploitation indicators a concern may carry.' })
  @Authenticated()
  concernIndicators(): readonly IndicatorType[] {
    return INDICATORS;
  }

  @Mutation(() => ConcernType, {
    description:
      'Adds an entry to the child’s chronology. Entries are never changed: to correct one, record a new concern ' +
      'with amendsConcernId. Needs an involvement with the child (or break-glass access), or your agency’s pending ' +
      'involvement request: then you do not reach the record yet, so leave `child` out of the answer (it would be ' +
      'NOT_FOUND, and a mutation with an error records nothing).',
  })
  @CheckPolicy('record', 'Concern')
  recordConcern(@Context() ctx: Scope, @Args('input') input: RecordConcernInput): Promise<ConcernType> {
    return this.chronology.recordConcern(ctx, input);
  }

  /**
   * A concern read back is always of a child the viewer reaches (visibility starts from the child's routes). The
   * one exception is the answer to recordConcern by an agency whose involvement request is pending: it reaches no
   * record, and the field is NOT_FOUND rather than a child it may not see.
   */
  @ResolveField(() => ChildType)
  @CheckPolicy('read', 'Concern')
  async child(@Context() ctx: Scope, @Parent() concern: ConcernType): Promise<ChildType> {
    const child = await this.children.load(ctx, concern.childId);
    if (!child) throw new NotFoundError('Child', concern.childId);
    return child;
  }

  @ResolveField(() => AgencyType)
  @CheckPolicy('read', 'Concern')
  agency(@Context() ctx: Scope, @Parent() concern: ConcernType): Promise<AgencyType> {
    return this.agencies.load(ctx, concern.agencyId);
  }

  @ResolveField(() => UserType)
  @CheckPolicy('read', 'Concern')
  recordedBy(@Context() ctx: Scope, @Parent() concern: ConcernType): Promise<UserType> {
    return personById(ctx, concern.recordedBy);
  }

  @ResolveField(() => ConcernType, {
    nullable: true,
    description: 'The concern this one corrects; null when there is none or you may not see it.',
  })
  @CheckPolicy('read', 'Concern')
  amends(@Context() ctx: Scope, @Parent() concern: ConcernType): Promise<ConcernType | null> {
    if (!concern.amendsConcernId) return Promise.resolve(null);
    return this.chronology.concern(ctx, concern.childId, concern.amendsConcernId);
  }

  @ResolveField(() => [ConcernType], { description: 'Later concerns that correct this one, oldest first.' })
  @CheckPolicy('read', 'Concern')
  amendedBy(@Context() ctx: Scope, @Parent() concern: ConcernType): Promise<ConcernType[]> {
    return this.chronology.amendmentsOf(ctx, concern.childId, concern.id);
  }
}

@Resolver(() => RiskAssessmentType)
export class RiskAssessmentResolver {
  constructor(
    private readonly chronology: ChronologyService,
    private readonly agencies: AgenciesService,
  ) {}

  @Mutation(() => RiskAssessmentType, {
    description: 'Records a new assessment of the child’s overall risk; it becomes the child’s currentRisk.',
  })
  @CheckPolicy('assess', 'RiskAssessment')
  recordRiskAssessment(
    @Context() ctx: Scope,
    @Args('input') input: RecordRiskAssessmentInput,
  ): Promise<RiskAssessmentType> {
    return this.chronology.recordRiskAssessment(ctx, input);
  }

  @ResolveField(() => AgencyType)
  @CheckPolicy('read', 'RiskAssessment')
  agency(@Context() ctx: Scope, @Parent() assessment: RiskAssessmentType): Promise<AgencyType> {
    return this.agencies.load(ctx, assessment.agencyId);
  }

  @ResolveField(() => UserType)
  @CheckPolicy('read', 'RiskAssessment')
  assessedBy(@Context() ctx: Scope, @Parent() assessment: RiskAssessmentType): Promise<UserType> {
    return personById(ctx, assessment.assessedBy);
  }
}
