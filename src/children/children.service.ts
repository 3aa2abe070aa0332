import { LoaderKey } from '../common/loaders';
import { Injectable } from '@nestjs/common';
import { subject } from '@casl/ability';
import { accessibleBy, ColumnMap, maskFields } from '../../libs/authz/src';
import { AccessRoute, ChildAccess, ChildAccessScope, loadChildAccess } from '../access/child-access';
import { involvementKindsDisclosedTo } from '../access/child-record.rules';
import { childReadingMembership } from '../access/roles';
import type { ActingMembership } from '../access/actor';
import type { AppAbility } from '../access/app-ability';
import { isUuid } from '../database/postgres';
import { AuditLog } from '../audit/audit-log.service';
import { riskLevelsAtLeast, Sensitivity } from '../chronology/chronology.enums';
import {
  BadUserInputError,
  ConflictError,
  FailedPreconditionError,
  ForbiddenError,
  NotFoundError,
} from '../common/errors';
import type { PageInfo } from '../graphql/pagination';
import type { Scope } from '../access/scope';
import type { ChildFlag } from './children.enums';
import type { ChildFilter, RegisterChildInput, UpdateChildInput } from './children.inputs';
import type { ChildConnection, ChildIdentifierType, ChildType, InvolvementType } from './children.types';
import { normaliseIdentifiers } from './identifiers';

const CHILD_BY_ID = new LoaderKey<string, ChildType | null>('a child by id');
const IDENTIFIERS = new LoaderKey<string, ChildIdentifierType[]>("a child's identifiers");
const INVOLVEMENTS = new LoaderKey<string, InvolvementType[]>("a child's involvements");

export const DEFAULT_CHILD_PAGE = 20;
/** More words than this in a name search is not a name. */
const MAX_SEARCH_WORDS = 5;
/** PostgreSQL text cannot hold it: a cursor carrying one was not issued by us (arguments are checked on input). */
const NUL = '\u0000';

const CHILD_COLUMNS = `c.id, c.given_name AS "givenName", c.family_name AS "familyName", c.aliases,
  c.date_of_birth::text AS "dateOfBirth", c.gender, c.address, c.flags, c.version,
  a.route, a.tiers, a.full_record AS "fullRecord"`;

const INVOLVEMENT_COLUMNS = `i.id, i.child_id AS "childId", i.agency_id AS "agencyId", i.basis,
  i.since::text AS since, i.until::text AS until`;

interface ChildRow {
  id: string;
  givenName: string;
  familyName: string;
  aliases: string[];
  dateOfBirth: string | null;
  gender: string | null;
  address: string | null;
  flags: ChildFlag[];
  version: number;
  route: AccessRoute;
  tiers: Sensitivity[];
  fullRecord: boolean;
}

/** The fields of a child that field rules govern (childRecordRules); the rest follow the route alone. */
const RULED_CHILD_FIELDS = ['address'] as const;

/** What the rules about identifiers may mention, and where each lives in the identifiers query. */
const IDENTIFIER_COLUMNS: ColumnMap = {
  scheme: { column: 'ci.scheme', type: 'text' },
  recordedByAgencyId: { column: 'ci.recorded_by_agency_id', type: 'uuid' },
};

function toChild(row: ChildRow, ability: AppAbility, matchedExisting: boolean | null = null): ChildType {
  const access: ChildAccess = { childId: row.id, route: row.route, tiers: row.tiers, fullRecord: row.fullRecord };
  const { address } = maskFields(ability, 'read', 'Child', row, RULED_CHILD_FIELDS);
  return {
    id: row.id,
    givenName: row.givenName,
    familyName: row.familyName,
    aliases: row.aliases,
    dateOfBirth: row.dateOfBirth,
    gender: row.gender,
    address,
    accessRoute: row.route,
    flags: row.flags,
    version: row.version,
    matchedExisting,
    access,
  };
}

/** The list order key, opaque to clients. */
function encodeCursor(child: ChildType): string {
  return Buffer.from(JSON.stringify([child.familyName, child.givenName, child.id])).toString('base64url');
}

function decodeCursor(cursor: string): [string, string, string] {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(key) &&
      key.length === 3 &&
      key.every((part) => typeof part === 'string' && !part.includes(NUL)) &&
      isUuid(key[2] as string)
    ) {
      return key as [string, string, string];
    }
  } catch {
    // An unreadable cursor is the client's mistake, answered below.
  }
  throw new BadUserInputError('This cursor was not issued by children(); start again without it', 'after');
}

/** `%word%` for ILIKE, with the pattern characters of the word taken literally. */
function containsPattern(word: string): string {
  return `%${word.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/**
 * The rows an UPDATE ... RETURNING returned. TypeORM's `query` answers an UPDATE with `[rows, rowCount]`, not the
 * rows, so the statement is wrapped in a CTE to come back as a plain SELECT result.
 */
async function updateReturning<T>(ctx: Scope, sql: string, values: unknown[]): Promise<T[]> {
  return (await ctx.manager()).query(`WITH changed AS (${sql}) SELECT * FROM changed`, values);
}

/** A date of birth after today is a typing error (a wrong year) that would also break age-based rules. */
function assertBorn(dateOfBirth: string | null | undefined, field: string): void {
  if (dateOfBirth && dateOfBirth > new Date().toISOString().slice(0, 10)) {
    throw new BadUserInputError('The date of birth cannot be in the future', field);
  }
}

function trimmed(values: readonly string[]): string[] {
  return values.map((value) => value.trim());
}

/**
 * The child record (DESIGN §2, §4): registration (finding an existing record by identifier), correction without
 * lost updates, the end of an involvement, and reads that only ever return children the viewer reaches, with
 * the fields their route opens. Every read joins `ChildAccessScope` in SQL; nothing is loaded and then dropped.
 */
@Injectable()
export class ChildrenService {
  constructor(private readonly audit: AuditLog) {}

  /** A child the viewer reaches, or null exactly as if it did not exist. Batched per request. */
  load(ctx: Scope, id: string): Promise<ChildType | null> {
    return this.byId(ctx).load(id);
  }

  async list(
    ctx: Scope,
    filter: ChildFilter | undefined,
    size: number,
    after: string | undefined,
  ): Promise<ChildConnection> {
    // One ordered page per access route, merged: see ChildAccessScope.lateralPositional (bench/children-read.ts).
    const scope = ChildAccessScope.for(ctx.actor, { childIdColumn: 'c.id' });
    const values: unknown[] = [];
    const { access, routes } = scope.lateralPositional(values);
    const bind = (value: unknown) => {
      values.push(value);
      return `$${values.length}`;
    };
    const where: string[] = [];
    if (after) {
      const [family, given, id] = decodeCursor(after);
      where.push(`(c.family_name, c.given_name, c.id) > (${bind(family)}, ${bind(given)}, ${bind(id)}::uuid)`);
    }
    const words = filter?.search?.trim().split(/\s+/).filter(Boolean) ?? [];
    if (words.length > MAX_SEARCH_WORDS) {
      throw new BadUserInputError(`Search for at most ${MAX_SEARCH_WORDS} words`, 'filter.search');
    }
    for (const word of words) {
      // Each word in the name or an alias, in any order ("smith kai"); both columns have GIN trigram indexes.
      const pattern = bind(containsPattern(word));
      where.push(`(c.full_name ILIKE ${pattern} OR c.alias_names ILIKE ${pattern})`);
    }
    if (filter?.flag) where.push(`c.flags @> ARRAY[${bind(filter.flag)}]::text[]`);
    // Category and risk are judged only on entries the viewer may see: a category found only in a concern the
    // viewer cannot read must not reveal that the child has one.
    if (filter?.category) {
      const visible = scope.visibleConcernPositional('k.sensitivity', 'k.agency_id', 'a', values);
      where.push(`EXISTS (SELECT 1 FROM concern k
                           WHERE k.category = ${bind(filter.category)} AND k.child_id = c.id AND ${visible})`);
    }
    if (filter?.minRisk) {
      const visible = scope.visibleConcernPositional('r.sensitivity', 'r.agency_id', 'a', values);
      where.push(`(SELECT r.level FROM risk_assessment r
                    WHERE r.child_id = c.id AND ${visible}
                    ORDER BY r.assessed_at DESC, r.id DESC LIMIT 1) = ANY(${bind(riskLevelsAtLeast(filter.minRisk))}::text[])`);
    }
    const limit = bind(size + 1);
    // A name search finds few children through its trigram indexes, which are then sorted; PostgreSQL misjudges
    // how few (ILIKE) and may instead walk the list order, testing every child's name (measured: 220 ms against
    // 26 ms for a common surname). `|| ''` orders exactly the same but cannot use the order index, so it does not.
    const order = words.length ? `c.family_name || '', c.given_name || '', c.id` : 'c.family_name, c.given_name, c.id';
    const byRoute = routes.map(
      (route) => `(SELECT ${CHILD_COLUMNS}
                     FROM child c
                    CROSS JOIN LATERAL (${access}) a
                    WHERE ${[route, ...where].join(' AND ')}
                    ORDER BY ${order}
                    LIMIT ${limit})`,
    );
    // A child reached by two routes comes from both, as the same row (its access covers every route).
    const rows: ChildRow[] = await (
      await ctx.manager()
    ).query(
      `SELECT DISTINCT ON ("familyName", "givenName", id) *
         FROM (${byRoute.join(' UNION ALL ')}) page
        ORDER BY "familyName", "givenName", id
        LIMIT ${limit}`,
      values,
    );
    const children = rows.slice(0, size).map((row) => toChild(row, ctx.signedIn.ability));
    children.forEach((child) => this.audit.recordRead(ctx, child.id, child.accessRoute));
    // Prime the loader so a child fetched again by id in the same request costs nothing.
    const byId = this.byId(ctx);
    children.forEach((child) => byId.prime(child.id, child));
    const edges = children.map((node) => ({ cursor: encodeCursor(node), node }));
    const pageInfo: PageInfo = {
      hasNextPage: rows.length > size,
      endCursor: edges.length ? edges[edges.length - 1].cursor : null,
    };
    return { edges, pageInfo };
  }

  /**
   * Registers a child for the acting agency. When a given identifier already belongs to a child, the agency's
   * involvement is attached to that record instead (and new identifiers are added to it): one record per child
   * is what lets agencies see each other's concerns. The existing record's details are not overwritten.
   */
  async register(ctx: Scope, input: RegisterChildInput): Promise<ChildType> {
    const { actor } = ctx.signedIn;
    const membership = this.readingMembership(ctx);
    assertBorn(input.dateOfBirth, 'input.dateOfBirth');
    const identifiers = normaliseIdentifiers(input.identifiers, 'input.identifiers');
    const manager = await ctx.manager();
    const schemes = identifiers.map((identifier) => identifier.scheme);
    const idValues = identifiers.map((identifier) => identifier.value);
    const owners: Array<{ child_id: string }> = identifiers.length
      ? await manager.query(
          `SELECT DISTINCT ci.child_id FROM child_identifier ci
             JOIN unnest($1::text[], $2::text[]) AS x (scheme, value) ON ci.scheme = x.scheme AND ci.value = x.value`,
          [schemes, idValues],
        )
      : [];
    if (owners.length > 1) {
      throw new ConflictError('These identifiers belong to different children; check them before registering');
    }
    let childId = owners[0]?.child_id;
    const matchedExisting = childId !== undefined;
    if (!childId) {
      const [row]: Array<{ id: string }> = await manager.query(
        `INSERT INTO child (given_name, family_name, aliases, date_of_birth, gender, address, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [
          input.givenName.trim(),
          input.familyName.trim(),
          trimmed(input.aliases ?? []),
          input.dateOfBirth ?? null,
          input.gender?.trim() || null,
          input.address?.trim() || null,
          actor.userId,
        ],
      );
      childId = row.id;
    }
    if (identifiers.length) {
      const added: unknown[] = await manager.query(
        `INSERT INTO child_identifier (child_id, scheme, value, recorded_by_agency_id)
         SELECT $1, x.scheme, x.value, $4 FROM unnest($2::text[], $3::text[]) AS x (scheme, value)
         ON CONFLICT (scheme, value) DO NOTHING RETURNING id`,
        [childId, schemes, idValues, membership.agencyId],
      );
      // Another registration of the same identifier committed between our lookup and insert: refuse rather than
      // keep a second record; registering again now finds the first one.
      if (!matchedExisting && added.length < identifiers.length) {
        throw new ConflictError('This child was registered by someone else at the same moment; register again');
      }
    }
    const [involvement]: Array<{ id: string }> = await manager.query(
      `INSERT INTO involvement (child_id, agency_id, basis, since, created_by) VALUES ($1, $2, $3, current_date, $4)
       ON CONFLICT (child_id, agency_id) WHERE until IS NULL DO NOTHING RETURNING id`,
      [childId, membership.agencyId, input.basis, actor.userId],
    );
    const [child] = await this.fetch(ctx, [childId]);
    if (!child) throw new Error(`registered child ${childId} is not reachable by its registering agency`);
    if (matchedExisting && involvement) {
      // Knowing an identifier was enough to open an existing record: the trail says so in its own words, so the
      // agencies already involved see who joined their child's record, and how (the identifiers matched).
      this.recordChange(ctx, 'attachInvolvement', 'Involvement', involvement.id, child);
    } else {
      this.recordChange(ctx, 'registerChild', 'Child', childId, child);
    }
    return { ...child, matchedExisting };
  }

  /**
   * Corrects the child's details. Compare-and-set on `version`: a client that read an older version gets
   * CONFLICT and nothing changes, so one practitioner never silently overwrites another's correction.
   */
  async update(ctx: Scope, input: UpdateChildInput): Promise<ChildType> {
    const access = await loadChildAccess(ctx, input.id);
    if (!access) throw new NotFoundError('Child', input.id);
    // Identity and address are the involved agencies' to correct: a grant or a conference shares a record to read.
    if (!access.fullRecord) throw new ForbiddenError('Only an agency involved with the child may change its details');
    const values: unknown[] = [input.id, input.version];
    const sets: string[] = [];
    const set = (column: string, value: unknown) => {
      values.push(value);
      sets.push(`${column} = $${values.length}`);
    };
    assertBorn(input.dateOfBirth, 'input.dateOfBirth');
    for (const field of ['givenName', 'familyName', 'aliases'] as const) {
      if (input[field] === null) throw new BadUserInputError(`${field} cannot be removed`, `input.${field}`);
    }
    if (input.givenName !== undefined) set('given_name', input.givenName.trim());
    if (input.familyName !== undefined) set('family_name', input.familyName.trim());
    if (input.aliases !== undefined) set('aliases', trimmed(input.aliases));
    if (input.dateOfBirth !== undefined) set('date_of_birth', input.dateOfBirth);
    if (input.gender !== undefined) set('gender', input.gender?.trim() || null);
    if (input.address !== undefined) set('address', input.address?.trim() || null);
    const updated = await updateReturning<{ id: string }>(
      ctx,
      `UPDATE child SET ${[...sets, 'version = version + 1', 'updated_at = now()'].join(', ')}
        WHERE id = $1 AND version = $2 RETURNING id`,
      values,
    );
    if (updated.length === 0) {
      throw new ConflictError("Someone changed this child's record after you read it; reload it and try again");
    }
    const [child] = await this.fetch(ctx, [input.id]);
    if (!child) throw new NotFoundError('Child', input.id);
    this.recordChange(ctx, 'updateChild', 'Child', input.id, child);
    return child;
  }

  /** Ends the acting agency's involvement on `until` (today or later ends access from that day). */
  async endInvolvement(ctx: Scope, involvementId: string, until: string): Promise<InvolvementType> {
    const { actor, ability } = ctx.signedIn;
    const [involvement] = isUuid(involvementId) ? await this.visibleInvolvements(ctx, { ids: [involvementId] }) : [];
    if (!involvement) throw new NotFoundError('Involvement', involvementId);
    if (!ability.can('end', subject('Involvement', { agencyId: involvement.agencyId } as Record<string, unknown>))) {
      throw new ForbiddenError('Only the agency itself may end its involvement with a child');
    }
    if (until < involvement.since) {
      throw new BadUserInputError(`An involvement cannot end before it began (${involvement.since})`, 'until');
    }
    // The route it is ended through, read before the end takes it away (an end dated today closes it at once).
    const access = await loadChildAccess(ctx, involvement.childId);
    const [ended] = await updateReturning<InvolvementType>(
      ctx,
      `UPDATE involvement i SET until = $2, ended_by = $3
        WHERE i.id = $1 AND (i.until IS NULL OR i.until > current_date)
        RETURNING ${INVOLVEMENT_COLUMNS}`,
      [involvementId, until, actor.userId],
    );
    if (!ended) throw new FailedPreconditionError('This involvement has already ended');
    this.audit.record(ctx, {
      action: 'endInvolvement',
      subjectType: 'Involvement',
      subjectId: involvementId,
      childId: ended.childId,
      route: access?.route ?? null,
    });
    return ended;
  }

  /** The identifiers of a child in the schemes the viewer's agency kind sees, and OTHER ones it recorded. */
  identifiersOf(ctx: Scope, childId: string): Promise<ChildIdentifierType[]> {
    return ctx.loaders.get(IDENTIFIERS, (ids) => this.identifiers(ctx, ids)).load(childId);
  }

  /** A child's involvements, past and present, that the viewer may learn of. */
  involvementsOf(ctx: Scope, childId: string): Promise<InvolvementType[]> {
    return ctx.loaders
      .get(INVOLVEMENTS, async (childIds) => {
        const rows = await this.visibleInvolvements(ctx, { childIds });
        return childIds.map((id) => rows.filter((row) => row.childId === id));
      })
      .load(childId);
  }

  private byId(ctx: Scope) {
    return ctx.loaders.get(CHILD_BY_ID, (ids) => this.fetch(ctx, ids));
  }

  /** Children by id as the viewer sees them, in the order asked; null for each one the viewer does not reach. */
  private async fetch(ctx: Scope, ids: readonly string[]): Promise<Array<ChildType | null>> {
    const values: unknown[] = [];
    const access = ChildAccessScope.for(ctx.actor, { childIds: ids.filter(isUuid) }).toPositional(values);
    const rows: ChildRow[] = await (
      await ctx.manager()
    ).query(`SELECT ${CHILD_COLUMNS} FROM (${access}) a JOIN child c ON c.id = a.child_id`, values);
    const byId = new Map(rows.map((row) => [row.id, toChild(row, ctx.signedIn.ability)]));
    rows.forEach((row) => this.audit.recordRead(ctx, row.id, row.route));
    return ids.map((id) => byId.get(id) ?? null);
  }

  private async identifiers(ctx: Scope, childIds: readonly string[]): Promise<ChildIdentifierType[][]> {
    const ids = childIds.filter(isUuid);
    const qb = (await ctx.manager())
      .createQueryBuilder()
      .select(['ci.child_id AS "childId"', 'ci.scheme AS scheme', 'ci.value AS value'])
      .from('child_identifier', 'ci')
      .where('ci.child_id = ANY(:ids)', { ids })
      .andWhere(accessibleBy(ctx.signedIn.ability, 'read', 'ChildIdentifier', IDENTIFIER_COLUMNS))
      .orderBy('ci.scheme')
      .addOrderBy('ci.value');
    ChildAccessScope.for(ctx.actor, { childIds: ids }).joinTo(qb, 'ci.child_id', 'a');
    const rows: Array<ChildIdentifierType & { childId: string }> = await qb.getRawMany();
    return childIds.map((id) =>
      rows.filter((row) => row.childId === id).map(({ scheme, value }) => ({ scheme, value })),
    );
  }

  /**
   * Involvements of children the viewer reaches. With the full record (INVOLVED, BREAK_GLASS) every involvement
   * shows; otherwise only those the viewer's kind may learn of, and the viewer's own agency's.
   */
  private async visibleInvolvements(
    ctx: Scope,
    which: { ids?: readonly string[]; childIds?: readonly string[] },
  ): Promise<InvolvementType[]> {
    const membership = childReadingMembership(ctx.actor);
    if (!membership) return [];
    const values: unknown[] = [involvementKindsDisclosedTo(membership.agencyKind), membership.agencyId];
    const access = ChildAccessScope.for(
      ctx.actor,
      which.childIds ? { childIds: which.childIds.filter(isUuid) } : {},
    ).toPositional(values);
    values.push(which.ids ?? which.childIds?.filter(isUuid) ?? []);
    const column = which.ids ? 'i.id' : 'i.child_id';
    return (await ctx.manager()).query(
      `SELECT ${INVOLVEMENT_COLUMNS}
         FROM involvement i
         JOIN agency g ON g.id = i.agency_id
         JOIN (${access}) a ON a.child_id = i.child_id
        WHERE ${column} = ANY($${values.length}::uuid[])
          AND (a.full_record OR g.kind = ANY($1::text[]) OR i.agency_id = $2)
        ORDER BY i.since, i.id`,
      values,
    );
  }

  /** A change made under break-glass is flagged for review, as its reads are (DESIGN §4). */
  private recordChange(ctx: Scope, action: string, subjectType: string, id: string, child: ChildType): void {
    this.audit.record(ctx, {
      action,
      subjectType,
      subjectId: id,
      childId: child.id,
      route: child.accessRoute,
      breakGlass: child.accessRoute === AccessRoute.BREAK_GLASS,
    });
  }

  /** The acting membership of someone the policy already allowed to act on children. */
  private readingMembership(ctx: Scope): ActingMembership {
    const membership = childReadingMembership(ctx.actor);
    if (!membership) throw new ForbiddenError();
    return membership;
  }
}
