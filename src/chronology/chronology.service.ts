import { LoaderKey } from '../common/loaders';
import { Injectable } from '@nestjs/common';
import { AuditLog } from '../audit/log/audit-log.service';
import { type AccessRoute, viaBreakGlass } from '../access/child-access';
import { requireOnChild } from '../access/child-decisions';
import { requireToRecordConcern } from '../access/involvement-requests.decisions';
import { BadUserInputError, NotFoundError } from '../common/errors';
import type { Scope } from '../access/scope';
import { Sensitivity } from '../common/enums/chronology';
import type { RecordConcernInput, RecordRiskAssessmentInput } from './chronology.inputs';
import type { ConcernConnection, ConcernType, RiskAssessmentType } from './chronology.types';
import { ChronologyRepository } from './chronology.repository';
import { decodeConcernCursor, encodeConcernCursor } from './concern-cursor';
import { isIndicatorCode } from './indicators';
import { type CinFactor, suggestedCinFactors } from './cin-factors';

const CONCERN_PAGE = new LoaderKey<PageKey, ConcernConnection, string>("a page of a child's chronology");
const CURRENT_RISK = new LoaderKey<string, RiskAssessmentType | null>("a child's current risk");
const CONCERN_BY_ID = new LoaderKey<ConcernRef, ConcernType | null, string>('a concern by id');
const AMENDMENTS = new LoaderKey<ConcernRef, ConcernType[], string>('the amendments of a concern');
const CIN_FACTORS = new LoaderKey<string, CinFactor[]>('the census factors a child’s concerns suggest');

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
 * The chronology and risk assessments of a child (DESIGN §2, §4). Every read is filtered in SQL by the viewer's
 * access (src/access/chronology.visibility.ts), so a concern is returned only when the viewer reaches its child
 * and may see its tier; an invisible one is indistinguishable from one that does not exist.
 */
@Injectable()
export class ChronologyService {
  constructor(
    private readonly audit: AuditLog,
    private readonly repository: ChronologyRepository,
  ) {}

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
    const route = await requireToRecordConcern(ctx, input.childId);
    if (input.amendsConcernId) await this.assertAmendable(ctx, input.childId, input.amendsConcernId);
    const row = await this.repository.insertConcern(await ctx.manager(), {
      childId: input.childId,
      agencyId: actingAgency(ctx, input.childId),
      recordedBy: actor.userId,
      occurredAt: input.occurredAt,
      category: input.category,
      indicators: input.indicators,
      recruitmentSetting: input.recruitmentSetting,
      riskLevel: input.riskLevel,
      sensitivity: input.sensitivity,
      narrative: input.narrative,
      amendsConcernId: input.amendsConcernId ?? null,
    });
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
    const { route } = await requireOnChild(ctx, 'assess', input.childId);
    const row = await this.repository.insertRiskAssessment(await ctx.manager(), {
      childId: input.childId,
      agencyId: actingAgency(ctx, input.childId),
      assessedBy: actor.userId,
      level: input.level,
      exploitationTypes: input.exploitationTypes,
      rationale: input.rationale,
      sensitivity: input.sensitivity ?? Sensitivity.STANDARD,
    });
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
   * The Children in Need census factors that the child's concerns suggest, from the concerns the viewer sees as
   * corrected (an entry a visible amendment corrects counts as the amendment). Batched per request; what is read
   * is the child's chronology, whose read the child's own audit event covers.
   */
  suggestedCinFactorsOf(ctx: Scope, childId: string): Promise<CinFactor[]> {
    return ctx.loaders.get(CIN_FACTORS, (ids) => this.cinFactors(ctx, ids)).load(childId);
  }

  /**
   * An amendment corrects a concern the actor can see on the same child. One they cannot see is NOT_FOUND, as if
   * it did not exist; one they can see on another child is a mistake in the input.
   */
  private async assertAmendable(ctx: Scope, childId: string, concernId: string): Promise<void> {
    const originalChild = await this.repository.childOfConcern(await ctx.manager(), concernId);
    const original = originalChild ? await this.concern(ctx, originalChild, concernId) : null;
    if (!original) throw new NotFoundError('Concern', concernId);
    if (original.childId !== childId) {
      throw new BadUserInputError(
        'An amendment must be about the same child as the concern it amends',
        'input.amendsConcernId',
      );
    }
  }

  /**
   * Every addition to a child's record is audited with the route it came through (none for an agency whose
   * involvement request is pending); break-glass ones are flagged.
   */
  private recordChange(
    ctx: Scope,
    action: string,
    subject: { type: string; id: string; childId: string },
    route: AccessRoute | null,
  ): void {
    this.audit.record(ctx, {
      action,
      subjectType: subject.type,
      subjectId: subject.id,
      childId: subject.childId,
      route,
      breakGlass: viaBreakGlass(route),
    });
  }

  private async pages(ctx: Scope, keys: readonly PageKey[]): Promise<ConcernConnection[]> {
    const rows = await this.repository.pages(
      ctx,
      keys.map((key) => ({
        childId: key.childId,
        take: key.first + 1,
        after: key.after === null ? null : decodeConcernCursor(key.after),
      })),
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

  private async cinFactors(ctx: Scope, childIds: readonly string[]): Promise<CinFactor[][]> {
    const byChild = groupBy(await this.repository.currentCodes(ctx, childIds), (row) => row.childId);
    return childIds.map((id) => suggestedCinFactors(byChild.get(id) ?? []));
  }

  private async currentRisks(ctx: Scope, childIds: readonly string[]): Promise<Array<RiskAssessmentType | null>> {
    const rows = await this.repository.currentRisks(ctx, childIds);
    const byChild = new Map(rows.map((row) => [row.childId, row]));
    return childIds.map((id) => byChild.get(id) ?? null);
  }

  private async concernsById(ctx: Scope, refs: readonly ConcernRef[]): Promise<Array<ConcernType | null>> {
    const rows = await this.repository.concernsById(ctx, childrenOf(refs), idsOf(refs));
    const byId = new Map(rows.map((row) => [row.id, row]));
    return refs.map((ref) => {
      const row = byId.get(ref.id);
      return row?.childId === ref.childId ? row : null;
    });
  }

  private async amendments(ctx: Scope, refs: readonly ConcernRef[]): Promise<ConcernType[][]> {
    const rows = await this.repository.amendmentsOf(ctx, childrenOf(refs), idsOf(refs));
    const byOriginal = groupBy(rows, (row) => row.amendsConcernId ?? '');
    return refs.map((ref) => byOriginal.get(ref.id) ?? []);
  }
}

const childrenOf = (refs: readonly ConcernRef[]) => [...new Set(refs.map((ref) => ref.childId))];
const idsOf = (refs: readonly ConcernRef[]) => refs.map((ref) => ref.id);

/**
 * The agency an entry is recorded for: the one the actor acts for. Only a membership reaches a child, so after
 * `requireOnChild` there is one; without it the child is as absent as it was to `requireOnChild`.
 */
function actingAgency(ctx: Scope, childId: string): string {
  const { membership } = ctx.signedIn.actor;
  if (!membership) throw new NotFoundError('Child', childId);
  return membership.agencyId;
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
