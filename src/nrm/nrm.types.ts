import { Field, ID, ObjectType } from '@nestjs/graphql';
import { ConcernCategory } from '../common/enums/chronology';
import { NrmDecision } from '../common/enums/nrm';
import { DateScalar } from '../graphql/types/scalars';

@ObjectType('NrmReferral', {
  description: 'A referral of the child to the National Referral Mechanism, and the decisions made on it.',
})
export class NrmReferralType {
  @Field(() => ID) id!: string;
  /** child, referringAgency and referredBy are resolved by field resolvers. */
  childId!: string;
  referringAgencyId!: string;
  referredById!: string;
  @Field(() => DateScalar) referredOn!: string;
  @Field(() => [ConcernCategory]) exploitationTypes!: ConcernCategory[];
  @Field(() => NrmDecision) reasonableGrounds!: NrmDecision;
  @Field(() => DateScalar, { nullable: true }) reasonableGroundsOn!: string | null;
  @Field(() => NrmDecision, { description: 'Decided only after a positive Reasonable Grounds decision.' })
  conclusiveGrounds!: NrmDecision;
  @Field(() => DateScalar, { nullable: true }) conclusiveGroundsOn!: string | null;
}
