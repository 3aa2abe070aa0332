import Holidays from 'date-holidays';

/**
 * Working days and calendar months on the calendar of England and Wales, on ISO calendar dates (`YYYY-MM-DD`).
 *
 * A date here is a day, not an instant: it is carried as its string and computed on as a count of days, so no
 * time zone can move it across midnight. A working day is Monday to Friday and not a bank holiday of England and
 * Wales. The holidays come from `date-holidays` (country GB, region ENG, which is also the calendar of Wales), so
 * one-off holidays (a jubilee, a state funeral) and substitute days (Christmas on a Saturday moves to the Monday)
 * are the published ones; observances that are not days off (Mother's Day, Easter Sunday) are not holidays.
 */

/** An ISO 8601 calendar date, `YYYY-MM-DD`. */
export type IsoDate = string;

const DAY_MS = 24 * 3600_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const calendar = new Holidays('GB', 'ENG');
const holidaysByYear = new Map<number, ReadonlySet<IsoDate>>();

/** Days since 1970-01-01 of a valid ISO date; RangeError for anything else (2026-02-30 included). */
function dayNumber(date: IsoDate): number {
  const match = ISO_DATE.exec(date);
  if (!match) throw new RangeError(`${JSON.stringify(date)} is not a date in the form YYYY-MM-DD`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const time = Date.UTC(year, month - 1, day);
  const check = new Date(time);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new RangeError(`${date} is not a calendar date`);
  }
  return time / DAY_MS;
}

function isoOf(dayNo: number): IsoDate {
  return new Date(dayNo * DAY_MS).toISOString().slice(0, 10);
}

/** The bank holidays of England and Wales in `year`, substitute days included, in date order. */
export function bankHolidays(year: number): IsoDate[] {
  return [...holidaySet(year)].sort();
}

function holidaySet(year: number): ReadonlySet<IsoDate> {
  let set = holidaysByYear.get(year);
  if (!set) {
    // `date` is the holiday's own calendar day ("2021-12-27 00:00:00"), not an instant: no zone applies to it.
    const days = (calendar.getHolidays(year) || [])
      .filter((holiday) => holiday.type === 'public' || holiday.type === 'bank')
      .map((holiday) => holiday.date.slice(0, 10));
    set = new Set(days);
    holidaysByYear.set(year, set);
  }
  return set;
}

export function isBankHoliday(date: IsoDate): boolean {
  dayNumber(date);
  return holidaySet(Number(date.slice(0, 4))).has(date);
}

function isWorkingDayNumber(dayNo: number): boolean {
  const weekday = new Date(dayNo * DAY_MS).getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  const iso = isoOf(dayNo);
  return !holidaySet(Number(iso.slice(0, 4))).has(iso);
}

/** Monday to Friday, and not a bank holiday of England and Wales. */
export function isWorkingDay(date: IsoDate): boolean {
  return isWorkingDayNumber(dayNumber(date));
}

/**
 * The working day `count` working days after `date` (before it, for a negative count), not counting `date`
 * itself: "within 15 working days of" a Wednesday is the fifteenth working day after it. Zero answers `date`.
 */
export function addWorkingDays(date: IsoDate, count: number): IsoDate {
  if (!Number.isInteger(count)) throw new RangeError(`${count} is not a whole number of working days`);
  let dayNo = dayNumber(date);
  const step = count < 0 ? -1 : 1;
  for (let left = Math.abs(count); left > 0;) {
    dayNo += step;
    if (isWorkingDayNumber(dayNo)) left--;
  }
  return isoOf(dayNo);
}

/**
 * How many working days follow `from` up to and including `to` (negative when `to` is earlier, counting those
 * from `to` up to but excluding `from`): the inverse of `addWorkingDays`, so
 * `workingDaysBetween(d, addWorkingDays(d, n)) === n`.
 */
export function workingDaysBetween(from: IsoDate, to: IsoDate): number {
  const [start, end] = [dayNumber(from), dayNumber(to)];
  if (end < start) return -workingDaysBetween(to, from);
  let count = 0;
  for (let dayNo = start + 1; dayNo <= end; dayNo++) if (isWorkingDayNumber(dayNo)) count++;
  return count;
}

/**
 * The same day `count` calendar months later (earlier, for a negative count), or the last day of that month when
 * it is shorter: 31 January plus one month is 28 or 29 February, never a day in March.
 */
export function addMonths(date: IsoDate, count: number): IsoDate {
  if (!Number.isInteger(count)) throw new RangeError(`${count} is not a whole number of months`);
  dayNumber(date);
  const [year, month, day] = date.split('-').map(Number);
  const target = year * 12 + (month - 1) + count;
  const [targetYear, targetMonth] = [Math.floor(target / 12), target % 12];
  const lastDay = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  return isoOf(Date.UTC(targetYear, targetMonth, Math.min(day, lastDay)) / DAY_MS);
}

/** One formatter for every call: building an Intl.DateTimeFormat costs far more than formatting with it. */
const LONDON_DATE = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The calendar day an instant falls on in England and Wales (Europe/London, summer time included). */
export function dateInEnglandAndWales(instant: Date): IsoDate {
  const parts = LONDON_DATE.formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

const LONDON_HOUR = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', hourCycle: 'h23' });

/**
 * The instant a day's `hour` o'clock strikes in England and Wales. London is UTC or an hour ahead, and the
 * clocks change at 01:00 UTC, so the offset read at that hour taken as UTC is the day's offset at that hour.
 */
export function hourInEnglandAndWales(date: IsoDate, hour: number): Date {
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) throw new RangeError(`${hour} is not an hour of the day`);
  const asUtc = dayNumber(date) * DAY_MS + hour * 3_600_000;
  const londonHour = Number(LONDON_HOUR.format(asUtc));
  return new Date(asUtc - ((londonHour - hour + 24) % 24) * 3_600_000);
}
