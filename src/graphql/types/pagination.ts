import type { PipeTransform } from '@nestjs/common';
import { Args, Field, Int, ObjectType } from '@nestjs/graphql';
import { BadUserInputError } from '../../common/errors';

/** Relay-style page information shared by every connection (keyset pagination: `after` is `endCursor`). */
@ObjectType('PageInfo')
export class PageInfo {
  @Field() hasNextPage!: boolean;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

/**
 * The most items one page of any connection holds, as in GitHub's API: more is read page by page with `after`,
 * so neither an answer nor the estimate of its cost (query-cost.ts) grows beyond it.
 */
export const MAX_PAGE_SIZE = 100;

/** An explicit `first: null` means the default, as leaving `first` out does. */
class PageSizePipe implements PipeTransform<number | null | undefined, number> {
  constructor(private readonly defaultSize: number) {}

  transform(first: number | null | undefined): number {
    const size = first ?? this.defaultSize;
    if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
      throw new BadUserInputError(`first must be from 1 to ${MAX_PAGE_SIZE}`, 'first');
    }
    return size;
  }
}

/**
 * The `first` argument of every connection field: its default and maximum are in the schema, and a page size
 * out of range is BAD_USER_INPUT naming `first` before the resolver runs.
 */
export function PageSize(defaultSize: number): ParameterDecorator {
  return Args(
    'first',
    {
      type: () => Int,
      nullable: true,
      defaultValue: defaultSize,
      description: `How many to return: at least 1, at most ${MAX_PAGE_SIZE}.`,
    },
    new PageSizePipe(defaultSize),
  );
}
