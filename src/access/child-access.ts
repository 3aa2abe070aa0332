/**
 * Which children an actor reaches, by which route, and what that route opens (DESIGN §4), as SQL.
 *
 * `ChildAccessScope.for(actor)` is a subquery with one row per reachable child:
 *
 *     child_access(child_id uuid, route text, tiers text[], full_record boolean)
 *
 * - `route`: the strongest route the actor has (INVOLVED > BREAK_GLASS > GRANTED > CONFERENCE);
 * - `tiers`: the union of the sensitivity tiers its routes open (STANDARD, HEALTH_CONFIDENTIAL, POLICE_RESTRICTED);
 *   the authoring agency's own entries are visible whatever their tier: use `visibleConcern(...)`;
 * - `full_record`: INVOLVED or BREAK_GLASS: the address and every involvement are shown (the other routes see
 *   neither the address nor the involvements of police, prosecution, youth justice, health and voluntary
 *   agencies, except those of their own agency kind: `involvementKindsDisclosedTo` in child-record.rules.ts).
 * A child absent from the set does not exist for the actor: null, absent from lists and totals, NOT_FOUND.
 *
 * It is a UNION ALL of one branch per route (ROUTE_BRANCHES), collapsed per child. An actor without a
 * child-reading membership (platform admin, AGENCY_ADMIN-only, ANALYST-only) gets no branch at all: no child.
 *
 * TypeORM query builder:
 *
 *     const access = ChildAccessScope.for(ctx.actor, { childIds: [childId] }); // childIds: optional narrowing
 *     const qb = manager.createQueryBuilder(ConcernEntity, 'concern');
 *     access.joinTo(qb, 'concern.child_id');                // WITH child_access AS (...) ... INNER JOIN ... "access"
 *     qb.andWhere(access.visibleConcern('concern.sensitivity', 'concern.agency_id'));
 *     qb.addSelect('access.route', 'route');                 // if the route is needed (getRawAndEntities)
 *
 * or, without a join, `qb.andWhere(access.exists('child.id'))`.
 *
 * Raw SQL with positional parameters:
 *
 *     const values: unknown[] = [childId];
 *     const accessSql = access.toPositional(values);         // appends its values, numbers placeholders after $1
 *     await manager.query(
 *       `SELECT c.*, a.route FROM child c JOIN (${accessSql}) a ON a.child_id = c.id WHERE c.id = $1`, values);
 *
 * For one child in a resolver, `loadChildAccess(ctx, childId)` answers `{ route, tiers, fullRecord }` or null,
 * batched per request.
 */
import { LoaderKey } from '../common/loaders';
import { Brackets, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { Sensitivity } from '../common/enums/chronology';
import { isUuid } from '../database/postgres';
import type { Scope } from './scope';
import type { Actor } from './actor';
import { activeInvolvement } from './active-involvement';
import { tiersSeenBy } from './child-record.rules';
import { childReadingMembership } from './roles';
import type { Bind, RouteBranch } from './route-branch';
import { conferenceAttendeeRoute, conferenceChairRoute, conferenceInviteeRoute } from './conference.rules';
import { breakGlassRoute, grantedRoute } from './sharing.rules';

const CHILD_ACCESS = new LoaderKey<string, ChildAccess | null>('access to a child');

/** How a viewer reaches a child record, strongest first. */
export enum AccessRoute {
  INVOLVED = 'INVOLVED',
  BREAK_GLASS = 'BREAK_GLASS',
  GRANTED = 'GRANTED',
  CONFERENCE = 'CONFERENCE',
}

/** Whether a child was reached in an emergency: what is read or changed that way is flagged for review. */
export function viaBreakGlass(route: AccessRoute | null | undefined): boolean {
  return route === AccessRoute.BREAK_GLASS;
}

/** What one actor's access to one child amounts to. */
export interface ChildAccess {
  childId: string;
  route: AccessRoute;
  tiers: Sensitivity[];
  fullRecord: boolean;
}

/** INVOLVED: the acting agency has an active involvement. */
const involved: RouteBranch = (_actor, membership, bind, narrow) => `
  SELECT i.child_id, 'INVOLVED'::text AS route, CAST(${bind(tiersSeenBy(membership.agencyKind))} AS text[]) AS tiers,
         TRUE AS full_record
    FROM involvement i
   WHERE i.agency_id = ${bind(membership.agencyId)} AND ${activeInvolvement('i')}
         ${narrow('i.child_id')}`;

/** Every route, each computed in SQL (DESIGN §4). */
const ROUTE_BRANCHES: readonly RouteBranch[] = [
  involved,
  breakGlassRoute,
  grantedRoute,
  conferenceChairRoute,
  conferenceInviteeRoute,
  conferenceAttendeeRoute,
];

const STRENGTH = `ARRAY['${AccessRoute.INVOLVED}','${AccessRoute.BREAK_GLASS}','${AccessRoute.GRANTED}','${AccessRoute.CONFERENCE}']::text[]`;
const TIER_UNION = `array_remove(ARRAY[${Object.values(Sensitivity)
  .map((tier) => `CASE WHEN bool_or('${tier}' = ANY(b.tiers)) THEN '${tier}' END`)
  .join(', ')}]::text[], NULL)`;
const NO_CHILDREN = `SELECT NULL::uuid AS child_id, NULL::text AS route, NULL::text[] AS tiers, NULL::boolean AS full_record WHERE FALSE`;

let scopeSequence = 0;

export interface ChildAccessOptions {
  /** Only these children (a loader's batch): keeps each branch an index lookup. */
  childIds?: readonly string[];
  /** Only the child whose id is this column of the enclosing query (`c.id`): one child's access, to join LATERAL. */
  childIdColumn?: string;
}

export class ChildAccessScope {
  private constructor(
    /** `SELECT child_id, route, tiers, full_record ...` with named parameters (`:ca3_0`). */
    readonly sql: string,
    readonly params: Record<string, unknown>,
    /** The acting agency, for authorship rules; null when the actor reaches no child. */
    readonly agencyId: string | null,
    private readonly prefix: string,
  ) {}

  static for(actor: Actor | null, options: ChildAccessOptions = {}): ChildAccessScope {
    const prefix = `ca${scopeSequence++}`;
    const membership = childReadingMembership(actor);
    const params: Record<string, unknown> = { [`${prefix}_agency`]: membership?.agencyId ?? null };
    const bind: Bind = (value) => {
      const name = `${prefix}_${Object.keys(params).length}`;
      params[name] = value;
      return `:${name}`;
    };
    if (!actor || !membership) return new ChildAccessScope(NO_CHILDREN, params, null, prefix);
    const ids = options.childIds ? bind([...options.childIds]) : null;
    const narrow = (column: string) =>
      ids
        ? `AND ${column} = ANY(CAST(${ids} AS uuid[]))`
        : options.childIdColumn
          ? `AND ${column} = ${options.childIdColumn}`
          : '';
    const branches = ROUTE_BRANCHES.map((branch) => branch(actor, membership, bind, narrow)).filter(
      (sql): sql is string => sql !== null,
    );
    if (branches.length === 0) return new ChildAccessScope(NO_CHILDREN, params, membership.agencyId, prefix);
    const sql = `
      SELECT b.child_id,
             (${STRENGTH})[min(array_position(${STRENGTH}, b.route))] AS route,
             ${TIER_UNION} AS tiers,
             bool_or(b.full_record) AS full_record
        FROM (${branches.join('\n UNION ALL \n')}) b
       GROUP BY b.child_id`;
    return new ChildAccessScope(sql, params, membership.agencyId, prefix);
  }

  /**
   * The actor's access to these children, computed in SQL once per child per request: in a GraphQL query, what an
   * earlier statement computed (the child it loaded, see `primeChildAccess`) is joined as it was, and the rest is
   * computed in one batched statement first. A mutation computes it afresh in each statement, since it may itself
   * change who reaches the child (a grant, an involvement, break-glass) between two of them.
   */
  static async forRequest(ctx: Scope, childIds: readonly string[]): Promise<ChildAccessScope> {
    const distinct = [...new Set(childIds)];
    if (!ctx.unit.readsOnly) return ChildAccessScope.for(ctx.actor, { childIds: distinct });
    const accesses = await Promise.all(distinct.map((childId) => loadChildAccess(ctx, childId)));
    return ChildAccessScope.known(
      ctx.actor,
      accesses.filter((access): access is ChildAccess => access !== null),
    );
  }

  /**
   * The scope of accesses this request has already computed in SQL: the same rows, handed back as parameters, so
   * a later statement joins them instead of working them out again. Built only from the
   * request's own results; a child absent from `accesses` is absent from the scope.
   */
  private static known(actor: Actor | null, accesses: readonly ChildAccess[]): ChildAccessScope {
    const prefix = `ca${scopeSequence++}`;
    const agencyId = childReadingMembership(actor)?.agencyId ?? null;
    const params: Record<string, unknown> = { [`${prefix}_agency`]: agencyId };
    if (accesses.length === 0) return new ChildAccessScope(NO_CHILDREN, params, agencyId, prefix);
    params[`${prefix}_ids`] = accesses.map((access) => access.childId);
    params[`${prefix}_routes`] = accesses.map((access) => access.route);
    // Tiers are enum names, so each child's set travels as one array literal.
    params[`${prefix}_tiers`] = accesses.map((access) => `{${access.tiers.join(',')}}`);
    params[`${prefix}_full`] = accesses.map((access) => access.fullRecord);
    const sql = `
      SELECT k.child_id, k.route, CAST(k.tiers AS text[]) AS tiers, k.full_record
        FROM unnest(CAST(:${prefix}_ids AS uuid[]), CAST(:${prefix}_routes AS text[]), CAST(:${prefix}_tiers AS text[]),
                    CAST(:${prefix}_full AS boolean[])) AS k(child_id, route, tiers, full_record)`;
    return new ChildAccessScope(sql, params, agencyId, prefix);
  }

  /**
   * Adds `WITH <cte> AS (...)` and `INNER JOIN <cte> <alias> ON <alias>.child_id = <childIdColumn>`, so rows of
   * unreachable children drop out and `<alias>.route`, `.tiers`, `.full_record` can be selected or filtered on.
   */
  joinTo<T extends ObjectLiteral>(
    qb: SelectQueryBuilder<T>,
    childIdColumn: string,
    alias = 'access',
    cte = `child_access_${alias}`,
  ): SelectQueryBuilder<T> {
    return qb
      .addCommonTableExpression(this.sql, cte)
      .innerJoin(cte, alias, `${alias}.child_id = ${childIdColumn}`)
      .setParameters(this.params);
  }

  /** `EXISTS (reachable child with id <childIdColumn>)`, for a WHERE clause. */
  exists(childIdColumn: string): Brackets {
    return new Brackets((qb) => {
      qb.where(`EXISTS (SELECT 1 FROM (${this.sql}) reach WHERE reach.child_id = ${childIdColumn})`, this.params);
    });
  }

  /**
   * The concern (or any tiered entry) is visible: its tier is opened by the route, or the acting agency wrote it
   * (DESIGN §4: "and the authoring agency"). `accessAlias` is the alias given to `joinTo`.
   */
  visibleConcern(sensitivityColumn: string, agencyColumn: string, accessAlias = 'access'): Brackets {
    return new Brackets((qb) => {
      qb.where(
        `(${sensitivityColumn} = ANY(${accessAlias}.tiers) OR ${agencyColumn} IS NOT DISTINCT FROM :${this.prefix}_agency)`,
        this.params,
      );
    });
  }

  /** The same concern condition for raw SQL: appends its value to `values` and answers the SQL. */
  visibleConcernPositional(
    sensitivityColumn: string,
    agencyColumn: string,
    accessAlias: string,
    values: unknown[],
  ): string {
    values.push(this.agencyId);
    return `(${sensitivityColumn} = ANY(${accessAlias}.tiers) OR ${agencyColumn} IS NOT DISTINCT FROM $${values.length}::uuid)`;
  }

  /** The subquery for raw SQL: appends its parameter values to `values` and answers the SQL with `$n` placeholders. */
  toPositional(values: unknown[]): string {
    const positions = new Map<string, number>();
    return this.sql.replace(/(?<!:):(ca\d+_\w+)/g, (whole, name: string) => {
      if (!Object.prototype.hasOwnProperty.call(this.params, name)) return whole;
      let position = positions.get(name);
      if (position === undefined) {
        values.push(this.params[name]);
        position = values.length;
        positions.set(name, position);
      }
      return `$${position}`;
    });
  }
}

interface AccessRow {
  child_id: string;
  route: AccessRoute;
  tiers: Sensitivity[];
  full_record: boolean;
}

/**
 * Keeps, for the rest of a GraphQL query, the access that a statement loading children computed with them (the
 * `route`, `tiers` and `full_record` of their scope), so that `ChildAccessScope.forRequest` does not compute it again.
 */
export function primeChildAccess(ctx: Scope, accesses: readonly ChildAccess[]): void {
  if (!ctx.unit.readsOnly) return;
  const loader = ctx.loaders.get(CHILD_ACCESS, (ids) => accessTo(ctx, ids));
  for (const access of accesses) loader.prime(access.childId, access);
}

/** The actor's access to one child, or null when they do not reach it. Batched per request. */
export function loadChildAccess(ctx: Scope, childId: string): Promise<ChildAccess | null> {
  return ctx.loaders.get(CHILD_ACCESS, (ids) => accessTo(ctx, ids)).load(childId);
}

async function accessTo(ctx: Scope, childIds: readonly string[]): Promise<Array<ChildAccess | null>> {
  const values: unknown[] = [];
  const sql = ChildAccessScope.for(ctx.actor, { childIds: childIds.filter(isUuid) }).toPositional(values);
  const rows: AccessRow[] = await (await ctx.manager()).query(sql, values);
  const byChild = new Map(rows.map((row) => [row.child_id, row]));
  return childIds.map((id) => {
    const row = byChild.get(id);
    return row ? { childId: id, route: row.route, tiers: row.tiers, fullRecord: row.full_record } : null;
  });
}
