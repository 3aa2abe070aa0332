import { LoaderKey } from '../common/loaders';
import { Injectable } from '@nestjs/common';
import { AuditLog } from '../audit/audit-log.service';
import { AccessRoute, ChildAccessScope, loadChildAccess } from '../access/child-access';
import { BadUserInputError, ForbiddenError, NotFoundError } from '../common/errors';
import type { Scope } from '../access/scope';
import { Sensitivity } from './chronology.enums';
import type { RecordConcernInput, RecordRiskAssessmentInput } from './chronology.inputs';
import type { ConcernConnection, ConcernType, RiskAssessmentType } from './chronology.types';
import { cursorInstantSql, decodeConcernCursor, encodeConcernCursor } from './concern-cursor';
import { isIndicatorCode } from './indicators';

const CONCERN_PAGE = new LoaderKey<PageKey, ConcernConnection, string>("a page of a child's chronology");
const CURRENT_RISK = new LoaderKey<string, RiskAssessmentType | null>("a child's current risk");
const CONCERN_BY_ID = new LoaderKey<ConcernRef, ConcernType | null, string>('a concern by id');
const AMENDMENTS = new LoaderKey<ConcernRef, ConcernType[], string>('the amendments of a concern');

/** A page of a child's chronology: newest first. */
export interface ConcernPage {
  first: number;
  after: string | null;
}

export const DEFAULT_CONCERN_PAGE = 20;

/**
 * A device clock running a little fast is not a report from the future; anything beyond this is a typing error
 * (a wrong year or month) that would put the entry at the top of the chronology for good.
 */
const CLOCK_SKEW_MS = 60_000;
/**
 * No child with a record was born before this, so an earlier date is a mistyped year (1026 for 2026), which would
 * sink the entry to the bottom of an append-only chronology for good.
 */
const EARLIEST_OCCURRED_AT = Date.parse('1900-01-01T00:00:00Z');

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

/** What recording on a child needs from its access: the acting agency and the route, for the audit. */
interface RecordingAccess {
  agencyId: string;
  route: AccessRoute;
}

/** A concern by id, with the child it is about. */
interface ConcernRef {
  childId: string;
  id: string;
}

const concernRefKey = (ref: ConcernRef) => `${ref.childId}|${ref.id}`;

interface PageKey {
  childId: string;
  first: number;
  after: string | null;
}

/**
 * The chronology and risk assessments of a child (DESIGN §2, §4). Every read joins the child-access scope, so a
 * concern is returned only when the viewer reaches its child and may see its tier (src/access/chronology.rules.ts);
 * an invisible one is indistinguishable from one that does not exist.
 */
@Injectable()
export class ChronologyService {
  constructor(private readonly audit: AuditLog) {}

  async recordConcern(ctx: Scope, input: RecordConcernInput): Promise<ConcernType> {
    const { actor } = ctx.signedIn;
    input.indicators.forEach((code, index) => {
      const field = `input.indicators[${index}]`;
      if (!isIndicatorCode(code)) throw new BadUserInputError(`"${code.slice(0, 60)}" is not a known indicator`, field);
      if (input.indicators.indexOf(code) !== index) throw new BadUserInputError(`${code} is listed twice`, field);
    });
    if (input.occurredAt.getTime() > Date.now() + CLOCK_SKEW_MS) {
      throw new BadUserInputError('occurredAt cannot be in the future', 'input.occurredAt');
    }
    if (input.occurredAt.getTime() < EARLIEST_OCCURRED_AT) {
      throw new BadUserInputError('occurredAt cannot be before 1900', 'input.occurredAt');
    }
    const { agencyId, route } = await this.assertMayRecord(ctx, input.childId);
    if (input.amendsConcernId) await this.assertAmendable(ctx, input.childId, input.amendsConcernId);
    const manager = await ctx.manager();
    const [row]: ConcernType[] = await manager.query(
      `INSERT INTO concern AS c (child_id, agency_id, recorded_by, occurred_at, category, indicators,
                                 recruitment_setting, risk_level, sensitivity, narrative, amends_concern_id,
                                 recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, ${WRITTEN_AT})
       RETURNING ${CONCERN_COLUMNS}`,
      [
        input.childId,
        agencyId,
        actor.userId,
        input.occurredAt,
        input.category,
        input.indicators,
        input.recruitmentSetting,
        input.riskLevel,
        input.sensitivity,
        input.narrative,
        input.amendsConcernId ?? null,
      ],
    );
    this.recordChange(ctx, 'recordConcern', { type: 'Concern', id: row.id, childId: input.childId }, route);
    return row;
  }

  async recordRiskAssessment(ctx: Scope, input: RecordRiskAssessmentInput): Promise<RiskAssessmentType> {
    const { actor } = ctx.signedIn;
    input.exploitationTypes.forEach((type, index) => {
      if (input.exploitationTypes.indexOf(type) !== index) {
        throw new BadUserInputError(`${type} is listed twice`, `input.exploitationTypes[${index}]`);
      }
    });
    const { agencyId, route } = await this.assertMayRecord(ctx, input.childId);
    const manager = await ctx.manager();
    const [row]: RiskAssessmentType[] = await manager.query(
      `INSERT INTO risk_assessment AS r (child_id, agency_id, assessed_by, level, exploitation_types, rationale,
                                         sensitivity, assessed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, ${WRITTEN_AT})
       RETURNING ${RISK_COLUMNS}`,
      [
        input.childId,
        agencyId,
        actor.userId,
        input.level,
        input.exploitationTypes,
        input.rationale,
        input.sensitivity ?? Sensitivity.STANDARD,
      ],
    );
    this.recordChange(
      ctx,
      'recordRiskAssessment',
      { type: 'RiskAssessment', id: row.id, childId: input.childId },
      route,
    );
    return row;
  }

  /** One page of the child's chronology; the pages of every child in the response are read in one statement. */
  concernsOf(ctx: Scope, childId: string, page: ConcernPage): Promise<ConcernConnection> {
    if (page.after !== null) decodeConcernCursor(page.after);
    return ctx.loaders
      .get(CONCERN_PAGE, (keys) => this.pages(ctx, keys), {
        cacheKeyFn: (key) => `${key.childId}|${key.first}|${key.after ?? ''}`,
      })
      .load({ childId, ...page });
  }

  /** The newest risk assessment of the child that the viewer may see, or null. */
  currentRiskOf(ctx: Scope, childId: string): Promise<RiskAssessmentType | null> {
    return ctx.loaders.get(CURRENT_RISK, (ids) => this.currentRisks(ctx, ids)).load(childId);
  }

  /**
   * A concern of the given child that the viewer may see, or null: an invisible one is as absent as one that
   * never existed. The child is known wherever a concern is reached (an amendment is of the same child, which the
   * database enforces), and it keeps the access check to that child's routes.
   */
  concern(ctx: Scope, childId: string, id: string): Promise<ConcernType | null> {
    return ctx.loaders
      .get(CONCERN_BY_ID, (refs) => this.concernsById(ctx, refs), { cacheKeyFn: concernRefKey })
      .load({ childId, id });
  }

  /** The visible concerns that amend this one, oldest first: the order in which the record was corrected. */
  amendmentsOf(ctx: Scope, childId: string, concernId: string): Promise<ConcernType[]> {
    return ctx.loaders
      .get(AMENDMENTS, (refs) => this.amendments(ctx, refs), { cacheKeyFn: concernRefKey })
      .load({ childId, id: concernId });
  }

  /**
   * An amendment corrects a concern the actor can see on the same child. One they cannot see is NOT_FOUND, as if
   * it did not exist; one they can see on another child is a mistake in the input.
   */
  private async assertAmendable(ctx: Scope, childId: string, concernId: string): Promise<void> {
    const manager = await ctx.manager();
    const [found]: Array<{ child_id: string }> = await manager.query(`SELECT child_id FROM concern WHERE id = $1`, [
      concernId,
    ]);
    const original = found ? await this.concern(ctx, found.child_id, concernId) : null;
    if (!original) throw new NotFoundError('Concern', concernId);
    if (original.childId !== childId) {
      throw new BadUserInputError(
        'An amendment must be about the same child as the concern it amends',
        'input.amendsConcernId',
      );
    }
  }

  /**
   * Recording adds to a child's record, which only an agency working with the child does, or a professional with
   * break-glass access (reviewed afterwards). A child the actor does not reach at all is NOT_FOUND; one they may
   * read through a grant or a conference, but not write to, is FORBIDDEN.
   */
  private async assertMayRecord(ctx: Scope, childId: string): Promise<RecordingAccess> {
    const { actor } = ctx.signedIn;
    const access = await loadChildAccess(ctx, childId);
    if (!access || !actor.membership) throw new NotFoundError('Child', childId);
    if (!access.fullRecord) {
      throw new ForbiddenError(
        `Your agency reaches this child through ${access.route}, which is for reading what was shared: ` +
          'recording needs an involvement with the child (or break-glass access)',
      );
    }
    return { agencyId: actor.membership.agencyId, route: access.route };
  }

  /** Every addition to a child's record is audited with the route it came through; break-glass ones are flagged. */
  private recordChange(
    ctx: Scope,
    action: string,
    subject: { type: string; id: string; childId: string },
    route: AccessRoute,
  ): void {
    this.audit.record(ctx, {
      action,
      subjectType: subject.type,
      subjectId: subject.id,
      childId: subject.childId,
      route,
      breakGlass: route === AccessRoute.BREAK_GLASS,
    });
  }

  private async pages(ctx: Scope, keys: readonly PageKey[]): Promise<ConcernConnection[]> {
    const positions = keys.map((key) => (key.after === null ? null : decodeConcernCursor(key.after)));
    const scope = ChildAccessScope.for(ctx.actor, { childIds: [...new Set(keys.map((key) => key.childId))] });
    const values: unknown[] = [
      keys.map((key) => key.childId),
      keys.map((key) => key.first + 1),
      positions.map((position) => position?.occurredAt ?? null),
      positions.map((position) => position?.id ?? null),
    ];
    const access = scope.toPositional(values);
    const visible = scope.visibleConcernPositional('c.sensitivity', 'c.agency_id', 'a', values);
    // One LATERAL index scan per requested page, each stopping after first + 1 rows. Without a cursor the bound
    // is +infinity, so the same (child_id, occurred_at, id) range scan serves the first and later pages.
    const rows: Array<ConcernType & { ord: string; cursorAt: string }> = await (
      await ctx.manager()
    ).query(
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
    const byKey = groupBy(rows, (row) => String(row.ord));
    return keys.map((key, index) => {
      const mine = byKey.get(String(index + 1)) ?? [];
      const shown = mine.slice(0, key.first);
      const edges = shown.map(({ ord: _ord, cursorAt, ...node }) => ({
        cursor: encodeConcernCursor({ occurredAt: cursorAt, id: node.id }),
        node,
      }));
      return {
        edges,
        pageInfo: { hasNextPage: mine.length > key.first, endCursor: edges.at(-1)?.cursor ?? null },
      };
    });
  }

  private async currentRisks(ctx: Scope, childIds: readonly string[]): Promise<Array<RiskAssessmentType | null>> {
    const scope = ChildAccessScope.for(ctx.actor, { childIds });
    const values: unknown[] = [childIds];
    const access = scope.toPositional(values);
    const visible = scope.visibleConcernPositional('r.sensitivity', 'r.agency_id', 'a', values);
    const rows: RiskAssessmentType[] = await (
      await ctx.manager()
    ).query(
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
    const byChild = new Map(rows.map((row) => [row.childId, row]));
    return childIds.map((id) => byChild.get(id) ?? null);
  }

  private async concernsById(ctx: Scope, refs: readonly ConcernRef[]): Promise<Array<ConcernType | null>> {
    const rows = await this.visibleConcernsWhere(ctx, refs, 'c.id = ANY($1::uuid[])', 'c.id');
    const byId = new Map(rows.map((row) => [row.id, row]));
    return refs.map((ref) => {
      const row = byId.get(ref.id);
      return row?.childId === ref.childId ? row : null;
    });
  }

  private async amendments(ctx: Scope, refs: readonly ConcernRef[]): Promise<ConcernType[][]> {
    const rows = await this.visibleConcernsWhere(
      ctx,
      refs,
      'c.amends_concern_id = ANY($1::uuid[])',
      'c.recorded_at, c.id',
    );
    const byOriginal = groupBy(rows, (row) => row.amendsConcernId ?? '');
    return refs.map((ref) => byOriginal.get(ref.id) ?? []);
  }

  /** Concerns matching `condition` (over `$1`, the refs' ids) that the viewer may see, on the refs' children. */
  private async visibleConcernsWhere(
    ctx: Scope,
    refs: readonly ConcernRef[],
    condition: string,
    orderBy: string,
  ): Promise<ConcernType[]> {
    const scope = ChildAccessScope.for(ctx.actor, { childIds: [...new Set(refs.map((ref) => ref.childId))] });
    const values: unknown[] = [refs.map((ref) => ref.id)];
    const access = scope.toPositional(values);
    const visible = scope.visibleConcernPositional('c.sensitivity', 'c.agency_id', 'a', values);
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

function groupBy<T>(rows: readonly T[], keyOf: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}
