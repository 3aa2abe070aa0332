import { Field, ObjectType } from '@nestjs/graphql';

/** Relay-style page information shared by every connection (keyset pagination: `after` is `endCursor`). */
@ObjectType('PageInfo')
export class PageInfo {
  @Field() hasNextPage!: boolean;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}
