import { Inject, Injectable, Module } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Between, type DataSource, type EntityManager } from 'typeorm';
import { AuditModule, AuditTrail, type AuditActor } from '@wangge/audit';
import { Holiday } from '@wangge/domain';
import { CalendarError } from './calendar-error';
import { checkCalendarYear, type CalendarEntry } from './calendar-year';

/** A year of the calendar: its entries by date; `covered` false when the table has none (weekdays only). */
export interface CalendarYear {
  year: number;
  covered: boolean;
  entries: CalendarEntry[];
}

/**
 * The admins' writer of the holiday calendar (`holiday`, owned by the workflow): a year is replaced
 * whole, in one transaction with its audit entry. Every process sees the new year from its next
 * deadline on (BusinessCalendarService follows `calendar_revision`, which the write raises).
 */
@Injectable()
export class HolidayCalendarEditor {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(AuditTrail) private readonly audit: AuditTrail,
  ) {}

  async year(year: number, manager: EntityManager = this.db.manager): Promise<CalendarYear> {
    const bad = checkCalendarYear(year, []);
    if ('problems' in bad) throw new CalendarError('invalid year', bad.problems);
    const rows = await manager.getRepository(Holiday).find({ where: { date: Between(`${year}-01-01`, `${year}-12-31`) }, order: { date: 'ASC' } });
    return { year, covered: rows.length > 0, entries: rows.map((r) => ({ date: r.date, kind: r.kind, name: r.name, nameEn: r.nameEn })) };
  }

  /** Replaces the year's entries with `body` (checked: 400 naming the field, nothing written). */
  async replaceYear(year: number, body: unknown, actor: AuditActor): Promise<CalendarYear> {
    const checked = checkCalendarYear(year, body);
    if ('problems' in checked) throw new CalendarError(`invalid calendar: ${[...new Set(checked.problems.map((p) => p.field))].join(', ')}`, checked.problems);
    return this.db.transaction(async (m) => {
      // One writer of a year at a time: the second waits and replaces what the first wrote.
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('holiday-calendar'), $1)`, [year]);
      const before = await this.year(year, m);
      const holidays = m.getRepository(Holiday);
      await holidays.delete({ date: Between(`${year}-01-01`, `${year}-12-31`) });
      if (checked.entries.length > 0) await holidays.insert(checked.entries);
      const after = await this.year(year, m);
      await this.audit.record(
        { actor, action: 'calendar.replace', entity: 'calendar', entityId: year, before: before.entries, after: after.entries },
        m,
      );
      return after;
    });
  }
}

/** The calendar's admin writer, for the intake's admin API. */
@Module({ imports: [AuditModule], providers: [HolidayCalendarEditor], exports: [HolidayCalendarEditor] })
export class HolidayCalendarModule {}
