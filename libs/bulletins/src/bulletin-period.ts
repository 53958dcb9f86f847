/**
 * The periods of bulletins, in the district's local time (a fixed UTC offset: China keeps no
 * daylight saving time). A daily summary covers one local calendar day [00:00, next 00:00); a
 * weekly bulletin one ISO-8601 week, Monday 00:00 to the next Monday 00:00 (week 1 holds the
 * year's first Thursday, so `2026-W53` ends on 2027-01-03 and `2027-W01` starts on 2027-01-04).
 * Pure: no I/O, no reading of the machine's time zone; the day arithmetic is @wangge/clock's.
 */
import {
  formatDayIndex,
  isoWeekday,
  isoWeekOfDay,
  isoWeekOneMonday,
  isoWeeksInYear,
  localDay,
  localDayOfDate,
  startOfLocalDay,
} from '@wangge/clock';
import { AppError } from '@wangge/operations';

export const BULLETIN_KINDS = ['daily', 'weekly'] as const;
export type BulletinKind = (typeof BULLETIN_KINDS)[number];

const MINUTE_MS = 60_000;

export interface BulletinPeriod {
  kind: BulletinKind;
  /** `2026-11-29` for a day, `2026-W48` for an ISO week. */
  key: string;
  /** First instant of the period (inclusive). */
  from: Date;
  /** First instant after the period (exclusive). */
  to: Date;
  /** The local dates of its first and last day. */
  firstDay: string;
  lastDay: string;
}

/** A period text that is not a real day or week; `field` names the request field (400 `bad_input`). */
export class PeriodError extends AppError<'bad_input'> {
  declare readonly field: string;

  constructor(field: string, message: string) {
    super('bad_input', 'invalid', message, { field });
  }
}

const WEEK_PATTERN = /^(\d{4})-W(\d{2})$/;

/** The period of one local day. */
export function dailyPeriod(day: number, offsetMinutes: number): BulletinPeriod {
  const key = formatDayIndex(day);
  return { kind: 'daily', key, from: startOfLocalDay(day, offsetMinutes), to: startOfLocalDay(day + 1, offsetMinutes), firstDay: key, lastDay: key };
}

/** The period of the ISO week that holds a local day. */
export function weeklyPeriodOfDay(day: number, offsetMinutes: number): BulletinPeriod {
  const monday = day - (isoWeekday(day) - 1);
  return {
    kind: 'weekly',
    key: isoWeekOfDay(monday),
    from: startOfLocalDay(monday, offsetMinutes),
    to: startOfLocalDay(monday + 7, offsetMinutes),
    firstDay: formatDayIndex(monday),
    lastDay: formatDayIndex(monday + 6),
  };
}

/**
 * Reads a period from a request: a daily `YYYY-MM-DD` (field `date`) or a weekly `YYYY-Www`
 * (field `isoWeek`). Throws a {@link PeriodError} naming the field.
 */
export function parsePeriod(kind: BulletinKind, text: string, offsetMinutes: number): BulletinPeriod {
  if (kind === 'daily') {
    const day = localDayOfDate(text);
    if (day === null) throw new PeriodError('date', `date must be a calendar date YYYY-MM-DD, got ${JSON.stringify(text)} / 日期格式应为 YYYY-MM-DD`);
    return dailyPeriod(day, offsetMinutes);
  }
  const m = WEEK_PATTERN.exec(text);
  const year = m ? Number(m[1]) : NaN;
  const week = m ? Number(m[2]) : NaN;
  if (!m || year < 1970 || week < 1 || week > isoWeeksInYear(year)) {
    throw new PeriodError('isoWeek', `isoWeek must be an ISO week YYYY-Www that exists (01-52 or 53), got ${JSON.stringify(text)} / 周次格式应为 YYYY-Www`);
  }
  return weeklyPeriodOfDay(isoWeekOneMonday(year) + (week - 1) * 7, offsetMinutes);
}

/** The period that holds an instant. */
export function periodAt(kind: BulletinKind, instant: Date, offsetMinutes: number): BulletinPeriod {
  const day = localDay(instant, offsetMinutes);
  return kind === 'daily' ? dailyPeriod(day, offsetMinutes) : weeklyPeriodOfDay(day, offsetMinutes);
}

/** The period just before (`steps` = 1) or `steps` periods before this one. */
export function previousPeriod(period: BulletinPeriod, offsetMinutes: number, steps = 1): BulletinPeriod {
  const firstDay = localDay(period.from, offsetMinutes);
  return period.kind === 'daily' ? dailyPeriod(firstDay - steps, offsetMinutes) : weeklyPeriodOfDay(firstDay - 7 * steps, offsetMinutes);
}

/** Minutes after local midnight of `HH:MM`. */
export function minutesOfDay(hhmm: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) throw new RangeError(`not a time HH:MM: ${JSON.stringify(hhmm)}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/**
 * The latest period whose bulletin is due at `now`: a day's summary is due at `at` (minutes after
 * local midnight) on the next day; a week's bulletin at `at` on the next Monday. Null never: there
 * is always an earlier period.
 */
export function latestDuePeriod(kind: BulletinKind, now: Date, atMinutes: number, offsetMinutes: number): BulletinPeriod {
  // Shift back by the time of day it is published: then "the period holding the shifted instant"
  // is the one not yet due, and the one before it is the latest due.
  const shifted = new Date(now.getTime() - atMinutes * MINUTE_MS);
  return previousPeriod(periodAt(kind, shifted, offsetMinutes), offsetMinutes);
}

/** Whether the period has ended at `now` (a bulletin of an unfinished period is refused). */
export function hasEnded(period: BulletinPeriod, now: Date): boolean {
  return now.getTime() >= period.to.getTime();
}

/** The cron pattern of a kind's job scheduler (read in TIME_ZONE): daily at HH:MM, weekly on Mondays. */
export function cronPattern(kind: BulletinKind, hhmm: string): string {
  const minutes = minutesOfDay(hhmm);
  return `${minutes % 60} ${Math.floor(minutes / 60)} * * ${kind === 'daily' ? '*' : '1'}`;
}

/** The title of a bulletin. */
export function bulletinTitle(period: BulletinPeriod, revision = 1): { zh: string; en: string } {
  const rev = revision > 1 ? { zh: `（第${revision}版）`, en: ` (revision ${revision})` } : { zh: '', en: '' };
  if (period.kind === 'daily') {
    return { zh: `每日汇总 ${period.key}${rev.zh}`, en: `Daily summary ${period.key}${rev.en}` };
  }
  return {
    zh: `每周通报 ${period.key}（${period.firstDay} 至 ${period.lastDay}）${rev.zh}`,
    en: `Weekly bulletin ${period.key} (${period.firstDay} to ${period.lastDay})${rev.en}`,
  };
}

/** The API path of a bulletin, relative to the host: `/api/v1/bulletins/daily/2026-11-29`. */
export function bulletinPath(period: Pick<BulletinPeriod, 'kind' | 'key'>): string {
  return `/api/v1/bulletins/${period.kind}/${period.key}`;
}
