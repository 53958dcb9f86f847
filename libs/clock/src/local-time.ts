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

/** The local day index of a 'YYYY-MM-DD' date; throws a RangeError if it is not a real date. */
export function parseLocalDate(localDate: string): number {
  const match = LOCAL_DATE_PATTERN.exec(localDate);
  if (match) {
    const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
    if (formatDayIndex(ms / DAY_MS) === localDate) return ms / DAY_MS;
  }
  throw new RangeError(`not a date (YYYY-MM-DD): ${JSON.stringify(localDate)}`);
}

/** Day of week of a local day index: 1 = Monday … 7 = Sunday (ISO-8601). */
export function isoWeekday(day: number): number {
  // 1970-01-01 (day 0) was a Thursday.
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

/**
 * The local calendar date of an instant, 'YYYY-MM-DD', at a fixed UTC offset (default UTC+8).
 * Used for daily summaries and case codes.
 */
export function localDate(instant: Date, utcOffsetMinutes = DEFAULT_UTC_OFFSET_MINUTES): string {
  return formatDayIndex(Math.floor((instantMs(instant) + offsetMs(utcOffsetMinutes)) / DAY_MS));
}

/**
 * The ISO-8601 week of the instant's local date, e.g. '2026-W48' (weeks start on Monday; week 1
 * holds the year's first Thursday, so the week-year can differ from the calendar year near
 * 1 January: 2027-01-01 is in '2026-W53'). Used for weekly bulletins.
 */
export function isoWeek(instant: Date, utcOffsetMinutes = DEFAULT_UTC_OFFSET_MINUTES): string {
  const day = Math.floor((instantMs(instant) + offsetMs(utcOffsetMinutes)) / DAY_MS);
  const thursday = new Date((day + 4 - isoWeekday(day)) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / DAY_MS / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}
