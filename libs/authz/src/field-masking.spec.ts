import { AbilityBuilder, createMongoAbility, MongoAbility } from '@casl/ability';
import { maskFields, permittedFields } from './field-masking';

interface Person {
  id: string;
  agencyId: string;
  name: string;
  address: string | null;
  identifierNhs: string | null;
  identifierUpn: string | null;
}

const FIELD_RULED = ['name', 'address', 'identifierNhs', 'identifierUpn'] as const;

function person(agencyId: string): Person {
  return {
    id: `p-${agencyId}`,
    agencyId,
    name: 'Sam',
    address: '1 High St',
    identifierNhs: '943',
    identifierUpn: 'A1',
  };
}

function ability(define: (rules: AbilityBuilder<MongoAbility>) => void): MongoAbility {
  const rules = new AbilityBuilder<MongoAbility>(createMongoAbility);
  define(rules);
  return rules.build();
}

describe('field masking', () => {
  it('withholds a field the actor may only see on some rows, deciding row by row', () => {
    const reader = ability(({ can }) => {
      can('read', 'Person', ['name']);
      can('read', 'Person', ['address'], { agencyId: 'own' });
    });

    expect(maskFields(reader, 'read', 'Person', person('own'), FIELD_RULED)).toEqual({
      ...person('own'),
      identifierNhs: null,
      identifierUpn: null,
    });
    expect(maskFields(reader, 'read', 'Person', person('other'), FIELD_RULED)).toEqual({
      ...person('other'),
      address: null,
      identifierNhs: null,
      identifierUpn: null,
    });
  });

  it('lets a later cannot rule hide one field of an otherwise visible row, including by field pattern', () => {
    const reader = ability(({ can, cannot }) => {
      can('read', 'Person');
      cannot('read', 'Person', ['identifier*']);
      cannot('read', 'Person', ['address'], { agencyId: 'other' });
    });

    expect(permittedFields(reader, 'read', 'Person', person('own'), FIELD_RULED)).toEqual(new Set(['name', 'address']));
    expect(permittedFields(reader, 'read', 'Person', person('other'), FIELD_RULED)).toEqual(new Set(['name']));
  });

  it('nulls every listed field of a row the actor may not read at all, and leaves unlisted fields alone', () => {
    const stranger = ability(() => undefined);

    expect(maskFields(stranger, 'read', 'Person', person('own'), FIELD_RULED)).toEqual({
      id: 'p-own',
      agencyId: 'own',
      name: null,
      address: null,
      identifierNhs: null,
      identifierUpn: null,
    });
  });

  it('returns a copy with the same prototype and leaves the loaded row untouched', () => {
    class PersonRow {
      constructor(
        readonly agencyId: string,
        readonly address: string | null,
      ) {}
      get label(): string {
        return `person of ${this.agencyId}`;
      }
    }
    const reader = ability(({ can }) => can('read', 'Person', ['agencyId']));
    const row = new PersonRow('own', '1 High St');

    const masked = maskFields(reader, 'read', 'Person', row, ['address']);

    expect(masked).toBeInstanceOf(PersonRow);
    expect(masked.address).toBeNull();
    expect(masked.label).toBe('person of own');
    expect(row.address).toBe('1 High St');
    expect(Object.keys(row)).toEqual(['agencyId', 'address']);
  });
});
