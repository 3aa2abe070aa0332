import { Kind, StringValueNode, IntValueNode } from 'graphql';
import { DateScalar, DateTimeScalar } from './scalars';

const literal = (value: string): StringValueNode => ({ kind: Kind.STRING, value });
const integer: IntValueNode = { kind: Kind.INT, value: '20260615' };

describe('the Date scalar (a calendar day, no time or zone)', () => {
  it('accepts a real calendar date as YYYY-MM-DD and keeps it as that string', () => {
    expect(DateScalar.parseValue('2024-02-29')).toBe('2024-02-29');
    expect(DateScalar.parseLiteral(literal('2026-06-15'))).toBe('2026-06-15');
  });

  it.each(['2026-02-29', '2026-13-01', '2026-04-31', '2026-6-15', '15/06/2026', '2026-06-15T00:00:00Z', ''])(
    'refuses %p',
    (value) => {
      expect(() => DateScalar.parseValue(value)).toThrow();
    },
  );

  it('refuses anything but a string', () => {
    expect(() => DateScalar.parseValue(20260615)).toThrow();
    expect(() => DateScalar.parseLiteral(integer)).toThrow();
  });

  it('answers the day a database `date` was read as, whatever the server time zone', () => {
    const zone = process.env.TZ;
    try {
      for (const tz of ['UTC', 'Europe/London', 'Pacific/Auckland', 'America/Los_Angeles']) {
        process.env.TZ = tz;
        // node-postgres reads a `date` column as local midnight of that day.
        expect(DateScalar.serialize(new Date(2026, 5, 15))).toBe('2026-06-15');
      }
    } finally {
      process.env.TZ = zone;
    }
  });

  it('answers a stored string unchanged, and refuses to answer a malformed one', () => {
    expect(DateScalar.serialize('2026-06-15')).toBe('2026-06-15');
    expect(() => DateScalar.serialize('2026-06-31')).toThrow();
  });
});

describe('the DateTime scalar (an instant, answered in UTC)', () => {
  it('accepts an ISO 8601 instant with a zone', () => {
    expect((DateTimeScalar.parseValue('2026-11-22T09:30:00Z') as Date).toISOString()).toBe('2026-11-22T09:30:00.000Z');
    expect((DateTimeScalar.parseValue('2026-06-15T10:30:00+01:00') as Date).toISOString()).toBe(
      '2026-06-15T09:30:00.000Z',
    );
    expect((DateTimeScalar.parseLiteral(literal('2026-11-22T09:30Z')) as Date).toISOString()).toBe(
      '2026-11-22T09:30:00.000Z',
    );
  });

  it.each(['2026-11-22T09:30:00', '2026-11-22', 'yesterday', '2026-11-22 09:30:00Z', '2026-02-30T09:30:00Z'])(
    'refuses %p: not an instant with a zone',
    (value) => {
      expect(() => DateTimeScalar.parseValue(value)).toThrow();
    },
  );

  it('refuses anything but a string', () => {
    expect(() => DateTimeScalar.parseValue(1763803800000)).toThrow();
    expect(() => DateTimeScalar.parseLiteral(integer)).toThrow();
  });

  it('answers in UTC', () => {
    expect(DateTimeScalar.serialize(new Date('2026-06-15T10:30:00+01:00'))).toBe('2026-06-15T09:30:00.000Z');
  });

  it('refuses to answer an invalid date', () => {
    expect(() => DateTimeScalar.serialize(new Date(Number.NaN))).toThrow();
  });
});
