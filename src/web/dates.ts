/**
 * Dates as people in England read and enter them: the pages show and take local (London) time, the API speaks
 * UTC instants (DateTime) and calendar dates (Date).
 */
import { dateInEnglandAndWales } from '../../libs/working-days/src';

const ZONE = 'Europe/London';

const dateFormat = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, day: 'numeric', month: 'long', year: 'numeric' });
const timeFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: ZONE,
  hour: 'numeric',
  minute: '2-digit',
  hour12: true,
});
const calendarFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});

/** "18 September 2026 at 4:20pm", GOV.UK style. */
export function dateTimeText(instant: string): string {
  const at = new Date(instant);
  return `${dateFormat.format(at)} at ${timeFormat.format(at).replace(' ', '').toLowerCase()}`;
}

/** A calendar date (YYYY-MM-DD) as "1 May 2012". */
export function calendarDateText(date: string): string {
  return calendarFormat.format(new Date(`${date}T00:00:00Z`));
}

/** An instant's London date and time, in the numbers a GOV.UK date input and the time fields show. */
const partsFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** How far London is ahead of UTC at an instant, in milliseconds. */
function londonOffset(utcMs: number): number {
  const parts = partsFormat.formatToParts(new Date(utcMs));
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute')) - utcMs;
}

const whole = (value: unknown) => (typeof value === 'string' && /^\s*\d{1,4}\s*$/.test(value) ? Number(value) : NaN);

/**
 * The instant of a GOV.UK date input and a time (London local), or null when the parts do not make a real date
 * and time: the API then answers that the instant is missing, as it does for any required value not given.
 */
export function instantFrom(parts: {
  day?: unknown;
  month?: unknown;
  year?: unknown;
  hour?: unknown;
  minute?: unknown;
}): string | null {
  const [day, month, year, hour, minute] = [parts.day, parts.month, parts.year, parts.hour, parts.minute].map(whole);
  if ([day, month, year, hour, minute].some(Number.isNaN) || year < 1000 || hour > 23 || minute > 59) return null;
  const local = Date.UTC(year, month - 1, day, hour, minute);
  const check = new Date(local);
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) return null;
  const utc = local - londonOffset(local - londonOffset(local));
  return new Date(utc).toISOString();
}

/**
 * The calendar date (YYYY-MM-DD) of a GOV.UK date input: undefined when it was left empty, null when its parts
 * do not make a real date.
 */
export function calendarDateFrom(parts: { day?: unknown; month?: unknown; year?: unknown }): string | null | undefined {
  const given = [parts.day, parts.month, parts.year];
  if (given.every((part) => typeof part !== 'string' || part.trim() === '')) return undefined;
  const [day, month, year] = given.map(whole);
  if ([day, month, year].some(Number.isNaN) || year < 1000) return null;
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) return null;
  return check.toISOString().slice(0, 10);
}

/** An instant's parts in London, as a GOV.UK date input and the time fields show them. */
export function londonParts(instant: string): Record<'day' | 'month' | 'year' | 'hour' | 'minute', string> {
  const parts = partsFormat.formatToParts(new Date(instant));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { day: part('day'), month: part('month'), year: part('year'), hour: part('hour'), minute: part('minute') };
}

/** Today's calendar date in England (YYYY-MM-DD). */
export function todayInEngland(): string {
  return dateInEnglandAndWales(new Date());
}
