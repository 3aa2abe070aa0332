import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import { CheckPolicy } from '../../libs/authz/src';
import type { Scope } from '../access/scope';
import { AgenciesService } from '../agencies/agencies.service';
import { AgencyType, UserType } from '../agencies/agencies.types';
import { personById } from '../agencies/person.loader';
import { ChildrenService } from '../children/children.service';
import { ChildType } from '../children/children.types';
import { ActionStatus, ConferenceStatus, InvitationResponse } from '../common/enums/conferences';
import { NotFoundError } from '../common/errors';
import { DateScalar } from '../graphql/types/scalars';
import type { ConferenceChanged } from '../live/live-events.service';
import {
  AttendanceInput,
  ConveneConferenceInput,
  DecideConferenceInput,
  SubmitReportInput,
} from './conferences.inputs';
import { ConferencesService } from './conferences.service';
import {
  AttendanceType,
  ConferenceDecisionType,
  ConferenceInvitationType,
  ConferenceReportType,
  ConferenceType,
  DissentType,
  PlanActionType,
} from './conferences.types';

const VERSION = {
  type: () => Int,
  nullable: true,
  description: 'The version you read: a change made meanwhile is a CONFLICT.',
} as const;

@Resolver(() => ConferenceType)
export class ConferenceResolver {
  constructor(
    private readonly conferences: ConferencesService,
    private readonly children: ChildrenService,
  ) {}

  @Query(() => ConferenceType, { nullable: true, description: 'Null when there is none or you do not see it.' })
  @CheckPolicy('read', 'Conference')
  conference(@Context() ctx: Scope, @Args('id', { type: () => ID }) id: string): Promise<ConferenceType | null> {
    return this.conferences.load(ctx, id);
  }

  @Query(() => [ConferenceType], { description: 'Conferences you chair or your agency is invited to, soonest first.' })
  @CheckPolicy('read', 'Conference')
  myConferences(
    @Context() ctx: Scope,
    @Args('status', { type: () => ConferenceStatus, nullable: true }) status?: ConferenceStatus | null,
  ): Promise<ConferenceType[]> {
    return this.conferences.mine(ctx, status ?? null);
  }

  @Query(() => DateScalar, {
    description:
      'The day a conference convened with this input would be due by, refused exactly as conveneConference would ' +
      'refuse it; nothing is convened. For showing the statutory date before convening.',
  })
  @CheckPolicy('convene', 'Conference')
  conferenceDueBy(@Context() ctx: Scope, @Args('input') input: ConveneConferenceInput): Promise<string> {
    return this.conferences.dueByIfConvened(ctx, input);
  }

  @Subscription(() => ConferenceType, {
    description: 'The conference each time it changes, while you see it: once you no longer do, nothing more.',
    // Each change is read afresh in a scope of its own, so access and audit are those of a `conference` query.
    resolve(this: ConferenceResolver, event: ConferenceChanged, _args: unknown, ctx: Scope) {
      return this.conferences.visibleNow(ctx, event.conferenceId);
    },
  })
  @CheckPolicy('read', 'Conference')
  conferenceUpdated(
    @Context() ctx: Scope,
    @Args('conferenceId', { type: () => ID }) conferenceId: string,
  ): Promise<AsyncIterableIterator<ConferenceChanged>> {
    return this.conferences.watch(ctx, conferenceId);
  }

  @Mutation(() => ConferenceType, {
    description: 'Convenes a conference; dueBy follows from its kind (15 working days after a strategy discussion…).',
  })
  @CheckPolicy('convene', 'Conference')
  conveneConference(@Context() ctx: Scope, @Args('input') input: ConveneConferenceInput): Promise<ConferenceType> {
    return this.conferences.convene(ctx, input);
  }

  @Mutation(() => ConferenceType, { description: 'The chair opens the conference, recording who is present.' })
  @CheckPolicy('run', 'Conference')
  startConference(
    @Context() ctx: Scope,
    @Args('id', { type: () => ID }) id: string,
    @Args('attendance', { type: () => [AttendanceInput] }) attendance: AttendanceInput[],
    @Args('version', VERSION) version?: number | null,
  ): Promise<ConferenceType> {
    return this.conferences.start(ctx, id, attendance, version ?? null);
  }

  @Mutation(() => ConferenceType, { description: 'The chair decides, in session, with quorum.' })
  @CheckPolicy('decide', 'Conference')
  decideConference(@Context() ctx: Scope, @Args('input') input: DecideConferenceInput): Promise<ConferenceType> {
    return this.conferences.decide(ctx, input);
  }

  @Mutation(() => ConferenceType, { description: 'The chair cancels a conference not yet decided, saying why.' })
  @CheckPolicy('cancel', 'Conference')
  cancelConference(
    @Context() ctx: Scope,
    @Args('id', { type: () => ID }) id: string,
    @Args('reason') reason: string,
    @Args('version', VERSION) version?: number | null,
  ): Promise<ConferenceType> {
    return this.conferences.cancel(ctx, id, reason, version ?? null);
  }

  @ResolveField(() => ChildType)
  @CheckPolicy('read', 'Conference')
  async child(@Context() ctx: Scope, @Parent() conference: ConferenceType): Promise<ChildType> {
    const child = await this.children.load(ctx, conference.childId);
    if (!child) throw new NotFoundError('Child', conference.childId);
    return child;
  }

  @ResolveField(() => UserType)
  @CheckPolicy('read', 'Conference')
  chair(@Context() ctx: Scope, @Parent() conference: ConferenceType): Promise<UserType> {
    return personById(ctx, conference.chairId);
  }

  @ResolveField(() => [ConferenceInvitationType])
  @CheckPolicy('read', 'Conference')
  invitations(@Context() ctx: Scope, @Parent() conference: ConferenceType): Promise<ConferenceInvitationType[]> {
    return this.conferences.invitationsOf(ctx, conference.id);
  }

  @ResolveField(() => [ConferenceReportType], { description: 'Only the reports in tiers you may see.' })
  @CheckPolicy('read', 'Conference')
  reports(@Context() ctx: Scope, @Parent() conference: ConferenceType): Promise<ConferenceReportType[]> {
    return this.conferences.reportsOf(ctx, conference);
  }

  @ResolveField(() => [AttendanceType])
  @CheckPolicy('read', 'Conference')
  attendance(@Context() ctx: Scope, @Parent() conference: ConferenceType): Promise<AttendanceType[]> {
    return this.conferences.attendanceOf(ctx, conference.id);
  }

  @ResolveField(() => Boolean, {
    description: 'At least three agencies present, children’s social care one of them.',
  })
  @CheckPolicy('read', 'Conference')
  quorumMet(@Context() ctx: Scope, @Parent() conference: ConferenceType): Promise<boolean> {
    return this.conferences.quorumMet(ctx, conference.id);
  }
}

@Resolver(() => ChildType)
export class ChildConferencesResolver {
  constructor(private readonly service: ConferencesService) {}

  @ResolveField(() => [ConferenceType], { description: 'The child’s conferences you see.' })
  @CheckPolicy('read', 'Conference')
  conferences(@Context() ctx: Scope, @Parent() child: ChildType): Promise<ConferenceType[]> {
    return this.service.ofChild(ctx, child.id);
  }
}

@Resolver(() => ConferenceInvitationType)
export class ConferenceInvitationResolver {
  constructor(
    private readonly conferences: ConferencesService,
    private readonly agencies: AgenciesService,
  ) {}

  @Query(() => [ConferenceInvitationType], {
    description: 'Invitations to your agency, to answer with respondToInvitation before the child opens to you.',
  })
  @CheckPolicy('respond', 'ConferenceInvitation')
  conferenceInvitations(
    @Context() ctx: Scope,
    @Args('response', { type: () => InvitationResponse, nullable: true }) response?: InvitationResponse | null,
  ): Promise<ConferenceInvitationType[]> {
    return this.conferences.invitationsToMyAgency(ctx, response ?? null);
  }

  @Mutation(() => ConferenceInvitationType, {
    description: 'Accepts or declines for your agency: who answers attends for it and writes its report.',
  })
  @CheckPolicy('respond', 'ConferenceInvitation')
  respondToInvitation(
    @Context() ctx: Scope,
    @Args('invitationId', { type: () => ID }) invitationId: string,
    @Args('response', { type: () => InvitationResponse }) response: InvitationResponse,
  ): Promise<ConferenceInvitationType> {
    return this.conferences.respond(ctx, invitationId, response);
  }

  @ResolveField(() => AgencyType)
  @CheckPolicy('respond', 'ConferenceInvitation')
  agency(@Context() ctx: Scope, @Parent() invitation: ConferenceInvitationType): Promise<AgencyType> {
    return this.agencies.load(ctx, invitation.agencyId);
  }

  @ResolveField(() => UserType, { nullable: true })
  @CheckPolicy('respond', 'ConferenceInvitation')
  invitee(@Context() ctx: Scope, @Parent() invitation: ConferenceInvitationType): Promise<UserType> | null {
    return invitation.inviteeId ? personById(ctx, invitation.inviteeId) : null;
  }
}

@Resolver(() => ConferenceReportType)
export class ConferenceReportResolver {
  constructor(
    private readonly conferences: ConferencesService,
    private readonly agencies: AgenciesService,
  ) {}

  @Mutation(() => ConferenceReportType, { description: 'Your agency’s one report, in a tier your agency sees.' })
  @CheckPolicy('report', 'Conference')
  submitConferenceReport(
    @Context() ctx: Scope,
    @Args('input') input: SubmitReportInput,
  ): Promise<ConferenceReportType> {
    return this.conferences.submitReport(ctx, input);
  }

  @ResolveField(() => AgencyType)
  @CheckPolicy('read', 'Conference')
  agency(@Context() ctx: Scope, @Parent() report: ConferenceReportType): Promise<AgencyType> {
    return this.agencies.load(ctx, report.agencyId);
  }

  @ResolveField(() => UserType)
  @CheckPolicy('read', 'Conference')
  author(@Context() ctx: Scope, @Parent() report: ConferenceReportType): Promise<UserType> {
    return personById(ctx, report.authorId);
  }
}

@Resolver(() => AttendanceType)
export class AttendanceResolver {
  constructor(private readonly agencies: AgenciesService) {}

  @ResolveField(() => UserType)
  @CheckPolicy('read', 'Conference')
  user(@Context() ctx: Scope, @Parent() attendance: AttendanceType): Promise<UserType> {
    return personById(ctx, attendance.userId);
  }

  @ResolveField(() => AgencyType)
  @CheckPolicy('read', 'Conference')
  agency(@Context() ctx: Scope, @Parent() attendance: AttendanceType): Promise<AgencyType> {
    return this.agencies.load(ctx, attendance.agencyId);
  }
}

@Resolver(() => ConferenceDecisionType)
export class ConferenceDecisionResolver {
  constructor(private readonly conferences: ConferencesService) {}

  @ResolveField(() => UserType)
  @CheckPolicy('read', 'Conference')
  decidedBy(@Context() ctx: Scope, @Parent() decision: ConferenceDecisionType): Promise<UserType> {
    return personById(ctx, decision.decidedById);
  }

  @ResolveField(() => [PlanActionType])
  @CheckPolicy('read', 'Conference')
  actions(@Context() ctx: Scope, @Parent() decision: ConferenceDecisionType): Promise<PlanActionType[]> {
    return this.conferences.actionsOf(ctx, decision.conferenceId);
  }

  @ResolveField(() => [DissentType])
  @CheckPolicy('read', 'Conference')
  dissents(@Context() ctx: Scope, @Parent() decision: ConferenceDecisionType): Promise<DissentType[]> {
    return this.conferences.dissentsOf(ctx, decision.conferenceId);
  }
}

@Resolver(() => PlanActionType)
export class PlanActionResolver {
  constructor(
    private readonly conferences: ConferencesService,
    private readonly agencies: AgenciesService,
  ) {}

  @Mutation(() => PlanActionType, { description: 'Marks an action done (its agency, the chair), or cancels it.' })
  @CheckPolicy('update', 'PlanAction')
  updatePlanAction(
    @Context() ctx: Scope,
    @Args('id', { type: () => ID }) id: string,
    @Args('status', { type: () => ActionStatus }) status: ActionStatus,
    @Args('version', VERSION) version?: number | null,
  ): Promise<PlanActionType> {
    return this.conferences.updateAction(ctx, id, status, version ?? null);
  }

  @ResolveField(() => AgencyType)
  @CheckPolicy('read', 'Conference')
  ownerAgency(@Context() ctx: Scope, @Parent() action: PlanActionType): Promise<AgencyType> {
    return this.agencies.load(ctx, action.ownerAgencyId);
  }

  @ResolveField(() => UserType, { nullable: true })
  @CheckPolicy('read', 'Conference')
  owner(@Context() ctx: Scope, @Parent() action: PlanActionType): Promise<UserType> | null {
    return action.ownerId ? personById(ctx, action.ownerId) : null;
  }
}

@Resolver(() => DissentType)
export class DissentResolver {
  constructor(private readonly agencies: AgenciesService) {}

  @ResolveField(() => AgencyType)
  @CheckPolicy('read', 'Conference')
  agency(@Context() ctx: Scope, @Parent() dissent: DissentType): Promise<AgencyType> {
    return this.agencies.load(ctx, dissent.agencyId);
  }
}
