/**
 * Local dates from UTC instants at a fixed UTC offset.
 *
 * The platform never reads the machine's time zone: every local date or time is the UTC instant
 * shifted by the district's offset in minutes (China has no daylight saving time, so one offset
 * holds all year). Internally a local time is "local ms": UTC ms + offset, read with the `getUTC*`
 * accessors; a local day is its index `floor(localMs / DAY_MS)` since 1970-01-01.
 */

/** Asia/Shanghai: UTC+8. */
export const DEFAULT_UTC_OFFSET_MINUTES = 480;

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

const LOCAL_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The offset in ms; throws a RangeError unless it is whole minutes within UTC-12:00..UTC+14:00. */
export function offsetMs(utcOffsetMinutes: number): number {
  if (!Number.isInteger(utcOffsetMinutes) || utcOffsetMinutes < -720 || utcOffsetMinutes > 840) {
    throw new RangeError(`utcOffsetMinutes must be whole minutes between -720 and 840, got ${utcOffsetMinutes}`);
  }
  return utcOffsetMinutes * MINUTE_MS;
}

/** The instant's UTC ms; throws a RangeError for an invalid Date. */
export function instantMs(instant: Date, what = 'instant'): number {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`${what} is an invalid Date`);
  return ms;
}

/** 'YYYY-MM-DD' of a local day index. */
export function formatDayIndex(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The local day index of 'YYYY-MM-DD'; null unless it is a real calendar date (2026-02-30 is not). */
export function localDayOfDate(text: string): number | null {
  const match = LOCAL_DATE_PATTERN.exec(text);
  if (!match) return null;
  const day = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / DAY_MS;
  return formatDayIndex(day) === text ? day : null;
}

/** The local day index of a 'YYYY-MM-DD' date; throws a RangeError if it is not a real date. */
export function parseLocalDate(localDate: string): number {
  const day = localDayOfDate(localDate);
  if (day === null) throw new RangeError(`not a date (YYYY-MM-DD): ${JSON.stringify(localDate)}`);
  return day;
}

/** Day of week of a local day index: 1 = Monday … 7 = Sunday (ISO-8601). */
export function isoWeekday(day: number): number {
  // 1970-01-01 (day 0) was a Thursday.
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

/** The local day index of an instant at a fixed UTC offset (default UTC+8). */
export function localDay(instant: Date, utcOffsetMinutes = DEFAULT_UTC_OFFSET_MINUTES): number {
  return Math.floor((instantMs(instant) + offsetMs(utcOffsetMinutes)) / DAY_MS);
}

/** The instant a local day (index) starts: its local 00:00. */
export function startOfLocalDay(day: number, utcOffsetMinutes = DEFAULT_UTC_OFFSET_MINUTES): Date {
  return new Date(day * DAY_MS - offsetMs(utcOffsetMinutes));
}

/**
 * The local calendar date of an instant, 'YYYY-MM-DD', at a fixed UTC offset (default UTC+8).
 * Used for daily summaries and case codes.
 */
export function localDate(instant: Date, utcOffsetMinutes = DEFAULT_UTC_OFFSET_MINUTES): string {
  return formatDayIndex(localDay(instant, utcOffsetMinutes));
}

/**
 * The local date (YYYY-MM-DD) whose midnight the instant is; null when it is not a local midnight
 * (down to the millisecond). Periods from midnight to midnight can be read from daily rollups.
 */
export function localMidnightDate(instant: Date, utcOffsetMinutes = DEFAULT_UTC_OFFSET_MINUTES): string | null {
  const day = localDay(instant, utcOffsetMinutes);
  return startOfLocalDay(day, utcOffsetMinutes).getTime() === instant.getTime() ? formatDayIndex(day) : null;
}

/** Day index of the Monday of ISO week 1 of an ISO week-year (the week of 4 January). */
export function isoWeekOneMonday(year: number): number {
  const jan4 = Date.UTC(year, 0, 4) / DAY_MS;
  return jan4 - (isoWeekday(jan4) - 1);
}

/** 52 or 53: the ISO weeks of a week-year. */
export function isoWeeksInYear(year: number): number {
  return (isoWeekOneMonday(year + 1) - isoWeekOneMonday(year)) / 7;
}

/**
 * The ISO-8601 week of a local day index, e.g. '2026-W48' (weeks start on Monday; week 1 holds
 * the year's first Thursday, so the week-year can differ from the calendar year near 1 January:
 * 2027-01-01 is in '2026-W53').
 */
export function isoWeekOfDay(day: number): string {
  const thursday = day + 4 - isoWeekday(day);
  const year = new Date(thursday * DAY_MS).getUTCFullYear();
  const week = (thursday - isoWeekOneMonday(year) - 3) / 7 + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The ISO-8601 week of the instant's local date (see isoWeekOfDay). Used for weekly bulletins. */
export function isoWeek(instant: Date, utcOffsetMinutes = DEFAULT_UTC_OFFSET_MINUTES): string {
  return isoWeekOfDay(localDay(instant, utcOffsetMinutes));
}

/** A daily local time window ('HH:MM' to 'HH:MM'); `to` earlier than `from` runs past midnight (22:00 to 07:00). */
export interface DailyWindow {
  from: string;
  to: string;
}

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes after local midnight of 'HH:MM'; throws a RangeError for anything else. */
export function minutesOfLocalTime(text: string): number {
  const m = HH_MM.exec(text);
  if (!m) throw new RangeError(`local time must be HH:MM, got ${text}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/**
 * When the daily window that holds `instant` ends (its next `to`, local time), or null when the
 * instant is outside it. A window whose `from` equals its `to` is empty.
 */
export function endOfDailyWindow(instant: Date, window: DailyWindow, utcOffsetMinutes = DEFAULT_UTC_OFFSET_MINUTES): Date | null {
  const from = minutesOfLocalTime(window.from);
  const to = minutesOfLocalTime(window.to);
  if (from === to) return null;
  const local = instantMs(instant) + offsetMs(utcOffsetMinutes);
  const minuteOfDay = Math.floor((local % DAY_MS) / MINUTE_MS);
  const inside = from < to ? minuteOfDay >= from && minuteOfDay < to : minuteOfDay >= from || minuteOfDay < to;
  if (!inside) return null;
  const dayStart = local - (local % DAY_MS);
  const end = dayStart + to * MINUTE_MS + (minuteOfDay >= to ? DAY_MS : 0);
  return new Date(end - offsetMs(utcOffsetMinutes));
}
