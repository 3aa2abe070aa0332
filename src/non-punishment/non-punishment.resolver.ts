import { Args, Context, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { CheckPolicy } from '../../libs/authz/src';
import type { Scope } from '../access/scope';
import { personById } from '../agencies/person.loader';
import { UserType } from '../agencies/agencies.types';
import { ChildrenService } from '../children/children.service';
import { ChildType } from '../children/children.types';
import { NotFoundError } from '../common/errors';
import { NonPunishmentAssessmentInput } from './non-punishment.inputs';
import { NonPunishmentService } from './non-punishment.service';
import { NonPunishmentAssessmentType } from './non-punishment.types';

/** The assessments' part of the child record. The parent child is one the viewer reaches. */
@Resolver(() => ChildType)
export class ChildNonPunishmentResolver {
  constructor(private readonly assessments: NonPunishmentService) {}

  @ResolveField(() => [NonPunishmentAssessmentType], {
    description:
      'The prosecutors’ non-punishment assessments, oldest first: the outcome to all, the reasoning to prosecution.',
  })
  @CheckPolicy('read', 'NonPunishmentAssessment')
  nonPunishmentAssessments(@Context() ctx: Scope, @Parent() child: ChildType): Promise<NonPunishmentAssessmentType[]> {
    return this.assessments.assessmentsOf(ctx, child.id);
  }
}

@Resolver(() => NonPunishmentAssessmentType)
export class NonPunishmentAssessmentResolver {
  constructor(
    private readonly assessments: NonPunishmentService,
    private readonly children: ChildrenService,
  ) {}

  @Mutation(() => NonPunishmentAssessmentType, {
    description:
      'Records the four-stage non-punishment assessment, as a prosecutor of a prosecution agency the record is ' +
      'shared with (or involved). Refused with the stage and the reason when it does not follow from the record; ' +
      'supersedes the last assessment. The involved agencies and the conference chair hear the outcome.',
  })
  @CheckPolicy('record', 'NonPunishmentAssessment')
  recordNonPunishmentAssessment(
    @Context() ctx: Scope,
    @Args('input') input: NonPunishmentAssessmentInput,
  ): Promise<NonPunishmentAssessmentType> {
    return this.assessments.record(ctx, input);
  }

  /** A visible assessment is always of a child the viewer reaches. */
  @ResolveField(() => ChildType)
  @CheckPolicy('read', 'NonPunishmentAssessment')
  async child(@Context() ctx: Scope, @Parent() assessment: NonPunishmentAssessmentType): Promise<ChildType> {
    const child = await this.children.load(ctx, assessment.childId);
    if (!child) throw new NotFoundError('Child', assessment.childId);
    return child;
  }

  @ResolveField(() => UserType)
  @CheckPolicy('read', 'NonPunishmentAssessment')
  decidedBy(@Context() ctx: Scope, @Parent() assessment: NonPunishmentAssessmentType): Promise<UserType> {
    return personById(ctx, assessment.decidedById);
  }
}
