import { Injectable } from '@nestjs/common';
import type { Scope } from '../access/scope';
import { requireToReadStatistics } from '../access/statistics.rules';
import { AuditLog } from '../audit/log/audit-log.service';
import { AgencyKind } from '../common/enums/agencies';
import { ConcernCategory, RecruitmentSetting } from '../common/enums/chronology';
import { BadUserInputError } from '../common/errors';
import { protectedBreakdown, protectedTotal, type ProtectedCell } from './disclosure-control';
import { StatisticsRepository } from './statistics.repository';

/** The longest name an agency's local authority may have (agency_local_authority_check). */
const MAX_LOCAL_AUTHORITY = 200;

export interface ExploitationStatistics {
  from: string;
  to: string;
  concerns: number | null;
  byCategory: ProtectedCell[];
  byRecruitmentSetting: ProtectedCell[];
  byAgencyKind: ProtectedCell[];
}

/**
 * Anonymised statistics for policy (DESIGN §1): counts of concerns by category, recruitment setting and the kind
 * of agency that recorded them, under the disclosure control of disclosure-control.ts, for analysts only. What is
 * counted is in StatisticsRepository. Every query is audited with what was asked, though it reads no child.
 */
@Injectable()
export class StatisticsService {
  constructor(
    private readonly audit: AuditLog,
    private readonly repository: StatisticsRepository,
  ) {}

  async exploitationStatistics(
    ctx: Scope,
    range: { from: string; to: string; localAuthority?: string | null },
  ): Promise<ExploitationStatistics> {
    requireToReadStatistics(ctx);
    if (range.to < range.from) throw new BadUserInputError('to cannot be before from', 'to');
    const localAuthority = range.localAuthority?.trim() || null;
    if (localAuthority && [...localAuthority].length > MAX_LOCAL_AUTHORITY) {
      throw new BadUserInputError(`localAuthority must be at most ${MAX_LOCAL_AUTHORITY} characters`, 'localAuthority');
    }
    const counts = await this.repository.counts(await ctx.manager(), {
      from: range.from,
      to: range.to,
      localAuthority,
    });
    this.audit.record(ctx, {
      action: 'exploitationStatistics',
      subjectType: 'ExploitationStatistics',
      subjectId: `${range.from}..${range.to}`,
      purpose: localAuthority ? `local authority: ${localAuthority}` : 'every local authority',
    });
    return {
      from: range.from,
      to: range.to,
      concerns: protectedTotal(counts.total),
      byCategory: protectedBreakdown(Object.values(ConcernCategory), counts.byCategory),
      byRecruitmentSetting: protectedBreakdown(Object.values(RecruitmentSetting), counts.byRecruitmentSetting),
      byAgencyKind: protectedBreakdown(Object.values(AgencyKind), counts.byAgencyKind),
    };
  }
}
