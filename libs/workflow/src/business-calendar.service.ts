import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager, EntitySubscriberInterface, QueryRunner, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';
import { addTimeLimit, HolidayCalendar, localDate, utcOffsetMinutes } from '@wangge/clock';
import { CatalogueService } from '@wangge/catalogue';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import { Holiday, type TimeLimit } from '@wangge/domain';

/**
 * The district's business time: its holiday calendar (from the `holiday` table) and its time zone,
 * over the pure arithmetic of `@wangge/clock`. The calendar is kept in memory and read again when
 * `calendar_revision` moved (every write to `holiday` raises it, by trigger), so a calendar an admin
 * saves counts in every process from its next deadline on, without a restart. Inside a transaction the
 * revision is read once: the transaction's first reading holds until it commits or rolls back (a
 * dispatch asked three times, for its limit, its light and its context).
 */
@Injectable()
export class BusinessCalendarService implements EntitySubscriberInterface {
  readonly offsetMinutes: number;
  private calendar: HolidayCalendar | null = null;
  private revision: string | null = null;
  private readonly timeLimits = new Map<number, TimeLimit | null>();
  /** The reading taken in each open transaction, by its query runner (forgotten when it ends). */
  private readonly inTransaction = new WeakMap<QueryRunner, { calendar: HolidayCalendar; revision: string }>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CatalogueService) private readonly catalogue: CatalogueService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.offsetMinutes = utcOffsetMinutes(config.timeZone);
    // Told of every transaction's end (NestJS's way of subscribing a provider to its DataSource).
    db.subscribers.push(this);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    if (!event.queryRunner.isTransactionActive) this.inTransaction.delete(event.queryRunner);
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    if (!event.queryRunner.isTransactionActive) this.inTransaction.delete(event.queryRunner);
  }

  /**
   * The calendar, read again when its revision moved (one primary-key read per call). Inside a
   * transaction pass its manager: on the embedded database a query on another pooled connection
   * would wait for the transaction to end.
   */
  async current(manager: EntityManager = this.db.manager): Promise<HolidayCalendar> {
    return (await this.snapshot(manager)).calendar;
  }

  /**
   * The calendar with its revision (what readings of the work clocks were taken under): one read of
   * the revision per call outside a transaction, one per transaction inside.
   */
  async snapshot(manager: EntityManager = this.db.manager): Promise<{ calendar: HolidayCalendar; revision: string }> {
    const runner = manager.queryRunner?.isTransactionActive ? manager.queryRunner : null;
    const held = runner && this.inTransaction.get(runner);
    if (held) return held;
    const [{ revision }]: { revision: string }[] = await manager.query(`SELECT revision::text FROM calendar_revision`);
    if (!this.calendar || revision !== this.revision) {
      const rows = await manager.getRepository(Holiday).find({ select: { date: true, kind: true, name: true }, order: { date: 'ASC' } });
      this.calendar = HolidayCalendar.fromRows(rows);
      this.revision = revision;
    }
    const reading = { calendar: this.calendar, revision };
    if (runner) this.inTransaction.set(runner, reading);
    return reading;
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
