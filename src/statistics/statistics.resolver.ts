import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import { CheckPolicy } from '../../libs/authz/src';
import type { Scope } from '../access/scope';
import { DateScalar } from '../graphql/types/scalars';
import { StatisticsService } from './statistics.service';
import { ExploitationStatisticsType } from './statistics.types';

@Resolver(() => ExploitationStatisticsType)
export class StatisticsResolver {
  constructor(private readonly statistics: StatisticsService) {}

  @Query(() => ExploitationStatisticsType, {
    description:
      'Concerns that happened from `from` to `to` (calendar days in England, both included), recorded by agencies ' +
      'of `localAuthority` (every one when omitted). Analysts only.',
  })
  @CheckPolicy('read', 'ExploitationStatistics')
  exploitationStatistics(
    @Context() ctx: Scope,
    @Args('from', { type: () => DateScalar }) from: string,
    @Args('to', { type: () => DateScalar }) to: string,
    @Args('localAuthority', { type: () => String, nullable: true }) localAuthority?: string | null,
  ): Promise<ExploitationStatisticsType> {
    return this.statistics.exploitationStatistics(ctx, { from, to, localAuthority });
  }
}
