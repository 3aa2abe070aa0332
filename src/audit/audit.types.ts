import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { AccessRoute } from '../access/child-access';
import { AgencyType, UserType } from '../agencies/agencies.types';
import { PageInfo } from '../graphql/types/pagination';

@ObjectType('AuditEvent')
export class AuditEventType {
  @Field(() => ID) seq!: string;
  @Field(() => Date) at!: Date;
  @Field(() => UserType, { nullable: true }) user!: UserType | null;
  @Field(() => AgencyType, { nullable: true, description: 'The agency the person acted for.' })
  agency!: AgencyType | null;
  @Field() action!: string;
  @Field() subjectType!: string;
  @Field(() => ID, { nullable: true }) subjectId!: string | null;
  @Field(() => ID, { nullable: true }) childId!: string | null;
  @Field(() => AccessRoute, { nullable: true, description: 'How the person reached the child.' })
  route!: AccessRoute | null;
  @Field({ description: 'Done under break-glass, and so flagged for review.' }) breakGlass!: boolean;
  @Field(() => String, {
    nullable: true,
    description: 'The code an attempt was refused with (FORBIDDEN, CONFLICT, ...); null when it was done.',
  })
  outcome!: string | null;
  @Field({ description: 'The event hash in the chain, hex.' }) hash!: string;
}

@ObjectType('AuditEventEdge')
export class AuditEventEdge {
  @Field() cursor!: string;
  @Field(() => AuditEventType) node!: AuditEventType;
}

@ObjectType('AuditEventConnection')
export class AuditEventConnection {
  @Field(() => [AuditEventEdge]) edges!: AuditEventEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

@ObjectType('AuditVerification')
export class AuditVerification {
  @Field() valid!: boolean;
  @Field(() => Int) eventsChecked!: number;
  @Field(() => ID, {
    nullable: true,
    description: 'The first event found altered, reordered or inserted; for a removed event, its sequence number.',
  })
  firstInvalidSeq!: string | null;
  @Field(() => [ID], {
    description: 'Every event found altered, reordered or inserted, and every removed one, in sequence order.',
  })
  invalidSeqs!: string[];
  @Field(() => ID, { nullable: true, description: 'The newest event.' }) headSeq!: string | null;
  @Field(() => String, {
    nullable: true,
    description:
      'A digest of the newest event of each chain lane. A chain cannot show that its newest events were ' +
      'removed: record this value outside the database from time to time and compare.',
  })
  headHash!: string | null;
}
