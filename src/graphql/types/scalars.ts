import { GraphQLError, GraphQLScalarType, Kind, ValueNode } from 'graphql';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseDate(value: unknown): string {
  if (typeof value !== 'string') throw new GraphQLError('Date must be a string YYYY-MM-DD');
  const match = DATE.exec(value);
  if (!match) throw new GraphQLError(`"${value.slice(0, 40)}" is not a date in the form YYYY-MM-DD`);
  if (!isCalendarDay(value)) throw new GraphQLError(`${value} is not a calendar date`);
  return value;
}

/** `YYYY-MM-DD...` names a day that exists (JavaScript would roll 2026-02-30 over to 2 March). */
function isCalendarDay(value: string): boolean {
  const [y, m, d] = value.slice(0, 10).split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/**
 * A calendar date with no time or zone (a date of birth, a statutory due date). Carried as the string
 * YYYY-MM-DD end to end: converting it to an instant would shift it across midnight in some zones.
 */
export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'ISO 8601 calendar date, YYYY-MM-DD',
  serialize: (value) => {
    // node-postgres reads a `date` column in a raw query as local midnight of that day: format it in local time,
    // or every date would move back a day on a server east of UTC.
    if (value instanceof Date) {
      const pad = (n: number) => String(n).padStart(2, '0');
      return `${String(value.getFullYear()).padStart(4, '0')}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`;
    }
    return parseDate(value);
  },
  parseValue: parseDate,
  parseLiteral: (ast: ValueNode) => {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('Date must be a string YYYY-MM-DD');
    return parseDate(ast.value);
  },
});

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function parseInstant(value: unknown): Date {
  if (typeof value !== 'string' || !INSTANT.test(value) || !isCalendarDay(value) || Number.isNaN(Date.parse(value))) {
    throw new GraphQLError('DateTime must be an ISO 8601 instant with a zone, e.g. 2026-11-22T09:30:00Z');
  }
  return new Date(value);
}

/** An instant, always answered in UTC. Input must carry a zone so no server-local time creeps in. */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'ISO 8601 instant, UTC',
  serialize: (value) => {
    const date = value instanceof Date ? value : new Date(String(value));
    if (Number.isNaN(date.getTime())) throw new GraphQLError('DateTime cannot represent an invalid date');
    return date.toISOString();
  },
  parseValue: parseInstant,
  parseLiteral: (ast: ValueNode) => {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('DateTime must be a string');
    return parseInstant(ast.value);
  },
});
