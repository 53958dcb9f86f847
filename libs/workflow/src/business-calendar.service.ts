import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { addTimeLimit, HolidayCalendar, localDate, utcOffsetMinutes } from '@wangge/clock';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import type { ClockType, TimeLimit } from '@wangge/domain';

const RELOAD_MS = 5 * 60_000;

/**
 * The district's business time: its holiday calendar (from the `holiday` table, reloaded every few
 * minutes) and its time zone, over the pure arithmetic of `@wangge/clock`.
 */
@Injectable()
export class BusinessCalendarService {
  readonly offsetMinutes: number;
  private calendar: HolidayCalendar | null = null;
  private loadedAt = 0;
  private readonly timeLimits = new Map<number, TimeLimit | null>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.offsetMinutes = utcOffsetMinutes(config.timeZone);
  }

  /**
   * The calendar, reloaded when stale. Inside a transaction pass its manager: on the embedded
   * database a query on another pooled connection would wait for the transaction to end.
   */
  async current(manager: EntityManager = this.db.manager): Promise<HolidayCalendar> {
    if (!this.calendar || Date.now() - this.loadedAt > RELOAD_MS) {
      const rows: { date: string; kind: 'holiday' | 'workday'; name: string }[] = await manager.query(
        `SELECT to_char(date, 'YYYY-MM-DD') AS date, kind, name FROM holiday ORDER BY date`,
      );
      this.calendar = HolidayCalendar.fromRows(rows);
      this.loadedAt = Date.now();
    }
    return this.calendar;
  }

  /**
   * The time limit of a standard (`category_standard` row), read once per standard: a standard row is
   * never changed (a new limit is a new version, and a case keeps the version it was registered under).
   */
  async timeLimitOf(manager: EntityManager, standardId: number | null): Promise<TimeLimit | null> {
    if (standardId === null) return null;
    let limit = this.timeLimits.get(standardId);
    if (limit === undefined) {
      const [row]: { value: number; clock_type: ClockType }[] = await manager.query(
        `SELECT time_limit_value::float8 AS value, clock_type FROM category_standard WHERE id = $1`,
        [standardId],
      );
      limit = row ? { value: row.value, clockType: row.clock_type } : null;
      this.timeLimits.set(standardId, limit);
    }
    return limit;
  }

  async deadline(start: Date, limit: TimeLimit): Promise<Date> {
    return addTimeLimit(start, limit, await this.current(), this.offsetMinutes);
  }

  /** The district's calendar date of an instant (YYYY-MM-DD). */
  localDate(at: Date): string {
    return localDate(at, this.offsetMinutes);
  }
}
