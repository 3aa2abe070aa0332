import type { AnyAbility } from '@casl/ability';
import { rulesToCondition } from '@casl/ability/extra';
import { Brackets } from 'typeorm';

/**
 * CASL rules compiled to a SQL condition for TypeORM query builders, so that lists are filtered in the database
 * and select exactly the rows `ability.can(action, subject(type, row))` would allow in memory.
 *
 * Contract (checked by casl-to-sql.property.spec.ts against real PostgreSQL):
 * - Rows are as TypeORM loads them: every mapped column is a property of the row, SQL NULL being `null`.
 * - No relevant rule means deny (`FALSE`); an unconditional `can` rule means `TRUE`. Rule priority, `cannot`
 *   rules and several `can` rules are folded exactly as CASL folds them (rulesToCondition).
 * - Rules restricted to fields: without `options.field` the filter answers "may the actor act on this row at
 *   all", which is what `ability.can(action, row)` answers with no field: a `can` rule naming fields admits the
 *   row (the other fields are then masked, see field-masking.ts), and a `cannot` rule naming fields does not
 *   remove it. With `options.field` the filter answers `ability.can(action, row, field)`: use it when the query
 *   itself reads that field (searching by an identifier must only look where the identifier is visible).
 * - The condition is two-valued (never SQL NULL), so it may also be negated or combined freely.
 * - Anything whose in-memory meaning SQL cannot reproduce exactly is refused with UntranslatableRuleError, never
 *   approximated: unknown fields, nested paths, $regex/$all/$size/$elemMatch/$where, values of the wrong type
 *   for the column, ordering on anything but integers, NaN, non-canonical uuids, strings PostgreSQL cannot hold.
 *
 * Quirks of the in-memory matcher reproduced on purpose:
 * - `$exists` tests whether the row has the property, not whether it is NULL; a loaded row has every mapped
 *   column, so `{ $exists: true }` allows every row and `{ $exists: false }` none. Write `{ col: null }` or
 *   `{ col: { $ne: null } }` for NULL tests.
 * - Comparisons treat NULL as JavaScript does: `null < 3` and `null <= 0` are true, `null > -1` is true,
 *   `null > 0` and `null >= 0` are false (null compares as a value just below zero).
 * - Equality is JavaScript's `===`: `{ score: 1.5 }` matches no integer row, `{ score: { $ne: 1.5 } }` all.
 */

/**
 * How a column's values look once loaded, which decides how rule values compare with them:
 * - `text`: text, varchar or enum columns (JS strings, compared exactly; deterministic collations only).
 * - `uuid`: uuid columns (lowercase canonical JS strings).
 * - `integer`: smallint or integer columns (JS numbers). bigint and numeric load as strings: not supported.
 * - `boolean`: boolean columns.
 */
type ColumnType = 'text' | 'uuid' | 'integer' | 'boolean';

interface ColumnSpec {
  /** Alias-qualified column, e.g. `concern.agency_id` or `"concern"."agencyId"`. */
  column: string;
  type: ColumnType;
}

/** The fields a subject's rules may mention. Anything else in a rule is refused rather than guessed at. */
export type ColumnMap = Readonly<Record<string, ColumnSpec>>;

export interface SqlCondition {
  sql: string;
  params: Record<string, unknown>;
}

export interface SqlFilterOptions {
  /** Filter for `ability.can(action, row, field)` instead of `ability.can(action, row)`. */
  field?: string;
}

/** A rule uses something the compiler cannot translate faithfully; failing loudly beats a silent leak. */
export class UntranslatableRuleError extends Error {
  override readonly name = 'UntranslatableRuleError';
}

/** The shape of CASL's (ucast) condition AST: compound nodes carry children, field nodes a field and a value. */
interface AstNode {
  operator: string;
  field?: unknown;
  value: unknown;
}

const TRUE = 'TRUE';
const FALSE = 'FALSE';
const IDENTIFIER = '(?:[A-Za-z_][A-Za-z0-9_]*|"(?:[^"]|"")+")';
const QUALIFIED_COLUMN = new RegExp(`^${IDENTIFIER}\\.${IDENTIFIER}$`);
const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// Lone surrogates would be replaced when encoded to UTF-8 and NUL is refused by PostgreSQL: either would make the
// database compare a different string than JavaScript does.
const LONE_SURROGATE = /\p{Surrogate}/u;
// Integer columns hold safe integers, so clamping bounds to +-2^53 keeps every comparison exact and in bigint range.
const INTEGER_LIMIT = 2 ** 53;

let callSequence = 0;

function all(parts: string[]): string {
  if (parts.includes(FALSE)) return FALSE;
  const rest = parts.filter((part) => part !== TRUE);
  if (rest.length === 0) return TRUE;
  return rest.length === 1 ? rest[0] : `(${rest.join(' AND ')})`;
}

function any(parts: string[]): string {
  if (parts.includes(TRUE)) return TRUE;
  const rest = parts.filter((part) => part !== FALSE);
  if (rest.length === 0) return FALSE;
  return rest.length === 1 ? rest[0] : `(${rest.join(' OR ')})`;
}

/**
 * One field test. `test` and `negated` decide rows whose column is not NULL (each two-valued there);
 * `matchesNull` is the in-memory answer for a NULL column, which is added explicitly so that no leaf is ever NULL.
 */
interface Leaf {
  matchesNull: boolean;
  test: string;
  negated: string;
}

function negate(leaf: Leaf): Leaf {
  return { matchesNull: !leaf.matchesNull, test: leaf.negated, negated: leaf.test };
}

const never: Leaf = { matchesNull: false, test: FALSE, negated: TRUE };

class Compiler {
  readonly params: Record<string, unknown> = {};
  private count = 0;

  constructor(
    private readonly columns: ColumnMap,
    private readonly prefix: string,
  ) {}

  /** Negation is pushed down to the leaves, where each test has an exact complement. */
  compile(node: AstNode, positive: boolean): string {
    switch (node.operator) {
      case 'and':
        return this.combine(node, positive, positive ? all : any);
      case 'or':
        return this.combine(node, positive, positive ? any : all);
      case 'nor':
        return this.combine(node, !positive, positive ? all : any);
      case 'not': {
        // CASL's interpreter evaluates only the first child of `not`; anything else would be ambiguous.
        const children = node.value;
        if (!Array.isArray(children) || children.length !== 1) {
          throw new UntranslatableRuleError('"not" must have exactly one condition');
        }
        return this.compile(children[0] as AstNode, !positive);
      }
      default:
        return this.field(node, positive);
    }
  }

  private combine(node: AstNode, positive: boolean, join: (parts: string[]) => string): string {
    if (!Array.isArray(node.value)) throw new UntranslatableRuleError(`"${node.operator}" needs a list of conditions`);
    return join(node.value.map((child: AstNode) => this.compile(child, positive)));
  }

  private field(node: AstNode, positive: boolean): string {
    const spec = this.spec(node.field);
    const leaf = this.leaf(node, spec);
    const { matchesNull, test } = positive ? leaf : negate(leaf);
    if (test === TRUE) return matchesNull ? TRUE : `(${spec.column} IS NOT NULL)`;
    if (test === FALSE) return matchesNull ? `(${spec.column} IS NULL)` : FALSE;
    return matchesNull ? `(${test} OR ${spec.column} IS NULL)` : `(${test} AND ${spec.column} IS NOT NULL)`;
  }

  private spec(field: unknown): ColumnSpec {
    if (typeof field !== 'string' || !Object.prototype.hasOwnProperty.call(this.columns, field)) {
      throw new UntranslatableRuleError(`rule field "${String(field)}" is not mapped to a column`);
    }
    return this.columns[field];
  }

  private leaf(node: AstNode, spec: ColumnSpec): Leaf {
    const { column } = spec;
    switch (node.operator) {
      case 'eq':
        return this.equals(node.value, spec);
      case 'ne':
        return negate(this.equals(node.value, spec));
      case 'in':
        return this.member(node.value, spec);
      case 'nin':
        return negate(this.member(node.value, spec));
      case 'lt':
      case 'lte':
      case 'gt':
      case 'gte':
        return this.compare(node.operator, node.value, spec);
      case 'exists':
        // The in-memory test is "the row has this property", which every loaded row has (see header).
        if (typeof node.value !== 'boolean') throw new UntranslatableRuleError('$exists needs true or false');
        return node.value ? { matchesNull: true, test: TRUE, negated: FALSE } : never;
      default:
        throw new UntranslatableRuleError(`operator "${node.operator}" on ${column} is not supported in SQL rules`);
    }
  }

  /** `===` against the loaded value. A value no row of this column can hold (1.5 in an integer) matches nothing. */
  private equals(value: unknown, spec: ColumnSpec): Leaf {
    if (value === null) return { matchesNull: true, test: FALSE, negated: TRUE };
    if (!this.representable(value, spec)) return never;
    const param = this.param(value, spec, false);
    return { matchesNull: false, test: `${spec.column} = ${param}`, negated: `${spec.column} <> ${param}` };
  }

  private member(values: unknown, spec: ColumnSpec): Leaf {
    if (!Array.isArray(values)) throw new UntranslatableRuleError(`$in/$nin on ${spec.column} needs an array`);
    const candidates = values.filter((value) => value !== null && this.representable(value, spec));
    const matchesNull = values.includes(null);
    if (candidates.length === 0) return { ...never, matchesNull };
    const param = this.param(candidates, spec, true);
    return { matchesNull, test: `${spec.column} = ANY(${param})`, negated: `${spec.column} <> ALL(${param})` };
  }

  /**
   * Ordering is exact only for integers. JavaScript compares NULL as a value just below zero (`null < 0`), and a
   * fractional bound is rounded to the integer bound that selects the same integers.
   */
  private compare(operator: 'lt' | 'lte' | 'gt' | 'gte', value: unknown, spec: ColumnSpec): Leaf {
    if (spec.type !== 'integer') {
      throw new UntranslatableRuleError(`$${operator} is only supported on integer columns, not ${spec.column}`);
    }
    if (typeof value !== 'number' || Number.isNaN(value)) {
      throw new UntranslatableRuleError(`$${operator} on ${spec.column} needs a number`);
    }
    const clamp = (bound: number) => Math.min(Math.max(bound, -INTEGER_LIMIT), INTEGER_LIMIT);
    const below = operator === 'lt' || operator === 'lte';
    const bound = clamp(operator === 'lt' || operator === 'gte' ? Math.ceil(value) : Math.floor(value));
    const param = this.param(bound, spec, false);
    const [test, negated] = {
      lt: ['<', '>='],
      lte: ['<=', '>'],
      gt: ['>', '<='],
      gte: ['>=', '<'],
    }[operator];
    return {
      matchesNull: below ? value >= 0 : value < 0,
      test: `${spec.column} ${test} ${param}`,
      negated: `${spec.column} ${negated} ${param}`,
    };
  }

  /**
   * Whether a rule value could equal a loaded value of this column. Values of another type are refused: such a
   * rule is a mistake, and JavaScript coercion (`'2' > 10`) has no SQL equivalent.
   */
  private representable(value: unknown, spec: ColumnSpec): boolean {
    switch (spec.type) {
      case 'text':
        if (typeof value === 'string' && !LONE_SURROGATE.test(value) && !value.includes('\u0000')) return true;
        break;
      case 'uuid':
        if (typeof value === 'string' && CANONICAL_UUID.test(value)) return true;
        break;
      case 'boolean':
        if (typeof value === 'boolean') return true;
        break;
      case 'integer':
        if (typeof value === 'number' && !Number.isNaN(value)) {
          return Number.isInteger(value) && Math.abs(value) <= INTEGER_LIMIT;
        }
        break;
    }
    throw new UntranslatableRuleError(`rule value ${describe(value)} does not fit ${spec.type} column ${spec.column}`);
  }

  private param(value: unknown, spec: ColumnSpec, list: boolean): string {
    const name = `${this.prefix}_${this.count++}`;
    this.params[name] = value;
    // Integer bounds are typed explicitly (bigint compares with smallint/integer indexes); other parameters take
    // the column's own type, so enum and uuid columns compare natively.
    if (spec.type === 'integer') return `CAST(:${name} AS bigint${list ? '[]' : ''})`;
    return `:${name}`;
  }
}

function describe(value: unknown): string {
  if (value instanceof RegExp) return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return typeof value;
  }
}

function checkColumns(columns: ColumnMap): void {
  for (const [field, spec] of Object.entries(columns)) {
    if (field.includes('.')) {
      // CASL reads dotted fields as nested paths (`author.id`), with NULL semantics a join does not reproduce.
      throw new UntranslatableRuleError(`field "${field}": nested paths are not supported`);
    }
    if (!QUALIFIED_COLUMN.test(spec.column)) {
      throw new Error(`column for "${field}" must be an alias-qualified identifier, got "${spec.column}"`);
    }
  }
}

function astFor(ability: AnyAbility, action: string, subjectType: string, field: string | undefined): AstNode | null {
  const and = (value: AstNode[]): AstNode => ({ operator: 'and', value });
  return rulesToCondition(
    ability.rulesFor(action, subjectType, field),
    (rule): AstNode => {
      if (!rule.ast) throw new UntranslatableRuleError(`a rule on ${subjectType} has no condition AST`);
      return rule.inverted ? { operator: 'not', value: [rule.ast] } : rule.ast;
    },
    { and, or: (value: AstNode[]): AstNode => ({ operator: 'or', value }), empty: () => and([]) },
  );
}

/**
 * The SQL condition that selects exactly the rows `ability.can(action, subject(subjectType, row))` allows (see
 * the header for the contract). Parameter names are unique across calls, so several conditions can share a query.
 */
export function sqlConditionFor(
  ability: AnyAbility,
  action: string,
  subjectType: string,
  columns: ColumnMap,
  options: SqlFilterOptions = {},
): SqlCondition {
  checkColumns(columns);
  const ast = astFor(ability, action, subjectType, options.field);
  if (!ast) return { sql: FALSE, params: {} };
  const compiler = new Compiler(columns, `authz${callSequence++}`);
  return { sql: compiler.compile(ast, true), params: compiler.params };
}

/** For TypeORM query builders: `qb.andWhere(accessibleBy(ability, 'read', 'Concern', CONCERN_COLUMNS))`. */
export function accessibleBy(
  ability: AnyAbility,
  action: string,
  subjectType: string,
  columns: ColumnMap,
  options: SqlFilterOptions = {},
): Brackets {
  const { sql, params } = sqlConditionFor(ability, action, subjectType, columns, options);
  return new Brackets((qb) => {
    qb.where(sql, params);
  });
}
