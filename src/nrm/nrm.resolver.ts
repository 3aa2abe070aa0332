import { Args, Context, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { CheckPolicy } from '../../libs/authz/src';
import type { Scope } from '../access/scope';
import { personById } from '../agencies/person.loader';
import { AgenciesService } from '../agencies/agencies.service';
import { AgencyType, UserType } from '../agencies/agencies.types';
import { ChildrenService } from '../children/children.service';
import { ChildType } from '../children/children.types';
import { NotFoundError } from '../common/errors';
import { RecordNrmDecisionInput, ReferToNrmInput } from './nrm.inputs';
import { NrmService } from './nrm.service';
import { NrmReferralType } from './nrm.types';

/** The NRM's part of the child record. The parent child is one the viewer reaches. */
@Resolver(() => ChildType)
export class ChildNrmResolver {
  constructor(private readonly nrm: NrmService) {}

  @ResolveField(() => [NrmReferralType], { description: 'The NRM referrals you may see, oldest first.' })
  @CheckPolicy('read', 'NrmReferral')
  nrmReferrals(@Context() ctx: Scope, @Parent() child: ChildType): Promise<NrmReferralType[]> {
    return this.nrm.referralsOf(ctx, child.id);
  }
}

@Resolver(() => NrmReferralType)
export class NrmReferralResolver {
  constructor(
    private readonly nrm: NrmService,
    private readonly agencies: AgenciesService,
    private readonly children: ChildrenService,
  ) {}

  @Mutation(() => NrmReferralType, {
    description:
      'Refers the child to the National Referral Mechanism, as a first responder (police, children’s social care, ' +
      'an agency flagged first responder) involved with the child. A child needs no consent.',
  })
  @CheckPolicy('refer', 'NrmReferral')
  referToNrm(@Context() ctx: Scope, @Args('input') input: ReferToNrmInput): Promise<NrmReferralType> {
    return this.nrm.refer(ctx, input);
  }

  @Mutation(() => NrmReferralType, {
    description:
      'Records a decision of the Single Competent Authority on your agency’s referral: Reasonable Grounds first, ' +
      'then Conclusive Grounds after a positive one. Positive decisions set the child’s NRM flags.',
  })
  @CheckPolicy('recordDecision', 'NrmReferral')
  recordNrmDecision(@Context() ctx: Scope, @Args('input') input: RecordNrmDecisionInput): Promise<NrmReferralType> {
    return this.nrm.recordDecision(ctx, input);
  }

  /** A visible referral is always of a child the viewer reaches (visibility starts from the child's routes). */
  @ResolveField(() => ChildType)
  @CheckPolicy('read', 'NrmReferral')
  async child(@Context() ctx: Scope, @Parent() referral: NrmReferralType): Promise<ChildType> {
    const child = await this.children.load(ctx, referral.childId);
    if (!child) throw new NotFoundError('Child', referral.childId);
    return child;
  }

  @ResolveField(() => AgencyType)
  @CheckPolicy('read', 'NrmReferral')
  referringAgency(@Context() ctx: Scope, @Parent() referral: NrmReferralType): Promise<AgencyType> {
    return this.agencies.load(ctx, referral.referringAgencyId);
  }

  @ResolveField(() => UserType)
  @CheckPolicy('read', 'NrmReferral')
  referredBy(@Context() ctx: Scope, @Parent() referral: NrmReferralType): Promise<UserType> {
    return personById(ctx, referral.referredById);
  }
}
