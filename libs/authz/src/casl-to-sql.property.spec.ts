import { buildMongoQueryMatcher, createMongoAbility, MongoAbility, RawRuleOf, subject } from '@casl/ability';
import { $and, $nor, $not, $or, and, nor, not, or } from '@ucast/mongo2js';
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { createTestDatabase, TestDatabase } from '../../testing/src/test-database';
import { accessibleBy, ColumnMap, sqlConditionFor } from './casl-to-sql';

/**
 * The SQL filter is checked against CASL itself: for random rule sets and random rows in real PostgreSQL, the
 * rows the filter returns are exactly those `ability.can('read', subject('Row', row))` allows.
 */

type Ability = MongoAbility;
type Row = {
  id: number;
  name: string | null;
  score: number | null;
  active: boolean;
  owner: string | null;
  kind: string | null;
};

const COLUMNS: ColumnMap = {
  name: { column: 'r.name', type: 'text' },
  score: { column: 'r.score', type: 'integer' },
  active: { column: 'r.active', type: 'boolean' },
  owner: { column: 'r.owner', type: 'uuid' },
  kind: { column: 'r.kind', type: 'text' },
};

const UUIDS = [
  '00000000-0000-4000-8000-000000000001',
  '7f2c1a9e-3b4d-4e5f-9a0b-1c2d3e4f5a6b',
  'ffffffff-ffff-4fff-bfff-ffffffffffff',
];
// Case, trailing space, composed and decomposed accents, quotes and the characters of array literals.
const TEXTS = ['', 'a', 'A', 'b', 'a ', '\u00e9', 'e\u0301', "o'k", '{x,"y"}', 'NULL'];
const KINDS = ['SCHOOL', 'POLICE', 'HEALTH'];
const ROW_SCORES = [-3, -2, -1, 0, 1, 2, 3, 4, 2147483647, -2147483648];

const nullable = <T>(value: fc.Arbitrary<T>) => fc.option(value, { nil: null, freq: 4 });
// Whole and fractional bounds near the row values, negative zero, and bounds beyond any integer column.
const integerBound = fc.oneof(
  fc.integer({ min: -4, max: 5 }),
  fc.constantFrom(-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, -0),
  fc.constantFrom(1e10, -1e10, 2 ** 53 + 2, Infinity, -Infinity, Number.MAX_VALUE),
);

type Operators = Record<string, unknown>;

/** Field conditions a CASL rule may hold on one column: a plain value or one or two operators. */
function fieldCondition(value: fc.Arbitrary<unknown>, ordered: boolean, negatable: boolean): fc.Arbitrary<unknown> {
  const entries: fc.WeightedArbitrary<[string, unknown]>[] = [
    { arbitrary: fc.tuple(fc.constantFrom('$eq', '$ne'), nullable(value)), weight: 3 },
    { arbitrary: fc.tuple(fc.constantFrom('$in', '$nin'), fc.array(nullable(value), { maxLength: 3 })), weight: 2 },
    { arbitrary: fc.tuple(fc.constant('$exists'), fc.boolean()), weight: 1 },
  ];
  if (ordered) {
    entries.push({ arbitrary: fc.tuple(fc.constantFrom('$lt', '$lte', '$gt', '$gte'), integerBound), weight: 4 });
  }
  const operators = fc
    .array(fc.oneof(...entries), { minLength: 1, maxLength: 2 })
    .map((list): Operators => Object.fromEntries(list));
  const options: fc.Arbitrary<unknown>[] = [nullable(value), operators];
  if (negatable) options.push(operators.map((inner) => ({ $not: inner })));
  return fc.oneof(...options);
}

function fieldConditions(logical: boolean): fc.Arbitrary<Record<string, unknown>> {
  // Integers carry most of the matcher's quirks (NULL ordering, fractional bounds), so they come up most often.
  const byField: [string, fc.Arbitrary<unknown>, number][] = [
    ['name', fieldCondition(fc.constantFrom(...TEXTS), false, logical), 1],
    ['score', fieldCondition(integerBound, true, logical), 3],
    ['active', fieldCondition(fc.boolean(), false, logical), 1],
    ['owner', fieldCondition(fc.constantFrom(...UUIDS), false, logical), 1],
    ['kind', fieldCondition(fc.constantFrom(...KINDS), false, logical), 1],
  ];
  const entry = fc.oneof(
    ...byField.map(([field, condition, weight]) => ({
      arbitrary: condition.map((value) => [field, value] as const),
      weight,
    })),
  );
  return fc.array(entry, { minLength: 1, maxLength: 2 }).map((entries) => Object.fromEntries(entries));
}

/** With the logical operators enabled, conditions nest $and / $or / $nor two levels deep. */
function conditions(logical: boolean): fc.Arbitrary<Record<string, unknown>> {
  if (!logical) return fieldConditions(false);
  const { node } = fc.letrec((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fieldConditions(true),
      fc
        .tuple(fc.constantFrom('$and', '$or', '$nor'), fc.array(tie('node'), { minLength: 1, maxLength: 3 }))
        .map(([operator, children]) => ({ [operator]: children })),
    ),
  }));
  return node as fc.Arbitrary<Record<string, unknown>>;
}

function rules(logical: boolean): fc.Arbitrary<RawRuleOf<Ability>[]> {
  const rule = fc.record(
    {
      action: fc.constantFrom('read', 'read', 'read', 'read', 'update', 'manage'),
      subject: fc.constantFrom('Row', 'Row', 'Row', 'Row', 'all', 'Other'),
      inverted: fc.constantFrom(false, false, false, true, true),
      conditions: fc.option(conditions(logical), { nil: undefined, freq: 4 }),
      fields: fc.option(fc.constantFrom(['name'], ['score', 'active'], ['own*']), { nil: undefined, freq: 2 }),
    },
    { noNullPrototype: true },
  );
  return fc.array(rule, { minLength: 1, maxLength: 6 }) as fc.Arbitrary<RawRuleOf<Ability>[]>;
}

const logicalMatcher = buildMongoQueryMatcher({ $and, $or, $nor, $not }, { and, or, nor, not });

function abilityOf(raw: RawRuleOf<Ability>[], logical: boolean): Ability {
  return createMongoAbility(raw, logical ? { conditionsMatcher: logicalMatcher } : {});
}

const rowsArbitrary = fc
  .array(
    fc.record({
      name: nullable(fc.constantFrom(...TEXTS)),
      score: nullable(fc.oneof({ arbitrary: fc.constantFrom(...ROW_SCORES), weight: 6 }, fc.integer())),
      active: fc.boolean(),
      owner: nullable(fc.constantFrom(...UUIDS)),
      kind: nullable(fc.constantFrom(...KINDS)),
    }),
    { minLength: 1, maxLength: 20 },
  )
  .map((rows): Row[] => rows.map((row, id) => ({ id, ...row })));

const scenario = fc.boolean().chain((logical) =>
  fc.record({
    logical: fc.constant(logical),
    first: rules(logical),
    second: rules(logical),
    field: fc.constantFrom(undefined, undefined, 'name', 'score', 'owner'),
    rows: rowsArbitrary,
  }),
);

interface Backend {
  dataSource: DataSource;
  close(): Promise<void>;
}

/** The servers here run PostgreSQL 15; the embedded default is PGlite (PostgreSQL 18). The filter must hold on both. */
const backends: [string, () => Promise<Backend>][] = [
  [
    'PostgreSQL server',
    async () => {
      const database: TestDatabase = await createTestDatabase();
      const dataSource = await new DataSource({ type: 'postgres', url: database.url }).initialize();
      return { dataSource, close: () => dataSource.destroy().then(() => database.drop()) };
    },
  ],
  [
    'embedded PGlite',
    async () => {
      const [{ PGlite }, { createPgConfig }] = await Promise.all([
        import('@electric-sql/pglite'),
        import('@electric-sql/pglite/node-postgres'),
      ]);
      const pglite = await PGlite.create();
      const dataSource = await new DataSource({ type: 'postgres', extra: createPgConfig(pglite) }).initialize();
      return { dataSource, close: () => dataSource.destroy().then(() => pglite.close()) };
    },
  ],
];

describe.each(backends)('CASL rules compiled to SQL on %s', (_, open) => {
  let backend: Backend;
  let dataSource: DataSource;

  beforeAll(async () => {
    backend = await open();
    dataSource = backend.dataSource;
    await dataSource.query(`CREATE TYPE authz_kind AS ENUM ('SCHOOL', 'POLICE', 'HEALTH')`);
    await dataSource.query(
      `CREATE TABLE authz_row (id int PRIMARY KEY, name text, score int, active boolean NOT NULL, owner uuid,
        kind authz_kind)`,
    );
  });

  afterAll(() => backend?.close());

  async function replaceRows(rows: Row[]): Promise<void> {
    await dataSource.query('DELETE FROM authz_row');
    const values = rows.map(
      (_, i) => `($${i * 6 + 1}, $${i * 6 + 2}, $${i * 6 + 3}, $${i * 6 + 4}, $${i * 6 + 5}, $${i * 6 + 6})`,
    );
    const params = rows.flatMap((row) => [row.id, row.name, row.score, row.active, row.owner, row.kind]);
    await dataSource.query(
      `INSERT INTO authz_row (id, name, score, active, owner, kind) VALUES ${values.join(', ')}`,
      params,
    );
  }

  const allowed = (ability: Ability, rows: Row[], field: string | undefined) =>
    rows.filter((row) => ability.can('read', subject('Row', { ...row }), field)).map((row) => row.id);

  it('selects exactly the rows ability.can allows, for 500 random rule sets and row sets', async () => {
    let discriminating = 0;
    await fc.assert(
      fc.asyncProperty(scenario, async ({ logical, first, second, field, rows }) => {
        const [a, b] = [abilityOf(first, logical), abilityOf(second, logical)];
        const allowedA = allowed(a, rows, field);
        if (allowedA.length > 0 && allowedA.length < rows.length) discriminating++;
        await replaceRows(rows);

        // Through a query builder with an alias and a WHERE of its own, as services use it.
        const filtered = await dataSource
          .createQueryBuilder()
          .select('r.id', 'id')
          .from('authz_row', 'r')
          .where('r.id >= :lowest', { lowest: 0 })
          .andWhere(accessibleBy(a, 'read', 'Row', COLUMNS, { field }))
          .orderBy('r.id')
          .getRawMany<{ id: number }>();
        expect(filtered.map((row) => row.id)).toEqual(allowedA);

        // Two conditions in one statement keep their parameters apart, and neither is ever NULL.
        const condA = sqlConditionFor(a, 'read', 'Row', COLUMNS, { field });
        const condB = sqlConditionFor(b, 'read', 'Row', COLUMNS, { field });
        const verdicts = await dataSource
          .createQueryBuilder()
          .select('r.id', 'id')
          .addSelect(`(${condA.sql})`, 'a')
          .addSelect(`(NOT ${condB.sql})`, 'not_b')
          .from('authz_row', 'r')
          .setParameters({ ...condA.params, ...condB.params })
          .orderBy('r.id')
          .getRawMany<{ id: number; a: boolean | null; not_b: boolean | null }>();
        const allowedB = new Set(allowed(b, rows, field));
        expect(verdicts).toEqual(
          rows.map((row) => ({ id: row.id, a: allowed(a, [row], field).length === 1, not_b: !allowedB.has(row.id) })),
        );
      }),
      { numRuns: 500 },
    );
    // Guards the generator: a property that mostly sees "allow all" or "allow none" proves little.
    expect(discriminating).toBeGreaterThan(50);
  }, 60_000);
});
