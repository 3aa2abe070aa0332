import { Field, ID, ObjectType } from '@nestjs/graphql';
import { InvolvementBasis } from '../common/enums/children';
import { ChildMatchType, ChildType } from './children.types';
import { InvolvementRequestStatus } from './involvement-request.entity';

/**
 * An agency's request to become involved with a known child, as one viewer sees it: `match` is what the viewer
 * may know of the child without reaching it; the record itself (`child`) resolves only for a viewer who reaches
 * it (a decider of an involved agency; the requester once accepted).
 */
@ObjectType('InvolvementRequest')
export class InvolvementRequestType {
  @Field(() => ID) id!: string;
  childId!: string;
  /** Resolved through the agency loader. */
  requestingAgencyId!: string;
  /** Resolved through the person loader. */
  requestedById!: string;
  @Field(() => InvolvementBasis) basis!: InvolvementBasis;
  @Field() reason!: string;
  @Field(() => InvolvementRequestStatus) status!: InvolvementRequestStatus;
  @Field(() => Date) requestedAt!: Date;
  decidedById!: string | null;
  @Field(() => Date, { nullable: true }) decidedAt!: Date | null;
  @Field(() => String, { nullable: true }) decisionNote!: string | null;
  @Field(() => ChildMatchType, { description: 'What the requester may know of the child.' })
  match!: ChildMatchType;
}

/**
 * The answer to registerChild: exactly one of a new record (`child`), a request filed because the child is known
 * (`involvementRequest`), and the records that are likely this child, none created (`possibleMatches`).
 */
@ObjectType('RegisterChildPayload')
export class RegisterChildPayload {
  @Field(() => ChildType, { nullable: true, description: 'The new record, with your agency involved.' })
  child!: ChildType | null;
  @Field(() => InvolvementRequestType, {
    nullable: true,
    description: 'The child is known: nothing opens until a lead of an involved agency accepts this request.',
  })
  involvementRequest!: InvolvementRequestType | null;
  @Field(() => [ChildMatchType], {
    description:
      'Likely the same child: nothing was created. Ask for involvement, or register again with confirmedNewChild.',
  })
  possibleMatches!: ChildMatchType[];
}
