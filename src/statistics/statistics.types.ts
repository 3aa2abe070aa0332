import { Field, Int, ObjectType } from '@nestjs/graphql';
import { DateScalar } from '../graphql/types/scalars';

@ObjectType('CountCell')
export class CountCellType {
  @Field() key!: string;
  @Field(() => Int, {
    nullable: true,
    description: 'Rounded to the nearest 5; null when suppressed (from 1 to 4, or the complement of such a cell).',
  })
  count!: number | null;
  @Field() suppressed!: boolean;
}

@ObjectType('ExploitationStatistics', {
  description:
    'Counts of concerns (each once, as corrected) that happened in the range, under disclosure control: counts ' +
    'from 1 to 4 are suppressed, and the next smallest cell beside a lone suppressed one; every published count ' +
    'is rounded to the nearest 5, so cells need not add up to the total. Never a record, never a child.',
})
export class ExploitationStatisticsType {
  @Field(() => DateScalar) from!: string;
  @Field(() => DateScalar) to!: string;
  @Field(() => Int, { nullable: true, description: 'Rounded to the nearest 5; null when from 1 to 4.' })
  concerns!: number | null;
  @Field(() => [CountCellType], { description: 'One cell per ConcernCategory.' }) byCategory!: CountCellType[];
  @Field(() => [CountCellType], { description: 'One cell per RecruitmentSetting.' })
  byRecruitmentSetting!: CountCellType[];
  @Field(() => [CountCellType], { description: 'One cell per AgencyKind of the recording agency.' })
  byAgencyKind!: CountCellType[];
}
