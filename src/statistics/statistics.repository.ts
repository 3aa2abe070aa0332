import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** What is counted: concerns whose current version happened in the range, recorded by an agency of the area. */
export interface StatisticsQuery {
  from: string;
  to: string;
  localAuthority: string | null;
}

/** The true counts, before disclosure control: one per group, and the total. */
export interface TrueCounts {
  total: number;
  byCategory: Map<string, number>;
  byRecruitmentSetting: Map<string, number>;
  byAgencyKind: Map<string, number>;
}

interface GroupRow {
  breakdown: 'category' | 'recruitmentSetting' | 'agencyKind' | 'total';
  key: string | null;
  count: number;
}

/**
 * Counts concerns, never returns one. A concern is counted once, as its current version: an amendment is a new
 * concern that corrects another (DESIGN §2), so counting every row would count a corrected concern twice and keep
 * the category it was corrected from. The versions of one concern are a tree (several amendments may correct the
 * same entry): its current version is the newest one recorded, and every attribute counted (when it happened, its
 * category, setting and the agency that recorded it) is that version's.
 *
 * The range is of calendar days in England, on `occurred_at`: statistics describe when exploitation happened, not
 * when someone typed it in (a late entry belongs to the month it describes). The area is the local authority of
 * the agency that recorded the concern: the platform holds no address-based area for a child, and where an agency
 * saw the child is where the harm was seen.
 */
const COUNTS = `
  WITH RECURSIVE candidate AS (
    SELECT c.id, c.amends_concern_id, c.recorded_at, c.category, c.recruitment_setting, c.agency_id
      FROM concern c
     WHERE c.occurred_at >= ($1::date::timestamp AT TIME ZONE 'Europe/London')
       AND c.occurred_at < (($2::date + 1)::timestamp AT TIME ZONE 'Europe/London')),
  up (candidate_id, id, amends_concern_id) AS (
    SELECT k.id, k.id, k.amends_concern_id FROM candidate k
    UNION ALL
    SELECT up.candidate_id, p.id, p.amends_concern_id FROM up JOIN concern p ON p.id = up.amends_concern_id),
  tree (candidate_id, id) AS (
    SELECT up.candidate_id, up.id FROM up WHERE up.amends_concern_id IS NULL
    UNION ALL
    SELECT t.candidate_id, v.id FROM tree t JOIN concern v ON v.amends_concern_id = t.id),
  current_version AS (
    SELECT k.* FROM candidate k
     WHERE NOT EXISTS (SELECT 1 FROM tree t JOIN concern v ON v.id = t.id
                        WHERE t.candidate_id = k.id AND (v.recorded_at, v.id) > (k.recorded_at, k.id)))
  SELECT CASE WHEN GROUPING(k.category) = 0 THEN 'category'
              WHEN GROUPING(k.recruitment_setting) = 0 THEN 'recruitmentSetting'
              WHEN GROUPING(g.kind) = 0 THEN 'agencyKind'
              ELSE 'total' END AS breakdown,
         COALESCE(k.category, k.recruitment_setting, g.kind) AS key,
         count(*)::int AS count
    FROM current_version k
    JOIN agency g ON g.id = k.agency_id
   WHERE $3::text IS NULL OR lower(g.local_authority) = lower($3::text)
   GROUP BY GROUPING SETS ((k.category), (k.recruitment_setting), (g.kind), ())`;

@Injectable()
export class StatisticsRepository {
  async counts(manager: EntityManager, query: StatisticsQuery): Promise<TrueCounts> {
    const rows: GroupRow[] = await manager.query(COUNTS, [query.from, query.to, query.localAuthority]);
    const counts: TrueCounts = {
      total: 0,
      byCategory: new Map(),
      byRecruitmentSetting: new Map(),
      byAgencyKind: new Map(),
    };
    const breakdowns = {
      category: counts.byCategory,
      recruitmentSetting: counts.byRecruitmentSetting,
      agencyKind: counts.byAgencyKind,
    };
    for (const row of rows) {
      if (row.breakdown === 'total') counts.total = row.count;
      else if (row.key !== null) breakdowns[row.breakdown].set(row.key, row.count);
    }
    return counts;
  }
}
