/**
 * Business-time arithmetic for case time limits (处置时限).
 *
 * Rules of the platform:
 * - Instants are `Date`s (UTC ms). Local dates and times are read at a fixed UTC offset in minutes,
 *   the district's (default 480, Asia/Shanghai; China has no daylight saving time). The machine's
 *   time zone is never used.
 * - `urgent_hours`: continuous hours. `natural_days`: value × 24 continuous hours.
 * - `work_hours`: counted only inside the work periods 08:00–12:00 and 14:00–18:00 local time on
 *   work days (see {@link HolidayCalendar}). Time outside a period does not count, so a start
 *   outside working time starts counting at the next period's opening.
 * - `work_days`: value × 8 hours on the `work_hours` clock: 1 work day from Monday 10:00 ends
 *   Tuesday 10:00, from Friday 17:00 (ordinary weekend) Monday 17:00.
 * - Values may be fractional. A deadline is a `Date`, so it is exact to the millisecond.
 */
import type { ClockType, TimeLimit } from '@wangge/domain';
import type { HolidayCalendar } from './holiday-calendar';
import { DAY_MS, DEFAULT_UTC_OFFSET_MINUTES, HOUR_MS, formatDayIndex, instantMs, offsetMs } from './local-time';

/** The daily work periods, as [opening, closing) local hours. */
export const WORK_PERIODS: readonly (readonly [number, number])[] = [
  [8, 12],
  [14, 18],
];

/** Work hours in one work day (`work_days` are counted as this many `work_hours`). */
export const WORK_DAY_HOURS = 8;

/** How many consecutive non-work days a scan for working time may meet before it gives up. */
export const MAX_NON_WORK_DAYS = 366;

/**
 * The deadline: `start` plus `limit` on the limit's clock, at the district's UTC offset.
 *
 * On the work clocks, a limit that runs out exactly at a period's closing ends then (12:00, not the
 * 14:00 opening after lunch; 18:00, not the next morning), and a limit of 0 returns `start`.
 * Throws a RangeError for a negative or non-finite value, an invalid `start` or offset, and an
 * Error when the calendar has no work day in {@link MAX_NON_WORK_DAYS} consecutive days.
 */
export function addTimeLimit(
  start: Date,
  limit: TimeLimit,
  calendar: HolidayCalendar,
  utcOffsetMinutes = DEFAULT_UTC_OFFSET_MINUTES,
): Date {
  const startMs = instantMs(start, 'start');
  const offset = offsetMs(utcOffsetMinutes);
  const { value, clockType } = limit;
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`time limit value must be a finite number >= 0, got ${value}`);
  }
  switch (clockType) {
    case 'urgent_hours':
      return toDate(startMs + value * HOUR_MS);
    case 'natural_days':
      return toDate(startMs + value * DAY_MS);
    case 'work_hours':
      return toDate(addWorkMs(startMs, value * HOUR_MS, calendar, offset));
    case 'work_days':
      return toDate(addWorkMs(startMs, value * WORK_DAY_HOURS * HOUR_MS, calendar, offset));
    default:
      return unknownClock(clockType);
  }
}

/**
 * Time on the clock between `start` and `end`, in the clock's unit: hours for `urgent_hours` and
 * `work_hours`, days for `work_days` (work hours / 8) and `natural_days` (hours / 24).
 * 0 when `end` is not after `start`. Used for handling times and for what is left of a limit.
 */
export function elapsedOnClock(
  start: Date,
  end: Date,
  clockType: ClockType,
  calendar: HolidayCalendar,
  utcOffsetMinutes = DEFAULT_UTC_OFFSET_MINUTES,
): number {
  return clockMsBetween(start, end, clockType, calendar, utcOffsetMinutes) / CLOCK_UNIT_MS[clockType];
}

/** One unit of each clock, in clock milliseconds: an hour, a work day (8 work hours), a day. */
const CLOCK_UNIT_MS: Record<ClockType, number> = {
  urgent_hours: HOUR_MS,
  work_hours: HOUR_MS,
  work_days: WORK_DAY_HOURS * HOUR_MS,
  natural_days: DAY_MS,
};

/**
 * What is left until `deadline` at `now`, in the clock's unit: positive before the deadline, 0 at
 * it, negative when overdue (by the clock time elapsed since the deadline).
 */
export function remaining(
  now: Date,
  deadline: Date,
  clockType: ClockType,
  calendar: HolidayCalendar,
  utcOffsetMinutes = DEFAULT_UTC_OFFSET_MINUTES,
): number {
  return instantMs(now, 'now') <= instantMs(deadline, 'deadline')
    ? elapsedOnClock(now, deadline, clockType, calendar, utcOffsetMinutes)
    : -elapsedOnClock(deadline, now, clockType, calendar, utcOffsetMinutes);
}

/**
 * Milliseconds on the clock between `start` and `end`: work milliseconds (inside the work periods of
 * work days) for `work_hours` and `work_days`, real milliseconds for `urgent_hours` and
 * `natural_days`. 0 when `end` is not after `start`. Exact integers for instants in whole
 * milliseconds, so shares of a limit compare exactly.
 */
export function clockMsBetween(
  start: Date,
  end: Date,
  clockType: ClockType,
  calendar: HolidayCalendar,
  utcOffsetMinutes = DEFAULT_UTC_OFFSET_MINUTES,
): number {
  const startMs = instantMs(start, 'start');
  const endMs = instantMs(end, 'end');
  if (endMs <= startMs) return 0;
  switch (clockType) {
    case 'urgent_hours':
    case 'natural_days':
      return endMs - startMs;
    case 'work_hours':
    case 'work_days':
      // Equal to the difference of the two readings (integer sums), without counting from the origin.
      return workMsBetween(startMs, endMs, calendar, offsetMs(utcOffsetMinutes));
    default:
      return unknownClock(clockType);
  }
}

/** The instant the work clocks' readings count from (2024-01-01 00:00 local). */
export const CLOCK_READING_EPOCH_DAY = Date.UTC(2024, 0, 1) / DAY_MS;

/**
 * The clock's reading at `at`, like an odometer: milliseconds on the clock since a fixed origin
 * (Unix time for the continuous clocks, {@link CLOCK_READING_EPOCH_DAY} for the work clocks; negative
 * before it). The clock time between two instants is the difference of their readings, so a
 * reading stored with a case lets SQL compare shares of limits with one reading of "now".
 */
export function clockReading(at: Date, clockType: ClockType, calendar: HolidayCalendar, utcOffsetMinutes = DEFAULT_UTC_OFFSET_MINUTES): number {
  const atMs = instantMs(at, 'at');
  const offset = offsetMs(utcOffsetMinutes);
  switch (clockType) {
    case 'urgent_hours':
    case 'natural_days':
      return atMs;
    case 'work_hours':
    case 'work_days':
      return workReading(atMs, calendar, offset);
    default:
      return unknownClock(clockType);
  }
}

/** Days after the origin up to which the work clocks' readings are looked up in a table. */
const READING_TABLE_DAYS = 40 * 366;

/**
 * Work milliseconds at the start of each local day since the origin, per calendar and offset (a
 * calendar is immutable: a changed one is a new object), so a reading costs a lookup and one day.
 */
const readingTables = new WeakMap<HolidayCalendar, Map<number, number[]>>();

function workReading(atMs: number, calendar: HolidayCalendar, offset: number): number {
  const epochMs = CLOCK_READING_EPOCH_DAY * DAY_MS - offset;
  const index = Math.floor((atMs + offset) / DAY_MS) - CLOCK_READING_EPOCH_DAY;
  if (index < 0 || index > READING_TABLE_DAYS) {
    return atMs >= epochMs ? workMsBetween(epochMs, atMs, calendar, offset) : -workMsBetween(atMs, epochMs, calendar, offset);
  }
  let byOffset = readingTables.get(calendar);
  if (!byOffset) readingTables.set(calendar, (byOffset = new Map()));
  let table = byOffset.get(offset);
  if (!table) byOffset.set(offset, (table = [0]));
  while (table.length <= index) {
    const day = CLOCK_READING_EPOCH_DAY + table.length - 1;
    table.push(table[table.length - 1] + workMsBetween(day * DAY_MS - offset, (day + 1) * DAY_MS - offset, calendar, offset));
  }
  const dayStartMs = (CLOCK_READING_EPOCH_DAY + index) * DAY_MS - offset;
  return table[index] + (atMs > dayStartMs ? workMsBetween(dayStartMs, atMs, calendar, offset) : 0);
}

/** A Date at the millisecond nearest to `ms`. */
function toDate(ms: number): Date {
  return new Date(Math.round(ms));
}

function unknownClock(clockType: never): never {
  throw new RangeError(`unknown clock type ${JSON.stringify(clockType)}`);
}

/** The UTC ms at which `amount` work ms after `startMs` have passed. Steps by period, day by day. */
function addWorkMs(startMs: number, amount: number, calendar: HolidayCalendar, offset: number): number {
  if (amount === 0) return startMs;
  let left = amount;
  let cursor = startMs + offset;
  let day = Math.floor(cursor / DAY_MS);
  let nonWorkDays = 0;
  for (;;) {
    if (calendar.isWorkDay(formatDayIndex(day))) {
      nonWorkDays = 0;
      for (const [opening, closing] of WORK_PERIODS) {
        const from = Math.max(cursor, day * DAY_MS + opening * HOUR_MS);
        const to = day * DAY_MS + closing * HOUR_MS;
        if (from >= to) continue;
        if (left <= to - from) return from + left - offset;
        left -= to - from;
      }
    } else if (++nonWorkDays >= MAX_NON_WORK_DAYS) {
      throw new Error(
        `no work day in the ${MAX_NON_WORK_DAYS} days up to ${formatDayIndex(day)}: the holiday calendar marks too many days off`,
      );
    }
    day += 1;
    cursor = day * DAY_MS;
  }
}

/** Work ms inside the work periods between two UTC instants (`startMs` < `endMs`). */
function workMsBetween(startMs: number, endMs: number, calendar: HolidayCalendar, offset: number): number {
  const from = startMs + offset;
  const to = endMs + offset;
  let total = 0;
  for (let day = Math.floor(from / DAY_MS); day * DAY_MS < to; day += 1) {
    if (!calendar.isWorkDay(formatDayIndex(day))) continue;
    for (const [opening, closing] of WORK_PERIODS) {
      total += Math.max(0, Math.min(to, day * DAY_MS + closing * HOUR_MS) - Math.max(from, day * DAY_MS + opening * HOUR_MS));
    }
  }
  return total;
}
