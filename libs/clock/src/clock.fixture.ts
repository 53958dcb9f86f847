/**
 * Test fixtures for the clock specs: a 2026 holiday table (test data, close to but not exactly the
 * official 2026 schedule) and helpers that write instants as local wall-clock times.
 */
import { HolidayCalendar, type HolidayRow } from './holiday-calendar';
import { DAY_MS, MINUTE_MS } from './local-time';

function period(name: string, from: string, to: string, workdays: string[]): HolidayRow[] {
  const rows: HolidayRow[] = [];
  for (let ms = Date.parse(from); ms <= Date.parse(to); ms += DAY_MS) {
    rows.push({ date: new Date(ms).toISOString().slice(0, 10), kind: 'holiday', name });
  }
  return [...rows, ...workdays.map((date): HolidayRow => ({ date, kind: 'workday', name }))];
}

export const ROWS_2026: HolidayRow[] = [
  ...period('元旦', '2026-01-01', '2026-01-03', ['2026-01-04']),
  ...period('春节', '2026-02-15', '2026-02-23', ['2026-02-14', '2026-02-28']),
  ...period('劳动节', '2026-05-01', '2026-05-05', ['2026-05-09']),
  // National Day with make-up work days on Sunday 09-27 and Saturday 10-10.
  ...period('国庆节', '2026-10-01', '2026-10-07', ['2026-09-27', '2026-10-10']),
];

export const CALENDAR_2026 = HolidayCalendar.fromRows(ROWS_2026);

/** The instant of a local wall-clock time 'YYYY-MM-DD HH:mm' at the offset (default UTC+8). */
export function at(local: string, utcOffsetMinutes = 480): Date {
  return new Date(Date.parse(`${local.replace(' ', 'T')}Z`) - utcOffsetMinutes * MINUTE_MS);
}

/** The local wall-clock time 'YYYY-MM-DD HH:mm' of an instant at the offset (default UTC+8). */
export function show(instant: Date, utcOffsetMinutes = 480): string {
  return new Date(instant.getTime() + utcOffsetMinutes * MINUTE_MS).toISOString().slice(0, 16).replace('T', ' ');
}
