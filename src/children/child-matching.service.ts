import { Injectable } from '@nestjs/common';
import { requireIdentifierSchemes } from '../access/child-record.visibility';
import { AuditLog } from '../audit/log/audit-log.service';
import { ForbiddenError } from '../common/errors';
import type { Scope } from '../access/scope';
import type { ChildMatchInput } from './children.inputs';
import { ChildrenRepository, type MatchRow } from './children.repository';
import type { ChildMatchType } from './children.types';
import { normaliseIdentifiers, type NormalisedIdentifier } from './identifiers';
import { normaliseName } from './names';

/** Enough candidates to recognise the child; a longer list would be a way of browsing children. */
const MAX_MATCHES = 10;
/** Below this the record is unlikely to be the child searched for. */
const MIN_SCORE = 0.35;
/** A name part counts as "matched" from this trigram similarity on. */
const NAME_MATCH = 0.5;
/**
 * Given and family names entered the other way round (common where the family name comes first, as in Chinese,
 * Hungarian or Vietnamese names) still match, a little below the same names in the order given.
 */
const SWAPPED_NAMES = 0.9;

/**
 * From this score, with the same date of birth (names averaging 0.75 similarity, "Thomson" for "Thompson"), a
 * registration is of a child already recorded rather than a namesake.
 */
const LIKELY = 0.8;

function toMatch(row: MatchRow): ChildMatchType {
  return {
    childId: row.id,
    score: Math.round(Number(row.score) * 100) / 100,
    matchedOn: [
      ...(row.identifiers ?? []).sort(),
      ...(row.given_score >= NAME_MATCH ? ['givenName'] : []),
      ...(row.family_score >= NAME_MATCH ? ['familyName'] : []),
      ...(row.alias_score >= NAME_MATCH ? ['alias'] : []),
      ...(row.swapped_given_score >= NAME_MATCH && row.swapped_family_score >= NAME_MATCH ? ['namesSwapped'] : []),
      ...(row.same_dob ? ['dateOfBirth'] : row.same_year ? ['birthYear'] : []),
    ],
    initials: `${row.given_name.charAt(0)}${row.family_name.charAt(0)}`.toUpperCase(),
    birthYear: row.birth_year,
    involvedAgencyIds: row.agency_ids,
  };
}

/**
 * Finding whether a child already has a record (DESIGN §4, matching), so that an agency asks for access to it
 * instead of starting a second, split chronology. It discloses the minimum: initials, birth year, score, what
 * matched and the involvements the searcher may learn of, whether or not the searcher reaches the child; the
 * record itself is read through `child(id)` and its access routes. Every search is audited.
 */
@Injectable()
export class ChildMatchingService {
  constructor(
    private readonly audit: AuditLog,
    private readonly repository: ChildrenRepository,
  ) {}

  async possibleMatches(ctx: Scope, input: ChildMatchInput): Promise<ChildMatchType[]> {
    requireIdentifierSchemes(ctx.signedIn.ability, 'match', input.identifiers, 'input.identifiers');
    const rows = await this.find(ctx, {
      givenName: normaliseName(input.givenName, 'input.givenName'),
      familyName: normaliseName(input.familyName, 'input.familyName'),
      dateOfBirth: input.dateOfBirth,
      identifiers: normaliseIdentifiers(input.identifiers, 'input.identifiers'),
    });
    this.recordMatchSearch(
      ctx,
      rows.map((row) => row.id),
    );
    return rows.map(toMatch);
  }

  /**
   * The records a registration without a matching identifier is likely to be a second one of (DESIGN §4: a
   * "strong name and birth-date match"): the same date of birth and names close enough to score LIKELY. None
   * when no record is that close, so a registration that finds nothing discloses nothing and is not a search.
   * The names are normalised already (names.ts), as registration stores them.
   */
  async likelyMatches(
    ctx: Scope,
    search: { givenName: string; familyName: string; dateOfBirth?: string | null },
  ): Promise<ChildMatchType[]> {
    if (!search.dateOfBirth) return [];
    const rows = (await this.find(ctx, { ...search, identifiers: [] })).filter(
      (row) => row.same_dob && Number(row.score) >= LIKELY,
    );
    if (rows.length > 0) {
      this.recordMatchSearch(
        ctx,
        rows.map((row) => row.id),
      );
    }
    return rows.map(toMatch);
  }

  /** Names normalised (names.ts) and identifiers of schemes the searcher may match by. */
  private async find(
    ctx: Scope,
    search: {
      givenName: string;
      familyName: string;
      dateOfBirth?: string | null;
      identifiers: readonly NormalisedIdentifier[];
    },
  ): Promise<MatchRow[]> {
    const { actor, ability } = ctx.signedIn;
    const kind = actor.membership?.agencyKind;
    if (!kind) throw new ForbiddenError();
    return this.repository.possibleMatches(
      await ctx.manager(),
      ability,
      {
        givenName: search.givenName,
        familyName: search.familyName,
        dateOfBirth: search.dateOfBirth ?? null,
        identifiers: search.identifiers,
        searcherKind: kind,
      },
      { swappedNames: SWAPPED_NAMES, minScore: MIN_SCORE, limit: MAX_MATCHES },
    );
  }

  /**
   * Every match search is audited (DESIGN §4): one event per child it disclosed, so the search shows in each
   * child's audit trail, or one event without a child when nothing matched.
   */
  private recordMatchSearch(ctx: Scope, childIds: string[]): void {
    const event = { action: 'possibleChildMatches', subjectType: 'ChildMatch' };
    if (childIds.length === 0) this.audit.record(ctx, event);
    for (const childId of childIds) this.audit.record(ctx, { ...event, subjectId: childId, childId });
  }
}
