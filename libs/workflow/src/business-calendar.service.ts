import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { addTimeLimit, HolidayCalendar, localDate, utcOffsetMinutes } from '@wangge/clock';
import { CatalogueService } from '@wangge/catalogue';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import { Holiday, type TimeLimit } from '@wangge/domain';

/**
 * The district's business time: its holiday calendar (from the `holiday` table) and its time zone,
 * over the pure arithmetic of `@wangge/clock`. The calendar is kept in memory and read again when
 * `calendar_revision` moved (every write to `holiday` raises it, by trigger), so a calendar an admin
 * saves counts in every process from its next deadline on, without a restart.
 */
@Injectable()
export class BusinessCalendarService {
  readonly offsetMinutes: number;
  private calendar: HolidayCalendar | null = null;
  private revision: string | null = null;
  private readonly timeLimits = new Map<number, TimeLimit | null>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CatalogueService) private readonly catalogue: CatalogueService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.offsetMinutes = utcOffsetMinutes(config.timeZone);
  }

  /**
   * The calendar, read again when its revision moved (one primary-key read per call). Inside a
   * transaction pass its manager: on the embedded database a query on another pooled connection
   * would wait for the transaction to end.
   */
  async current(manager: EntityManager = this.db.manager): Promise<HolidayCalendar> {
    return (await this.snapshot(manager)).calendar;
  }

  /** The calendar with its revision (what readings of the work clocks were taken under). */
  async snapshot(manager: EntityManager = this.db.manager): Promise<{ calendar: HolidayCalendar; revision: string }> {
    const [{ revision }]: { revision: string }[] = await manager.query(`SELECT revision::text FROM calendar_revision`);
    if (!this.calendar || revision !== this.revision) {
      const rows = await manager.getRepository(Holiday).find({ select: { date: true, kind: true, name: true }, order: { date: 'ASC' } });
      this.calendar = HolidayCalendar.fromRows(rows);
      this.revision = revision;
    }
    return { calendar: this.calendar, revision };
  }

  /**
   * The time limit of a standard (the catalogue's `category_standard` row), read once per standard: a
   * standard row is never changed (a new limit is a new version, and a case keeps the version it was
   * registered under).
   */
  async timeLimitOf(manager: EntityManager, standardId: number | null): Promise<TimeLimit | null> {
    if (standardId === null) return null;
    let limit = this.timeLimits.get(standardId);
    if (limit === undefined) {
      limit = await this.catalogue.timeLimit(standardId, manager);
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
