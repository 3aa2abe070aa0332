import { isUuid } from '../database/postgres';
import { BadUserInputError } from '../common/errors';

/**
 * A position in a child's chronology, which is ordered newest first by (occurred_at, id): when something
 * happened, not when it was written down, so a late entry about an earlier event sits where it belongs.
 * The instant is kept as PostgreSQL printed it (microseconds), since a JS Date would round it to milliseconds
 * and skip or repeat entries at a page boundary.
 */
export interface ConcernPosition {
  occurredAt: string;
  id: string;
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/**
 * The shape alone admits "2026-13-45T99:99:99", which PostgreSQL refuses to cast (an internal error, not the
 * client's bad input): the instant must also be a real one, the same when read back, from year 1 on.
 */
function isRealInstant(instant: string): boolean {
  if (!INSTANT.test(instant) || instant.startsWith('0000')) return false;
  const date = new Date(`${instant.slice(0, 23)}Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 19) === instant.slice(0, 19);
}

/** SQL for the cursor form of `occurred_at` (UTC, microseconds), given the column expression. */
export const cursorInstantSql = (column: string): string =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export function encodeConcernCursor(position: ConcernPosition): string {
  return Buffer.from(JSON.stringify([position.occurredAt, position.id])).toString('base64url');
}

/** Cursors are opaque to clients; one that was not issued by us is bad input, named as the argument `after`. */
export function decodeConcernCursor(cursor: string): ConcernPosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 2 ||
    typeof parsed[0] !== 'string' ||
    typeof parsed[1] !== 'string' ||
    !isRealInstant(parsed[0]) ||
    !isUuid(parsed[1])
  ) {
    throw new BadUserInputError('after is not a cursor of this list', 'after');
  }
  return { occurredAt: parsed[0], id: parsed[1] };
}
