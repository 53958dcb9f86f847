import { isoWeekday, parseLocalDate } from './local-time';

/** One row of the holiday table: a weekday off, or a weekend day worked (调休 make-up work day). */
export interface HolidayRow {
  /** Local date, 'YYYY-MM-DD'. */
  date: string;
  kind: 'holiday' | 'workday';
  name: string;
}

/**
 * Which local dates are work days.
 *
 * A work day is Monday to Friday unless the calendar marks it `holiday`, plus any date it marks
 * `workday` (调休). A year is covered when the table holds at least one row dated in it; for a year
 * it does not cover, the calendar still answers (plain Monday to Friday), and callers should warn
 * with {@link HolidayCalendar.covers} that holidays are missing.
 */
export class HolidayCalendar {
  private constructor(
    private readonly kinds: ReadonlyMap<string, HolidayRow['kind']>,
    private readonly years: ReadonlySet<number>,
  ) {}

  /**
   * Builds the calendar from holiday table rows (extra columns are ignored). Throws a RangeError
   * for a row whose date is not a real 'YYYY-MM-DD' date or whose kind is unknown, and for a date
   * listed twice with different kinds.
   */
  static fromRows(rows: Iterable<HolidayRow>): HolidayCalendar {
    const kinds = new Map<string, HolidayRow['kind']>();
    const years = new Set<number>();
    for (const row of rows) {
      parseLocalDate(row.date);
      if (row.kind !== 'holiday' && row.kind !== 'workday') {
        throw new RangeError(`holiday ${row.date}: kind must be 'holiday' or 'workday', got ${JSON.stringify(row.kind)}`);
      }
      const known = kinds.get(row.date);
      if (known !== undefined && known !== row.kind) {
        throw new RangeError(`holiday ${row.date} is listed as both 'holiday' and 'workday'`);
      }
      kinds.set(row.date, row.kind);
      years.add(Number(row.date.slice(0, 4)));
    }
    return new HolidayCalendar(kinds, years);
  }

  /** A calendar without holidays: Monday to Friday are work days, and no year is covered. */
  static weekdaysOnly(): HolidayCalendar {
    return HolidayCalendar.fromRows([]);
  }

  /** Whether the local date ('YYYY-MM-DD') is a work day. Throws a RangeError for a malformed date. */
  isWorkDay(localDate: string): boolean {
    const day = parseLocalDate(localDate);
    const kind = this.kinds.get(localDate);
    if (kind !== undefined) return kind === 'workday';
    return isoWeekday(day) <= 5;
  }

  /** Whether the table has any row in this year, i.e. whether that year's holidays are known. */
  covers(year: number): boolean {
    return this.years.has(year);
  }
}
