import { Injectable } from '@nestjs/common';
import { involvementKindsDisclosedTo } from '../access/child-record.rules';
import { AuditLog } from '../audit/audit-log.service';
import { ForbiddenError } from '../common/errors';
import type { Scope } from '../access/scope';
import type { ChildMatchInput } from './children.inputs';
import type { ChildMatchType } from './children.types';
import { normaliseIdentifiers } from './identifiers';

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

interface MatchRow {
  id: string;
  given_name: string;
  family_name: string;
  birth_year: number | null;
  identifiers: string[] | null;
  given_score: number;
  family_score: number;
  swapped_given_score: number;
  swapped_family_score: number;
  alias_score: number;
  same_dob: boolean | null;
  same_year: boolean | null;
  score: number;
  agency_ids: string[];
}

/**
 * Finding whether a child already has a record (DESIGN §4, matching), so that an agency asks for access to it
 * instead of starting a second, split chronology. It discloses the minimum: initials, birth year, score, what
 * matched and the involvements the searcher may learn of, whether or not the searcher reaches the child; the
 * record itself is read through `child(id)` and its access routes. Every search is audited.
 */
@Injectable()
export class ChildMatchingService {
  constructor(private readonly audit: AuditLog) {}

  async possibleMatches(ctx: Scope, input: ChildMatchInput): Promise<ChildMatchType[]> {
    const kind = ctx.signedIn.actor.membership?.agencyKind;
    if (!kind) throw new ForbiddenError();
    const identifiers = normaliseIdentifiers(input.identifiers, 'input.identifiers');
    const given = input.givenName.trim();
    const family = input.familyName.trim();
    // Candidates come from indexed conditions only (identifier key, GIN trigram on names and aliases, date of
    // birth), and are then scored: an identifier is conclusive; otherwise names weigh 0.8, the birth date 0.2.
    // The full-name index finds names in either order (trigrams ignore word order); the score weighs both orders.
    const rows: MatchRow[] = await (
      await ctx.manager()
    ).query(
      `WITH by_identifier AS (
         SELECT ci.child_id, array_agg(DISTINCT 'identifier:' || ci.scheme) AS identifiers
           FROM child_identifier ci
           JOIN unnest($4::text[], $5::text[]) AS x (scheme, value) ON ci.scheme = x.scheme AND ci.value = x.value
          GROUP BY ci.child_id),
       candidate AS (
         SELECT child_id AS id FROM by_identifier
         UNION SELECT id FROM child WHERE family_name % $2
         UNION SELECT id FROM child WHERE full_name % ($1 || ' ' || $2)
         UNION SELECT id FROM child WHERE ($1 || ' ' || $2) <% alias_names
         UNION SELECT id FROM child WHERE date_of_birth = $3::date AND given_name % $1),
       scored AS (
         SELECT c.id, c.given_name, c.family_name, extract(year FROM c.date_of_birth)::int AS birth_year,
                b.identifiers,
                similarity(c.given_name, $1) AS given_score,
                similarity(c.family_name, $2) AS family_score,
                similarity(c.given_name, $2) AS swapped_given_score,
                similarity(c.family_name, $1) AS swapped_family_score,
                COALESCE((SELECT max(similarity(alias, $1 || ' ' || $2)) FROM unnest(c.aliases) alias), 0) AS alias_score,
                c.date_of_birth = $3::date AS same_dob,
                extract(year FROM c.date_of_birth) = extract(year FROM $3::date) AS same_year
           FROM candidate k
           JOIN child c ON c.id = k.id
           LEFT JOIN by_identifier b ON b.child_id = c.id),
       ranked AS (
         SELECT s.*,
                CASE WHEN s.identifiers IS NOT NULL THEN 1
                     ELSE LEAST(0.99, 0.8 * GREATEST((s.given_score + s.family_score) / 2,
                                                    ${SWAPPED_NAMES} * (s.swapped_given_score + s.swapped_family_score) / 2,
                                                    s.alias_score)
                                    + 0.2 * CASE WHEN s.same_dob THEN 1 WHEN s.same_year THEN 0.4 ELSE 0 END)
                END AS score
           FROM scored s)
       SELECT r.*,
              ARRAY(SELECT DISTINCT i.agency_id
                      FROM involvement i JOIN agency g ON g.id = i.agency_id
                     WHERE i.child_id = r.id AND (i.until IS NULL OR i.until > current_date)
                       AND g.kind = ANY($6::text[])) AS agency_ids
         FROM ranked r
        WHERE r.score >= ${MIN_SCORE}
        ORDER BY r.score DESC, r.id
        LIMIT ${MAX_MATCHES}`,
      [
        given,
        family,
        input.dateOfBirth ?? null,
        identifiers.map((identifier) => identifier.scheme),
        identifiers.map((identifier) => identifier.value),
        involvementKindsDisclosedTo(kind),
      ],
    );
    this.recordMatchSearch(
      ctx,
      rows.map((row) => row.id),
    );
    return rows.map((row) => ({
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
    }));
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
