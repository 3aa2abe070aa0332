import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Sensitivity } from '../common/enums/chronology';
import { LawfulBasis } from '../common/enums/sharing';

@ObjectType('AccessGrant')
export class AccessGrantType {
  @Field(() => ID) id!: string;
  /** child, granteeAgency, grantingAgency and grantedBy are resolved by field resolvers. */
  childId!: string;
  granteeAgencyId!: string;
  grantingAgencyId!: string;
  grantedById!: string;
  @Field(() => [Sensitivity]) tiers!: Sensitivity[];
  @Field(() => LawfulBasis) lawfulBasis!: LawfulBasis;
  @Field() purpose!: string;
  @Field(() => Date) grantedAt!: Date;
  @Field(() => Date) expiresAt!: Date;
  @Field(() => Date, { nullable: true }) revokedAt!: Date | null;
  @Field({
    description:
      'Whether the grant opens the record now: not revoked, not expired, and the sharing agency still involved.',
  })
  active!: boolean;
}

@ObjectType('AccessRefusal', { description: 'A recorded decision not to share a child’s record, and why.' })
export class AccessRefusalType {
  @Field(() => ID) id!: string;
  childId!: string;
  requestingAgencyId!: string;
  decidingAgencyId!: string;
  decidedById!: string;
  @Field() reason!: string;
  @Field(() => Date) decidedAt!: Date;
}

@ObjectType('BreakGlassAccess')
export class BreakGlassAccessType {
  @Field(() => ID) id!: string;
  @Field(() => ID, {
    description: 'The child opened. Reviewers who may not read the record (an agency admin) ask for this, not child.',
  })
  childId!: string;
  userId!: string;
  @Field() reason!: string;
  @Field(() => Date) startedAt!: Date;
  @Field(() => Date) expiresAt!: Date;
  @Field(() => Date, {
    nullable: true,
    description: 'When your agency reviewed it: each agency whose record was opened reviews it on its own.',
  })
  reviewedAt!: Date | null;
  @Field(() => String, { nullable: true, description: 'Your agency’s review outcome.' })
  reviewOutcome!: string | null;
  @Field({
    description: 'The same person broke glass on this child again while an earlier use of theirs awaited review.',
  })
  repeatWhileUnreviewed!: boolean;
}
