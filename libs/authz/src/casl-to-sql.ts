import type { AnyAbility } from '@casl/ability';
import { rulesToAST } from '@casl/ability/extra';
import { Brackets } from 'typeorm';

/**
 * The fields a subject's rules may mention, each mapped to an alias-qualified SQL column
 * (e.g. `{ sensitivity: 'concern.sensitivity' }`). Anything else in a rule is refused rather than guessed at.
 */
export type ColumnMap = Readonly<Record<string, string>>;

export interface SqlCondition {
  sql: string;
  params: Record<string, unknown>;
}

interface AstNode {
  operator: string;
  field?: string;
  value: unknown;
}

/** A rule uses something the compiler cannot translate faithfully; failing loudly beats a silent leak. */
export class UntranslatableRuleError extends Error {}

const DENY = 'FALSE';
const ALLOW = 'TRUE';
const COMPARISONS: Record<string, string> = { lt: '<', lte: '<=', gt: '>', gte: '>=' };

let callSequence = 0;

class Compiler {
  readonly params: Record<string, unknown> = {};
  private count = 0;

  constructor(
    private readonly columns: ColumnMap,
    private readonly prefix: string,
  ) {}

  private param(value: unknown): string {
    const name = `${this.prefix}_${this.count++}`;
    this.params[name] = value;
    return `:${name}`;
  }

  private column(field: string | undefined): string {
    if (field === undefined || !Object.prototype.hasOwnProperty.call(this.columns, field)) {
      throw new UntranslatableRuleError(`rule field "${field}" is not mapped to a column`);
    }
    return this.columns[field];
  }

  /**
   * Every leaf is two-valued (never SQL NULL), so NOT and OR behave exactly as CASL's in-memory matcher does on
   * rows with NULL columns: `x = 1` becomes `x IS NOT DISTINCT FROM 1`, `x IN (...)` is coalesced to false.
   */
  compile(node: AstNode): string {
    switch (node.operator) {
      case 'and':
      case 'or': {
        const parts = (node.value as AstNode[]).map((child) => this.compile(child));
        if (parts.length === 0) return node.operator === 'and' ? ALLOW : DENY;
        return `(${parts.join(node.operator === 'and' ? ' AND ' : ' OR ')})`;
      }
      case 'not': {
        const inner = node.value as AstNode[] | AstNode;
        const children = Array.isArray(inner) ? inner : [inner];
        return `(NOT ${this.compile({ operator: 'and', value: children })})`;
      }
      case 'eq':
        return `(${this.column(node.field)} IS NOT DISTINCT FROM ${this.param(node.value)})`;
      case 'ne':
        return `(${this.column(node.field)} IS DISTINCT FROM ${this.param(node.value)})`;
      case 'in':
      case 'nin': {
        const values = node.value as unknown[];
        if (!Array.isArray(values)) throw new UntranslatableRuleError(`$${node.operator} needs an array`);
        const column = this.column(node.field);
        const nonNull = values.filter((v) => v !== null);
        const parts: string[] = [];
        if (nonNull.length > 0) parts.push(`COALESCE(${column} = ANY(${this.param(nonNull)}), FALSE)`);
        if (nonNull.length !== values.length) parts.push(`${column} IS NULL`);
        const member = parts.length === 0 ? DENY : `(${parts.join(' OR ')})`;
        return node.operator === 'in' ? member : `(NOT ${member})`;
      }
      case 'lt':
      case 'lte':
      case 'gt':
      case 'gte':
        if (node.value === null || node.value === undefined) {
          throw new UntranslatableRuleError(`$${node.operator} with null is not supported`);
        }
        return `COALESCE(${this.column(node.field)} ${COMPARISONS[node.operator]} ${this.param(node.value)}, FALSE)`;
      case 'exists':
        return node.value
          ? `(${this.column(node.field)} IS NOT NULL)`
          : `(${this.column(node.field)} IS NULL)`;
      default:
        throw new UntranslatableRuleError(`operator "${node.operator}" is not supported in SQL rules`);
    }
  }
}

/**
 * The SQL condition that selects exactly the rows `ability.can(action, subject(row))` allows. No rules means
 * deny (`FALSE`); an unconditional rule means `TRUE`. `cannot` rules are folded in by CASL's rulesToAST.
 */
export function sqlConditionFor(ability: AnyAbility, action: string, subjectType: string, columns: ColumnMap): SqlCondition {
  const ast = rulesToAST(ability, action, subjectType) as AstNode | null;
  if (!ast) return { sql: DENY, params: {} };
  const compiler = new Compiler(columns, `authz${callSequence++}`);
  return { sql: compiler.compile(ast), params: compiler.params };
}

/** For TypeORM query builders: `qb.andWhere(accessibleBy(ability, 'read', 'Concern', CONCERN_COLUMNS))`. */
export function accessibleBy(ability: AnyAbility, action: string, subjectType: string, columns: ColumnMap): Brackets {
  const { sql, params } = sqlConditionFor(ability, action, subjectType, columns);
  return new Brackets((qb) => {
    qb.where(sql, params);
  });
}
