import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { AccessRoute, ChildAccess } from '../access/child-access';
import { PageInfo } from '../graphql/types/pagination';
import { DateScalar } from '../graphql/types/scalars';
import { ChildFlag, IdentifierScheme, InvolvementBasis } from '../common/enums/children';

@ObjectType('ChildIdentifier')
export class ChildIdentifierType {
  @Field(() => IdentifierScheme) scheme!: IdentifierScheme;
  @Field() value!: string;
}

@ObjectType('Involvement')
export class InvolvementType {
  @Field(() => ID) id!: string;
  /** Resolved through the agency loader. */
  agencyId!: string;
  childId!: string;
  @Field(() => InvolvementBasis) basis!: InvolvementBasis;
  @Field(() => DateScalar) since!: string;
  @Field(() => DateScalar, { nullable: true }) until!: string | null;
}

/**
 * A child record as one viewer sees it: fields the viewer's route does not open are already null here (address),
 * and the relations (identifiers, involvements, concerns, current risk) are resolved through loaders that apply
 * the same access scope.
 */
@ObjectType('Child')
export class ChildType {
  @Field(() => ID) id!: string;
  @Field() givenName!: string;
  @Field() familyName!: string;
  @Field(() => [String]) aliases!: string[];
  @Field(() => DateScalar, { nullable: true }) dateOfBirth!: string | null;
  @Field(() => String, { nullable: true }) gender!: string | null;
  @Field(() => String, { nullable: true, description: 'Null unless the viewer is involved or has broken glass.' })
  address!: string | null;
  @Field(() => AccessRoute, { description: 'How the viewer reaches this record.' })
  accessRoute!: AccessRoute;
  @Field(() => [ChildFlag]) flags!: ChildFlag[];
  @Field(() => Int, { description: 'Send it back with updateChild: a change made meanwhile is a CONFLICT.' })
  version!: number;
  /** The viewer's route, tiers and whether the full record is open: for the field resolvers. */
  access!: ChildAccess;
}

@ObjectType('ChildEdge')
export class ChildEdge {
  @Field() cursor!: string;
  @Field(() => ChildType) node!: ChildType;
}

@ObjectType('ChildConnection')
export class ChildConnection {
  @Field(() => [ChildEdge]) edges!: ChildEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

/**
 * What a search for an existing record may disclose to an agency that does not reach the child (DESIGN §4):
 * enough to recognise the child and ask for access, not to read the record.
 */
@ObjectType('ChildMatch')
export class ChildMatchType {
  @Field(() => ID) childId!: string;
  @Field(() => Float, { description: 'From 0 to 1: how strongly the record matches what was searched for.' })
  score!: number;
  @Field(() => [String], {
    description:
      'What matched: identifier:<SCHEME>, givenName, familyName, namesSwapped, alias, dateOfBirth, birthYear.',
  })
  matchedOn!: string[];
  @Field() initials!: string;
  @Field(() => Int, { nullable: true }) birthYear!: number | null;
  /** Only the agencies whose involvement the searcher may learn of; resolved through the agency loader. */
  involvedAgencyIds!: string[];
}
