import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../access/actor';
import type { AppAbility } from '../access/app-ability';
import { AccessRoute, ChildAccessScope } from '../access/child-access';
import { PLANNED_EACH_TIME } from '../database/preparing-client';
import { activeInvolvement } from '../access/active-involvement';
import {
  involvementDisclosedByMatching,
  visibleIdentifier,
  visibleIdentifierPositional,
  visibleInvolvement,
} from '../access/child-record.visibility';
import type { AgencyKind } from '../common/enums/agencies';
import { AgencyEntity } from '../agencies/agency.entity';
import type { ConcernCategory, RiskLevel, Sensitivity } from '../common/enums/chronology';
import type { ChildFlag, InvolvementBasis } from '../common/enums/children';
import type { ChildIdentifierType, InvolvementType } from './children.types';
import type { NormalisedIdentifier } from './identifiers';

/** An identifier this statement recorded: its row is what the audit event is about. */
export interface AddedIdentifier extends NormalisedIdentifier {
  id: string;
}

const CHILD_COLUMNS = `c.id, c.given_name AS "givenName", c.family_name AS "familyName", c.aliases,
  c.date_of_birth::text AS "dateOfBirth", c.gender, c.address, c.flags, c.version,
  a.route, a.tiers, a.full_record AS "fullRecord"`;

const INVOLVEMENT_COLUMNS = `i.id, i.child_id AS "childId", i.agency_id AS "agencyId", i.basis,
  i.since::text AS since, i.until::text AS until`;

/** An involvement with its agency, which the query joins anyway: Involvement.agency then needs no statement. */
export interface InvolvementWithAgency {
  involvement: InvolvementType;
  agency: AgencyEntity;
}

type InvolvementRow = InvolvementType & {
  agencyName: string;
  agencyKind: AgencyKind;
  agencyLocalAuthority: string | null;
  agencyFirstResponder: boolean;
  agencyActive: boolean;
  agencyDemo: boolean;
  agencyCreatedAt: Date;
};

/** The details of a child that practitioners enter and correct. */
interface ChildDetails {
  givenName: string;
  familyName: string;
  aliases: string[];
  dateOfBirth: string | null;
  gender: string | null;
  address: string | null;
}

/** A child as the viewer reaches it: its details and the viewer's access row (child-access.ts). */
export interface ChildRow extends ChildDetails {
  id: string;
  flags: ChildFlag[];
  version: number;
  route: AccessRoute;
  tiers: Sensitivity[];
  fullRecord: boolean;
}

/** One page of the list of children the viewer reaches, in list order (family name, given name, id). */
export interface ChildListQuery {
  /** The list order key of the last child of the previous page. */
  after: readonly [string, string, string] | null;
  /** ILIKE patterns each of which must match the name or an alias. */
  namePatterns: readonly string[];
  flag: ChildFlag | null;
  category: ConcernCategory | null;
  /** The latest risk assessment the viewer sees is at one of these levels. */
  riskLevels: readonly RiskLevel[] | null;
  /** Rows to read: a page and one more, to tell whether another page follows. */
  limit: number;
}

/** The details a new child record starts with, already trimmed, and who registered it. */
export interface NewChild extends ChildDetails {
  createdBy: string | null;
}

/** A correction: only the fields present change. */
export type ChildChanges = Partial<ChildDetails>;

const CHANGE_COLUMNS: Record<keyof ChildDetails, string> = {
  givenName: 'given_name',
  familyName: 'family_name',
  aliases: 'aliases',
  dateOfBirth: 'date_of_birth',
  gender: 'gender',
  address: 'address',
};

export interface MatchSearch {
  givenName: string;
  familyName: string;
  dateOfBirth: string | null;
  identifiers: readonly NormalisedIdentifier[];
  /** The searcher's agency kind: which involvements the matches disclose. */
  searcherKind: AgencyKind;
}

/**
 * pg_trgm's default similarity threshold, which `%` applies: spelt out where a name is compared among the few
 * children born on one day, so that the planner reads them by the date alone and not also a trigram index.
 */
const LIKE_NAME = 0.3;

/** How candidates are scored and cut (ChildMatchingService). */
export interface MatchScoring {
  swappedNames: number;
  minScore: number;
  limit: number;
}

export interface MatchRow {
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
 * The rows an UPDATE ... RETURNING returned. TypeORM's `query` answers an UPDATE with `[rows, rowCount]`, not the
 * rows, so the statement is wrapped in a CTE to come back as a plain SELECT result.
 */
function updateReturning<T>(manager: EntityManager, sql: string, values: unknown[]): Promise<T[]> {
  return manager.query(`WITH changed AS (${sql}) SELECT * FROM changed`, values);
}

/**
 * The SQL of the child record: children, identifiers and involvements. Every read of a child joins the viewer's
 * `ChildAccessScope`, and what it shows of identifiers and involvements follows child-record.visibility.ts.
 */
@Injectable()
export class ChildrenRepository {
  /**
   * Children by id that the actor reaches, in no particular order, each with the identifiers the viewer sees: the
   * record's own few rows, which a read of one child nearly always shows, so they come in the same statement.
   */
  byIds(
    manager: EntityManager,
    actor: Actor | null,
    ability: AppAbility,
    ids: readonly string[],
  ): Promise<Array<ChildRow & { identifiers: ChildIdentifierType[] }>> {
    const values: unknown[] = [];
    const access = ChildAccessScope.for(actor, { childIds: ids }).toPositional(values);
    const seen = visibleIdentifierPositional(ability, 'ci', values);
    return manager.query(
      `SELECT ${CHILD_COLUMNS},
              COALESCE((SELECT json_agg(json_build_object('scheme', ci.scheme, 'value', ci.value)
                                        ORDER BY ci.scheme, ci.value)
                          FROM child_identifier ci
                         WHERE ci.child_id = c.id AND ${seen}), '[]') AS identifiers
         FROM (${access}) a JOIN child c ON c.id = a.child_id`,
      values,
    );
  }

  /**
   * One page of the children the actor reaches, in list order: the actor's access (every route, one row per
   * child), joined to the children and sorted. What a viewer reaches is a caseload, thousands at most even
   * nationally, and each route's branch starts from an index on the viewer, so this reads what it lists and a
   * little more. It replaced one ordered page per route, each testing every child's access in list order, which
   * at `national` (1,000,000 children) took 2.5 s for a police officer's page of high-risk children, mostly in
   * PostgreSQL choosing, child by child, to test 189 conference invitations (issue 14).
   */
  list(manager: EntityManager, actor: Actor | null, query: ChildListQuery): Promise<ChildRow[]> {
    const scope = ChildAccessScope.for(actor);
    const values: unknown[] = [];
    const access = scope.toPositional(values);
    const bind = (value: unknown) => {
      values.push(value);
      return `$${values.length}`;
    };
    const where: string[] = [];
    if (query.after) {
      const [family, given, id] = query.after;
      where.push(`(c.family_name, c.given_name, c.id) > (${bind(family)}, ${bind(given)}, ${bind(id)}::uuid)`);
    }
    for (const word of query.namePatterns) {
      // Each word in the name or an alias, in any order ("smith kai"), accents ignored (the columns hold the names
      // unaccented, migration AccentInsensitiveNames); both columns have GIN trigram indexes.
      const pattern = `public.f_unaccent(${bind(word)})`;
      where.push(`(c.full_name ILIKE ${pattern} OR c.alias_names ILIKE ${pattern})`);
    }
    if (query.flag) where.push(`c.flags @> ARRAY[${bind(query.flag)}]::text[]`);
    // Category and risk are judged only on entries the viewer may see: a category found only in a concern the
    // viewer cannot read must not reveal that the child has one. They name the access row's child, not the
    // child row's, so that PostgreSQL may test them before it reads the children (a police force reaches some
    // 1,900 children at national, of which a page of high-risk ones is 300: 30 ms instead of 45).
    if (query.category) {
      const visible = scope.visibleConcernPositional('k.sensitivity', 'k.agency_id', 'a', values);
      where.push(`EXISTS (SELECT 1 FROM concern k
                           WHERE k.category = ${bind(query.category)} AND k.child_id = a.child_id AND ${visible})`);
    }
    if (query.riskLevels) {
      const visible = scope.visibleConcernPositional('r.sensitivity', 'r.agency_id', 'a', values);
      where.push(`(SELECT r.level FROM risk_assessment r
                    WHERE r.child_id = a.child_id AND ${visible}
                    ORDER BY r.assessed_at DESC, r.id DESC LIMIT 1) = ANY(${bind(query.riskLevels)}::text[])`);
    }
    const limit = bind(query.limit);
    // A name search finds few children through its trigram indexes, which are then sorted; PostgreSQL misjudges
    // how few (ILIKE) and may instead walk the list order, testing every child's name (measured: 220 ms against
    // 26 ms for a common surname). `|| ''` orders exactly the same but cannot use the order index, so it does not.
    const order = query.namePatterns.length
      ? `c.family_name || '', c.given_name || '', c.id`
      : 'c.family_name, c.given_name, c.id';
    return manager.query(
      `${PLANNED_EACH_TIME}SELECT ${CHILD_COLUMNS}
         FROM (${access}) a JOIN child c ON c.id = a.child_id
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY ${order}
        LIMIT ${limit}`,
      values,
    );
  }

  /** The children that hold any of these identifiers. */
  async holdersOf(manager: EntityManager, identifiers: readonly NormalisedIdentifier[]): Promise<string[]> {
    if (identifiers.length === 0) return [];
    const rows: Array<{ child_id: string }> = await manager.query(
      `SELECT DISTINCT ci.child_id FROM child_identifier ci
         JOIN unnest($1::text[], $2::text[]) AS x (scheme, value) ON ci.scheme = x.scheme AND ci.value = x.value`,
      [identifiers.map((identifier) => identifier.scheme), identifiers.map((identifier) => identifier.value)],
    );
    return rows.map((row) => row.child_id);
  }

  /** The schemes among `identifiers` that the child holds with the same value. */
  async schemesHeld(
    manager: EntityManager,
    childId: string,
    identifiers: readonly NormalisedIdentifier[],
  ): Promise<string[]> {
    const rows: Array<{ scheme: string }> = await manager.query(
      `SELECT DISTINCT ci.scheme FROM child_identifier ci
         JOIN unnest($2::text[], $3::text[]) AS x (scheme, value) ON ci.scheme = x.scheme AND ci.value = x.value
        WHERE ci.child_id = $1
        ORDER BY ci.scheme`,
      [childId, identifiers.map((identifier) => identifier.scheme), identifiers.map((identifier) => identifier.value)],
    );
    return rows.map((row) => row.scheme);
  }

  async insertChild(manager: EntityManager, child: NewChild): Promise<string> {
    const [row]: Array<{ id: string }> = await manager.query(
      `INSERT INTO child (given_name, family_name, aliases, date_of_birth, gender, address, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [
        child.givenName,
        child.familyName,
        child.aliases,
        child.dateOfBirth,
        child.gender,
        child.address,
        child.createdBy,
      ],
    );
    return row.id;
  }

  /** Adds the identifiers no child holds yet, recorded by `agencyId`; answers those it added. */
  async addIdentifiers(
    manager: EntityManager,
    childId: string,
    identifiers: readonly NormalisedIdentifier[],
    agencyId: string,
  ): Promise<AddedIdentifier[]> {
    if (identifiers.length === 0) return [];
    return manager.query(
      `INSERT INTO child_identifier (child_id, scheme, value, recorded_by_agency_id)
       SELECT $1, x.scheme, x.value, $4 FROM unnest($2::text[], $3::text[]) AS x (scheme, value)
       ON CONFLICT (scheme, value) DO NOTHING RETURNING id, scheme, value`,
      [
        childId,
        identifiers.map((identifier) => identifier.scheme),
        identifiers.map((identifier) => identifier.value),
        agencyId,
      ],
    );
  }

  /**
   * Starts the agency's involvement with the child on `since` (today, by the database's calendar, when null);
   * null when it already has an open one (which stays as it is).
   */
  async openInvolvement(
    manager: EntityManager,
    involvement: {
      childId: string;
      agencyId: string;
      basis: InvolvementBasis;
      since: string | null;
      createdBy: string | null;
    },
  ): Promise<string | null> {
    const [row]: Array<{ id: string }> = await manager.query(
      `INSERT INTO involvement (child_id, agency_id, basis, since, created_by)
       VALUES ($1, $2, $3, COALESCE($4::date, current_date), $5)
       ON CONFLICT (child_id, agency_id) WHERE until IS NULL DO NOTHING RETURNING id`,
      [involvement.childId, involvement.agencyId, involvement.basis, involvement.since, involvement.createdBy],
    );
    return row?.id ?? null;
  }

  /** Compare-and-set on `version`: false when the child is at another version (or does not exist). */
  async updateChild(manager: EntityManager, id: string, version: number, changes: ChildChanges): Promise<boolean> {
    const values: unknown[] = [id, version];
    const sets: string[] = [];
    for (const [field, column] of Object.entries(CHANGE_COLUMNS) as Array<[keyof ChildDetails, string]>) {
      if (changes[field] === undefined) continue;
      values.push(changes[field]);
      sets.push(`${column} = $${values.length}`);
    }
    const updated = await updateReturning<{ id: string }>(
      manager,
      `UPDATE child SET ${[...sets, 'version = version + 1', 'updated_at = now()'].join(', ')}
        WHERE id = $1 AND version = $2 RETURNING id`,
      values,
    );
    return updated.length > 0;
  }

  /**
   * Adds and removes flags, leaving the others: a flag is a fact another module established (a conference's
   * decision), not a correction of the record, so the version a client edits by does not change.
   */
  async changeFlags(
    manager: EntityManager,
    childId: string,
    add: readonly ChildFlag[],
    remove: readonly ChildFlag[],
  ): Promise<void> {
    await manager.query(
      `UPDATE child SET flags = ARRAY(SELECT DISTINCT f FROM unnest(flags || $2::text[]) f
                                       WHERE f <> ALL($3::text[]) ORDER BY f)
        WHERE id = $1`,
      [childId, add, remove],
    );
  }

  /** Ends an active involvement on `until`; null when it had already ended. */
  async endInvolvement(
    manager: EntityManager,
    id: string,
    until: string,
    endedBy: string | null,
  ): Promise<InvolvementType | null> {
    const [ended] = await updateReturning<InvolvementType>(
      manager,
      `UPDATE involvement i SET until = $2, ended_by = $3
        WHERE i.id = $1 AND ${activeInvolvement('i')}
        RETURNING ${INVOLVEMENT_COLUMNS}`,
      [id, until, endedBy],
    );
    return ended ?? null;
  }

  /** The identifiers the viewer sees of the children it reaches among `childIds`, by scheme and value. */
  identifiers(
    manager: EntityManager,
    access: ChildAccessScope,
    ability: AppAbility,
    childIds: readonly string[],
  ): Promise<Array<ChildIdentifierType & { childId: string }>> {
    const qb = manager
      .createQueryBuilder()
      .select(['ci.child_id AS "childId"', 'ci.scheme AS scheme', 'ci.value AS value'])
      .from('child_identifier', 'ci')
      .where('ci.child_id = ANY(:ids)', { ids: childIds })
      .andWhere(visibleIdentifier(ability))
      .orderBy('ci.scheme')
      .addOrderBy('ci.value');
    access.joinTo(qb, 'ci.child_id', 'a');
    return qb.getRawMany<ChildIdentifierType & { childId: string }>();
  }

  /**
   * The involvements, past and present, that the viewer may learn of, of the children it reaches in `scope`:
   * those with the given ids, or those of the given children.
   */
  async involvements(
    manager: EntityManager,
    actor: Actor | null,
    scope: ChildAccessScope,
    which: { ids: readonly string[] } | { childIds: readonly string[] },
  ): Promise<InvolvementWithAgency[]> {
    const values: unknown[] = [];
    const visible = visibleInvolvement(actor, { involvement: 'i', agency: 'g', access: 'a' }, values);
    if (!visible) return [];
    const byChild = 'childIds' in which;
    const access = scope.toPositional(values);
    values.push(byChild ? which.childIds : which.ids);
    const rows: InvolvementRow[] = await manager.query(
      `SELECT ${INVOLVEMENT_COLUMNS}, g.name AS "agencyName", g.kind AS "agencyKind",
              g.local_authority AS "agencyLocalAuthority", g.first_responder AS "agencyFirstResponder",
              g.active AS "agencyActive", g.demo AS "agencyDemo", g.created_at AS "agencyCreatedAt"
         FROM involvement i
         JOIN agency g ON g.id = i.agency_id
         JOIN (${access}) a ON a.child_id = i.child_id
        WHERE ${byChild ? 'i.child_id' : 'i.id'} = ANY($${values.length}::uuid[])
          AND ${visible}
        ORDER BY i.since, i.id`,
      values,
    );
    return rows.map((row) => ({
      involvement: {
        id: row.id,
        childId: row.childId,
        agencyId: row.agencyId,
        basis: row.basis,
        since: row.since,
        until: row.until,
      },
      agency: Object.assign(new AgencyEntity(), {
        id: row.agencyId,
        name: row.agencyName,
        kind: row.agencyKind,
        localAuthority: row.agencyLocalAuthority,
        firstResponder: row.agencyFirstResponder,
        active: row.agencyActive,
        demo: row.agencyDemo,
        createdAt: row.agencyCreatedAt,
      }),
    }));
  }

  /**
   * Candidates come from blocks that stay small however common the name (migration NameMatchingBlocks): an
   * identifier the searcher sees, an alias like the name, the children born that day whose given or family name
   * is like the one searched for, those whose given and family names sound the same (Double Metaphone, either
   * way round) and, only when no birth date is given, those whose given and family names are both like the
   * ones searched for. They are then scored: an identifier is conclusive; otherwise names weigh 0.8, the birth
   * date 0.2. Names are compared without their accents (migration AccentInsensitiveNames), and identifiers
   * only among those the searcher sees: a match on a number it may not see would tell it that the number is
   * known. The searched names are unaccented once (`searched`), not once per candidate.
   */
  possibleMatches(
    manager: EntityManager,
    ability: AppAbility,
    search: MatchSearch,
    scoring: MatchScoring,
  ): Promise<MatchRow[]> {
    const values: unknown[] = [
      search.givenName,
      search.familyName,
      search.dateOfBirth,
      search.identifiers.map((identifier) => identifier.scheme),
      search.identifiers.map((identifier) => identifier.value),
    ];
    const seen = visibleIdentifierPositional(ability, 'ci', values);
    const disclosed = involvementDisclosedByMatching(search.searcherKind, { involvement: 'i', agency: 'g' }, values);
    const given = '(SELECT given FROM searched)';
    const family = '(SELECT family FROM searched)';
    const fullName = '(SELECT full_name FROM searched)';
    // Each block reads the columns scoring needs, so that no join takes the blocks' few rows back to the table.
    const candidate =
      'id, given_name, family_name, given_name_unaccented, family_name_unaccented, aliases, date_of_birth';
    const sounds = (familyKey: string, givenKey: string) =>
      `SELECT ${candidate} FROM child
        WHERE (public.dmetaphone(family_name_unaccented), public.dmetaphone(given_name_unaccented))
              = ((SELECT ${familyKey} FROM searched), (SELECT ${givenKey} FROM searched))`;
    return manager.query(
      `WITH searched AS MATERIALIZED (
         SELECT public.f_unaccent($1) AS given, public.f_unaccent($2) AS family,
                public.f_unaccent($1 || ' ' || $2) AS full_name,
                NULLIF(public.dmetaphone(public.f_unaccent($1)), '') AS given_sound,
                NULLIF(public.dmetaphone(public.f_unaccent($2)), '') AS family_sound),
       by_identifier AS (
         SELECT ci.child_id, array_agg(DISTINCT 'identifier:' || ci.scheme) AS identifiers
           FROM child_identifier ci
           JOIN unnest($4::text[], $5::text[]) AS x (scheme, value) ON ci.scheme = x.scheme AND ci.value = x.value
          WHERE ${seen}
          GROUP BY ci.child_id),
       candidate AS (
         SELECT ${candidate} FROM child WHERE id IN (SELECT child_id FROM by_identifier)
         UNION SELECT ${candidate} FROM child WHERE ${fullName} <% alias_names
         UNION SELECT ${candidate} FROM child
                WHERE date_of_birth = $3::date
                  AND greatest(similarity(given_name_unaccented, ${given}),
                               similarity(family_name_unaccented, ${family})) >= ${LIKE_NAME}
         UNION ${sounds('family_sound', 'given_sound')}
         UNION ${sounds('given_sound', 'family_sound')}
         UNION SELECT ${candidate} FROM child
                WHERE $3::date IS NULL AND given_name_unaccented % ${given} AND family_name_unaccented % ${family}
         UNION SELECT ${candidate} FROM child
                WHERE $3::date IS NULL AND given_name_unaccented % ${family} AND family_name_unaccented % ${given}),
       scored AS (
         SELECT c.id, c.given_name, c.family_name, extract(year FROM c.date_of_birth)::int AS birth_year,
                b.identifiers,
                similarity(c.given_name_unaccented, ${given}) AS given_score,
                similarity(c.family_name_unaccented, ${family}) AS family_score,
                similarity(c.given_name_unaccented, ${family}) AS swapped_given_score,
                similarity(c.family_name_unaccented, ${given}) AS swapped_family_score,
                COALESCE((SELECT max(similarity(public.f_unaccent(alias), ${fullName}))
                            FROM unnest(c.aliases) alias), 0) AS alias_score,
                c.date_of_birth = $3::date AS same_dob,
                extract(year FROM c.date_of_birth) = extract(year FROM $3::date) AS same_year
           FROM candidate c
           LEFT JOIN by_identifier b ON b.child_id = c.id),
       ranked AS (
         SELECT s.*,
                CASE WHEN s.identifiers IS NOT NULL THEN 1
                     ELSE LEAST(0.99, 0.8 * GREATEST((s.given_score + s.family_score) / 2,
                                                    ${Number(scoring.swappedNames)} * (s.swapped_given_score + s.swapped_family_score) / 2,
                                                    s.alias_score)
                                    + 0.2 * CASE WHEN s.same_dob THEN 1 WHEN s.same_year THEN 0.4 ELSE 0 END)
                END AS score
           FROM scored s)
       SELECT r.*,
              ARRAY(SELECT DISTINCT i.agency_id
                      FROM involvement i JOIN agency g ON g.id = i.agency_id
                     WHERE i.child_id = r.id AND ${disclosed}) AS agency_ids
         FROM ranked r
        WHERE r.score >= ${Number(scoring.minScore)}
        ORDER BY r.score DESC, r.id
        LIMIT ${Number(scoring.limit)}`,
      values,
    );
  }
}
