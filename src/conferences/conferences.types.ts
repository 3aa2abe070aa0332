import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import type { AccessRoute } from '../access/child-access';
import { Sensitivity } from '../common/enums/chronology';
import {
  ActionStatus,
  ConferenceKind,
  ConferenceRecommendation,
  ConferenceStatus,
  InvitationResponse,
} from '../common/enums/conferences';
import { DateScalar } from '../graphql/types/scalars';

@ObjectType('ConferenceInvitation', {
  description: 'An agency invited to a conference; whoever of it answers becomes its invitee.',
})
export class ConferenceInvitationType {
  @Field(() => ID) id!: string;
  @Field(() => ID, { description: 'Open it once your agency has accepted (or if you reach the child otherwise).' })
  conferenceId!: string;
  agencyId!: string;
  inviteeId!: string | null;
  @Field(() => InvitationResponse) response!: InvitationResponse;
}

@ObjectType('ConferenceReport')
export class ConferenceReportType {
  @Field(() => ID) id!: string;
  agencyId!: string;
  authorId!: string;
  @Field(() => Date) submittedAt!: Date;
  @Field() content!: string;
  @Field(() => Sensitivity) sensitivity!: Sensitivity;
}

@ObjectType('Attendance')
export class AttendanceType {
  userId!: string;
  agencyId!: string;
  @Field() present!: boolean;
}

@ObjectType('PlanAction')
export class PlanActionType {
  @Field(() => ID) id!: string;
  conferenceId!: string;
  @Field() description!: string;
  ownerAgencyId!: string;
  ownerId!: string | null;
  @Field(() => DateScalar) dueOn!: string;
  @Field(() => ActionStatus, { description: 'OVERDUE: still open after its due date.' })
  status!: ActionStatus;
  @Field(() => Int, { description: 'Send it back with updatePlanAction: a change made meanwhile is a CONFLICT.' })
  version!: number;
}

@ObjectType('Dissent')
export class DissentType {
  agencyId!: string;
  @Field() note!: string;
}

@ObjectType('ConferenceDecision')
export class ConferenceDecisionType {
  conferenceId!: string;
  @Field(() => ConferenceRecommendation) recommendation!: ConferenceRecommendation;
  @Field() rationale!: string;
  decidedById!: string;
  @Field(() => Date) decidedAt!: Date;
  @Field(() => DateScalar, {
    nullable: true,
    description: 'An initial or review conference that keeps a child protection plan: when the next review is due.',
  })
  nextReviewBy!: string | null;
  @Field(() => String, { nullable: true }) quorumOverrideReason!: string | null;
}

@ObjectType('Conference')
export class ConferenceType {
  @Field(() => ID) id!: string;
  childId!: string;
  chairId!: string;
  chairAgencyId!: string;
  @Field(() => ConferenceKind) kind!: ConferenceKind;
  @Field(() => ConferenceStatus) status!: ConferenceStatus;
  @Field(() => Date) convenedAt!: Date;
  @Field(() => Date) scheduledFor!: Date;
  @Field(() => DateScalar, { description: 'Computed from the statutory timescales, never set by a client.' })
  dueBy!: string;
  @Field({ description: 'It is scheduled (in England and Wales) after the day it is due by.' })
  scheduledAfterDue!: boolean;
  @Field(() => DateScalar, { nullable: true, description: 'An initial conference: the strategy discussion’s day.' })
  strategyDiscussionOn!: string | null;
  @Field(() => ID, { nullable: true, description: 'The conference a review reviews (or an initial one follows).' })
  precedingConferenceId!: string | null;
  @Field(() => String, { nullable: true, description: 'Why it was cancelled.' })
  cancellationReason!: string | null;
  @Field(() => ConferenceDecisionType, { nullable: true }) decision!: ConferenceDecisionType | null;
  @Field(() => Int, { description: 'Send it back with each change: a change made meanwhile is a CONFLICT.' })
  version!: number;
  /** The viewer's route to the child, for the audit of what is read through it. */
  route!: AccessRoute;
}
