import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ChildAccessScope } from '../access/child-access';
import { concernVisible, riskAssessmentVisible } from '../access/chronology.visibility';
import type { Scope } from '../access/scope';
import type { ConcernCategory, RecruitmentSetting, RiskLevel, Sensitivity } from '../common/enums/chronology';
import { ConcernPosition, cursorInstantSql } from './concern-cursor';

/** A chronology entry as stored. */
export interface ConcernRow {
  id: string;
  childId: string;
  agencyId: string;
  recordedBy: string;
  occurredAt: Date;
  recordedAt: Date;
  category: ConcernCategory;
  indicators: string[];
  recruitmentSetting: RecruitmentSetting;
  riskLevel: RiskLevel;
  sensitivity: Sensitivity;
  narrative: string;
  amendsConcernId: string | null;
}

export type NewConcern = Omit<ConcernRow, 'id' | 'recordedAt'>;

export interface RiskAssessmentRow {
  id: string;
  childId: string;
  agencyId: string;
  assessedBy: string;
  assessedAt: Date;
  level: RiskLevel;
  exploitationTypes: ConcernCategory[];
  rationale: string;
  sensitivity: Sensitivity;
}

export type NewRiskAssessment = Omit<RiskAssessmentRow, 'id' | 'assessedAt'>;

/** A page of one child's chronology: up to `take` entries before `after` (from the newest without one). */
export interface PageRequest {
  childId: string;
  take: number;
  after: ConcernPosition | null;
}

/** An entry of a page, with its position as the cursor keeps it (microseconds). */
export interface PagedConcern extends ConcernRow {
  cursorAt: string;
}

/**
 * When an entry is written: the moment of the INSERT, not the column default now(), which is the start of the
 * transaction. Several mutations in one request share a transaction; with now() their entries would tie, and the
 * current risk or the order of amendments would fall to the random id instead of the order they were made in.
 */
const WRITTEN_AT = 'clock_timestamp()';

const CONCERN_COLUMNS = `c.id, c.child_id AS "childId", c.agency_id AS "agencyId", c.recorded_by AS "recordedBy",
  c.occurred_at AS "occurredAt", c.recorded_at AS "recordedAt", c.category, c.indicators,
  c.recruitment_setting AS "recruitmentSetting", c.risk_level AS "riskLevel", c.sensitivity, c.narrative,
  c.amends_concern_id AS "amendsConcernId"`;

const RISK_COLUMNS = `r.id, r.child_id AS "childId", r.agency_id AS "agencyId", r.assessed_by AS "assessedBy",
  r.assessed_at AS "assessedAt", r.level, r.exploitation_types AS "exploitationTypes", r.rationale, r.sensitivity`;

/**
 * The SQL of the chronology and risk assessments. Every read joins the viewer's child-access scope and the
 * visibility conditions of src/access/chronology.visibility.ts, so an entry the viewer may not see never leaves
 * the database. Reads take the Scope (whose actor they are for), writes the EntityManager they run in.
 */
@Injectable()
export class ChronologyRepository {
  async insertConcern(manager: EntityManager, concern: NewConcern): Promise<ConcernRow> {
    const [row]: ConcernRow[] = await manager.query(
      `INSERT INTO concern AS c (child_id, agency_id, recorded_by, occurred_at, category, indicators,
                                 recruitment_setting, risk_level, sensitivity, narrative, amends_concern_id,
                                 recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, ${WRITTEN_AT})
       RETURNING ${CONCERN_COLUMNS}`,
      [
        concern.childId,
        concern.agencyId,
        concern.recordedBy,
        concern.occurredAt,
        concern.category,
        concern.indicators,
        concern.recruitmentSetting,
        concern.riskLevel,
        concern.sensitivity,
        concern.narrative,
        concern.amendsConcernId,
      ],
    );
    return row;
  }

  async insertRiskAssessment(manager: EntityManager, assessment: NewRiskAssessment): Promise<RiskAssessmentRow> {
    const [row]: RiskAssessmentRow[] = await manager.query(
      `INSERT INTO risk_assessment AS r (child_id, agency_id, assessed_by, level, exploitation_types, rationale,
                                         sensitivity, assessed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, ${WRITTEN_AT})
       RETURNING ${RISK_COLUMNS}`,
      [
        assessment.childId,
        assessment.agencyId,
        assessment.assessedBy,
        assessment.level,
        assessment.exploitationTypes,
        assessment.rationale,
        assessment.sensitivity,
      ],
    );
    return row;
  }

  /** The child a concern is about, whether or not the viewer may see it; null when there is no such concern. */
  async childOfConcern(manager: EntityManager, concernId: string): Promise<string | null> {
    const [found]: Array<{ child_id: string }> = await manager.query(`SELECT child_id FROM concern WHERE id = $1`, [
      concernId,
    ]);
    return found?.child_id ?? null;
  }

  /**
   * The visible entries of each requested page, newest first, with `ord`, the 1-based position of its request.
   * One LATERAL index scan per page, each stopping after `take` rows. Without a cursor the bound is +infinity, so
   * the same (child_id, occurred_at, id) range scan serves the first and later pages.
   */
  async pages(ctx: Scope, requests: readonly PageRequest[]): Promise<Array<PagedConcern & { ord: string }>> {
    const scope = await ChildAccessScope.forRequest(
      ctx,
      requests.map((page) => page.childId),
    );
    const values: unknown[] = [
      requests.map((page) => page.childId),
      requests.map((page) => page.take),
      requests.map((page) => page.after?.occurredAt ?? null),
      requests.map((page) => page.after?.id ?? null),
    ];
    const access = scope.toPositional(values);
    const visible = concernVisible(scope, 'c', 'a', values);
    return (await ctx.manager()).query(
      `SELECT k.ord, c.*
         FROM unnest($1::uuid[], $2::int[], $3::timestamptz[], $4::uuid[])
              WITH ORDINALITY AS k(child_id, take, after_at, after_id, ord)
         JOIN (${access}) a ON a.child_id = k.child_id
        CROSS JOIN LATERAL (
              SELECT ${CONCERN_COLUMNS}, ${cursorInstantSql('c.occurred_at')} AS "cursorAt"
                FROM concern c
               WHERE c.child_id = k.child_id AND ${visible}
                 AND (c.occurred_at, c.id) < (COALESCE(k.after_at, 'infinity'::timestamptz),
                                              COALESCE(k.after_id, '00000000-0000-0000-0000-000000000000'::uuid))
               ORDER BY c.occurred_at DESC, c.id DESC
               LIMIT k.take) c
        ORDER BY k.ord, c."occurredAt" DESC, c.id DESC`,
      values,
    );
  }

  /** The newest visible risk assessment of each child that has one. */
  async currentRisks(ctx: Scope, childIds: readonly string[]): Promise<RiskAssessmentRow[]> {
    const scope = await ChildAccessScope.forRequest(ctx, childIds);
    const values: unknown[] = [childIds];
    const access = scope.toPositional(values);
    const visible = riskAssessmentVisible(scope, 'r', 'a', values);
    return (await ctx.manager()).query(
      `SELECT r.*
         FROM unnest($1::uuid[]) AS k(child_id)
         JOIN (${access}) a ON a.child_id = k.child_id
        CROSS JOIN LATERAL (
              SELECT ${RISK_COLUMNS}
                FROM risk_assessment r
               WHERE r.child_id = k.child_id AND ${visible}
               ORDER BY r.assessed_at DESC, r.id DESC
               LIMIT 1) r`,
      values,
    );
  }

  /**
   * The category and indicators of each visible concern of these children that no visible amendment corrects:
   * the chronology as the viewer reads it, as corrected.
   */
  async currentCodes(
    ctx: Scope,
    childIds: readonly string[],
  ): Promise<Array<{ childId: string; category: ConcernCategory; indicators: string[] }>> {
    const scope = await ChildAccessScope.forRequest(ctx, childIds);
    const values: unknown[] = [childIds];
    const access = scope.toPositional(values);
    const visible = concernVisible(scope, 'c', 'a', values);
    const amendmentVisible = concernVisible(scope, 'm', 'a', values);
    return (await ctx.manager()).query(
      `SELECT c.child_id AS "childId", c.category, c.indicators
         FROM concern c
         JOIN (${access}) a ON a.child_id = c.child_id
        WHERE c.child_id = ANY($1::uuid[]) AND ${visible}
          AND NOT EXISTS (SELECT 1 FROM concern m WHERE m.amends_concern_id = c.id AND ${amendmentVisible})`,
      values,
    );
  }

  /** The visible concerns with these ids on these children. */
  concernsById(ctx: Scope, childIds: readonly string[], ids: readonly string[]): Promise<ConcernRow[]> {
    return this.visibleConcernsWhere(ctx, childIds, ids, 'c.id = ANY($1::uuid[])', 'c.id');
  }

  /** The visible concerns on these children that amend one of `originalIds`, oldest first. */
  amendmentsOf(ctx: Scope, childIds: readonly string[], originalIds: readonly string[]): Promise<ConcernRow[]> {
    return this.visibleConcernsWhere(
      ctx,
      childIds,
      originalIds,
      'c.amends_concern_id = ANY($1::uuid[])',
      'c.recorded_at, c.id',
    );
  }

  /** Concerns matching `condition` (over `$1`, the ids) that the viewer may see, on the given children. */
  private async visibleConcernsWhere(
    ctx: Scope,
    childIds: readonly string[],
    ids: readonly string[],
    condition: string,
    orderBy: string,
  ): Promise<ConcernRow[]> {
    const scope = await ChildAccessScope.forRequest(ctx, childIds);
    const values: unknown[] = [ids];
    const access = scope.toPositional(values);
    const visible = concernVisible(scope, 'c', 'a', values);
    return (await ctx.manager()).query(
      `SELECT ${CONCERN_COLUMNS}
         FROM concern c
         JOIN (${access}) a ON a.child_id = c.child_id
        WHERE ${condition} AND ${visible}
        ORDER BY ${orderBy}`,
      values,
    );
  }
}
