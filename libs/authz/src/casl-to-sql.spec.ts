import { AbilityBuilder, createMongoAbility, MongoAbility } from '@casl/ability';
import { ColumnMap, sqlConditionFor, UntranslatableRuleError } from './casl-to-sql';

const COLUMNS: ColumnMap = {
  agencyId: { column: 'concern.agency_id', type: 'uuid' },
  tier: { column: 'concern.tier', type: 'text' },
  score: { column: 'concern.score', type: 'integer' },
  open: { column: 'concern.open', type: 'boolean' },
};
const AGENCY = '3f1c9a0e-7d2b-4c5e-8f6a-1b2c3d4e5f60';

function ability(define: (rules: AbilityBuilder<MongoAbility>) => void): MongoAbility {
  const rules = new AbilityBuilder<MongoAbility>(createMongoAbility);
  define(rules);
  return rules.build();
}

const compile = (subject: MongoAbility, columns: ColumnMap = COLUMNS) =>
  sqlConditionFor(subject, 'read', 'Concern', columns);

describe('CASL rules compiled to SQL', () => {
  it('denies everything when no rule speaks about the subject', () => {
    expect(compile(ability(({ can }) => can('read', 'Agency')))).toEqual({ sql: 'FALSE', params: {} });
  });

  it('denies everything when an unconditional cannot rule outranks every can rule', () => {
    const denied = ability(({ can, cannot }) => {
      can('read', 'Concern', { tier: 'STANDARD' });
      cannot('read', 'Concern');
    });
    expect(compile(denied).sql).toBe('FALSE');
  });

  it('allows everything for an unconditional can rule', () => {
    expect(compile(ability(({ can }) => can('read', 'Concern'))).sql).toBe('TRUE');
  });

  it('qualifies every column with its alias and passes every value as a parameter', () => {
    const { sql, params } = compile(
      ability(({ can }) => can('read', 'Concern', { agencyId: AGENCY, tier: 'STANDARD' })),
    );

    expect(sql).toMatch(/^\(\(concern\.agency_id = :authz\d+_0 AND concern\.agency_id IS NOT NULL\) AND /);
    expect(sql).toContain('concern.tier = :authz');
    expect(Object.values(params)).toEqual([AGENCY, 'STANDARD']);
  });

  it('gives every call its own parameter names, so several conditions can share one query', () => {
    const reader = ability(({ can }) => can('read', 'Concern', { tier: 'STANDARD' }));
    const [first, second] = [compile(reader), compile(reader)];

    expect(Object.keys(first.params)).not.toEqual(Object.keys(second.params));
  });

  it('treats NULL in comparisons as JavaScript does: null < 3 is true, null > 3 is false', () => {
    const below = compile(ability(({ can }) => can('read', 'Concern', { score: { $lt: 3 } })));
    const above = compile(ability(({ can }) => can('read', 'Concern', { score: { $gt: 3 } })));

    expect(below.sql).toMatch(/OR concern\.score IS NULL\)$/);
    expect(above.sql).toMatch(/AND concern\.score IS NOT NULL\)$/);
  });

  describe('refuses what it cannot translate exactly', () => {
    const refused = (reason: string, define: (rules: AbilityBuilder<MongoAbility>) => void, columns?: ColumnMap) =>
      it(reason, () => {
        expect(() => compile(ability(define), columns)).toThrow(UntranslatableRuleError);
      });

    refused('a field with no mapped column', ({ can }) => can('read', 'Concern', { authorId: AGENCY }));
    refused('a nested path', ({ can }) => can('read', 'Concern', { 'child.id': AGENCY }));
    refused('a regular expression', ({ can }) => can('read', 'Concern', { tier: { $regex: '^STAN' } }));
    refused('an array operator such as $size', ({ can }) => can('read', 'Concern', { tier: { $size: 1 } }));
    refused('ordering on text, whose collation differs from JavaScript', ({ can }) =>
      can('read', 'Concern', { tier: { $gt: 'M' } }),
    );
    refused('a value of the wrong type (JavaScript would coerce it)', ({ can }) =>
      can('read', 'Concern', { score: { $in: ['3'] } }),
    );
    refused('NaN', ({ can }) => can('read', 'Concern', { score: { $lte: NaN } }));
    refused('a uuid not in canonical lower case', ({ can }) =>
      can('read', 'Concern', { agencyId: AGENCY.toUpperCase() }),
    );
    refused('a string PostgreSQL cannot store as given', ({ can }) => can('read', 'Concern', { tier: 'A\u0000' }));
    refused(
      'a nested path in the column map, even before a rule uses it',
      ({ can }) => can('read', 'Concern', { tier: 'STANDARD' }),
      { ...COLUMNS, 'child.id': { column: 'child.id', type: 'uuid' } },
    );
  });

  it('refuses a column map entry that is not a plain alias-qualified column', () => {
    const reader = ability(({ can }) => can('read', 'Concern'));
    const injected: ColumnMap = { tier: { column: 'concern.tier; DROP TABLE concern', type: 'text' } };

    expect(() => compile(reader, injected)).toThrow(/alias-qualified/);
  });
});
