import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { clockReading, type HolidayCalendar } from '@wangge/clock';
import type { ClockType } from '@wangge/domain';
import { BusinessCalendarService } from './business-calendar.service';
import type { CaseRow } from './case-row';
import { currentLimit, trafficLight, type CaseLimit, type LightReading } from './traffic-light';

/** The readings of now on the two kinds of clock, as SQL parameters (bigint text). */
export interface NowReadings {
  continuous: string;
  work: string;
}

interface LimitRow {
  id: string;
  status: CaseRow['status'];
  standard_id: number | null;
  dispatched_at: Date | null;
  deadline_at: Date | null;
  resolved_at: Date | null;
  verify_deadline_at: Date | null;
  suspended_at: Date | null;
}

/** A case's stored limit and its clock readings (bigint text), as `case_file` columns. */
export interface LimitColumns {
  limit_clock: ClockType | null;
  limit_started_at: Date | null;
  limit_ends_at: Date | null;
  limit_start_reading: string | null;
  limit_end_reading: string | null;
  limit_calendar_revision: string;
}

/** How many stale cases one refresh takes again per statement. */
const REFRESH_BATCH = 500;

/**
 * Keeps each case's current limit and its clock readings (traffic-light.ts) in `case_file`, and
 * reads the light of a case at an instant. The workflow writes {@link columnsFor} with every change
 * of a case's state or deadlines, in the change's own UPDATE; lists sorted by light call {@link refreshStale} first,
 * which takes again the readings taken under another holiday calendar (or never taken).
 */
@Injectable()
export class CaseLimitService {
  /** The calendar revision up to which this process has taken stale readings again. */
  private refreshedRevision: string | null = null;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(BusinessCalendarService) private readonly calendar: BusinessCalendarService,
  ) {}

  /**
   * The limit columns of a case as it will stand after a change (`row`: its fields with the change
   * applied), for the workflow to write in the change's own UPDATE.
   */
  async columnsFor(m: EntityManager, row: Omit<LimitRow, 'id'>): Promise<LimitColumns> {
    const { calendar, revision } = await this.calendar.snapshot(m);
    return this.columnsOf(await this.limitOf(m, row), calendar, revision);
  }

  /** The light of a case (as read with CASE_SELECT) at `at`. */
  async lightAt(m: EntityManager, row: Pick<CaseRow, 'limit_clock' | 'limit_started_at' | 'limit_ends_at'>, at: Date): Promise<LightReading | null> {
    const limit = storedLimit(row);
    if (!limit) return null;
    return trafficLight(limit, at, await this.calendar.current(m), this.calendar.offsetMinutes);
  }

  /** A function giving the light of rows at `at` (one calendar read for a whole list). */
  async lights(at: Date, m: EntityManager = this.db.manager): Promise<(row: Pick<CaseRow, 'limit_clock' | 'limit_started_at' | 'limit_ends_at'>) => LightReading | null> {
    const calendar = await this.calendar.current(m);
    return (row) => trafficLight(storedLimit(row), at, calendar, this.calendar.offsetMinutes);
  }

  /** The readings of `at` on the continuous and the work clocks, for lightOrderSql. */
  async nowReadings(at: Date, m: EntityManager = this.db.manager): Promise<NowReadings> {
    const calendar = await this.calendar.current(m);
    return {
      continuous: String(clockReading(at, 'urgent_hours', calendar, this.calendar.offsetMinutes)),
      work: String(clockReading(at, 'work_hours', calendar, this.calendar.offsetMinutes)),
    };
  }

  /**
   * Takes the limits of the timed cases again whose readings were taken under another calendar
   * revision (an admin changed the holidays) or never (cases open before the traffic light).
   * Returns how many cases it updated.
   */
  async refreshStale(m: EntityManager = this.db.manager): Promise<number> {
    // Once per calendar revision and process: the workflow stores every later limit with its revision.
    if ((await this.calendar.snapshot(m)).revision === this.refreshedRevision) return 0;
    let updated = 0;
    for (;;) {
      const { calendar, revision } = await this.calendar.snapshot(m);
      const rows: LimitRow[] = await m.query(
        `SELECT id, status, standard_id, dispatched_at, deadline_at, resolved_at, verify_deadline_at, suspended_at FROM case_file
          WHERE status IN ('dispatched', 'in_progress', 'resolved')
            AND (limit_calendar_revision IS NULL OR limit_calendar_revision <> $1::bigint)
          ORDER BY id LIMIT ${REFRESH_BATCH}`,
        [revision],
      );
      // Only if still stale: a change of the case committed meanwhile has stored its limit itself.
      for (const row of rows) await this.store(m, row.id, await this.limitOf(m, row), calendar, revision, true);
      updated += rows.length;
      if (rows.length < REFRESH_BATCH) {
        this.refreshedRevision = revision;
        return updated;
      }
    }
  }

  private async limitOf(m: EntityManager, row: Omit<LimitRow, 'id'>): Promise<CaseLimit | null> {
    const handlingClock: ClockType | null = row.deadline_at ? ((await this.calendar.timeLimitOf(m, row.standard_id))?.clockType ?? null) : null;
    return currentLimit(
      {
        status: row.status,
        handlingStartedAt: dateOrNull(row.dispatched_at),
        deadlineAt: dateOrNull(row.deadline_at),
        resolvedAt: dateOrNull(row.resolved_at),
        verifyDeadlineAt: dateOrNull(row.verify_deadline_at),
        suspended: row.suspended_at !== null,
      },
      handlingClock,
    );
  }

  private columnsOf(limit: CaseLimit | null, calendar: HolidayCalendar, revision: string): LimitColumns {
    const reading = (at: Date) => String(clockReading(at, limit!.clockType, calendar, this.calendar.offsetMinutes));
    return {
      limit_clock: limit?.clockType ?? null,
      limit_started_at: limit?.startedAt ?? null,
      limit_ends_at: limit?.endsAt ?? null,
      limit_start_reading: limit ? reading(limit.startedAt) : null,
      limit_end_reading: limit ? reading(limit.endsAt) : null,
      limit_calendar_revision: revision,
    };
  }

  private async store(m: EntityManager, id: string, limit: CaseLimit | null, calendar: HolidayCalendar, revision: string, onlyIfStale = false): Promise<void> {
    const c = this.columnsOf(limit, calendar, revision);
    await m.query(
      `UPDATE case_file SET limit_clock = $2, limit_started_at = $3, limit_ends_at = $4, limit_start_reading = $5, limit_end_reading = $6,
                            limit_calendar_revision = $7
        WHERE id = $1${onlyIfStale ? ' AND limit_calendar_revision IS DISTINCT FROM $7::bigint' : ''}`,
      [id, c.limit_clock, c.limit_started_at, c.limit_ends_at, c.limit_start_reading, c.limit_end_reading, c.limit_calendar_revision],
    );
  }
}

/** The limit stored with a case row (null: none). */
export function storedLimit(row: Pick<CaseRow, 'limit_clock' | 'limit_started_at' | 'limit_ends_at'>): CaseLimit | null {
  if (!row.limit_clock || !row.limit_started_at || !row.limit_ends_at) return null;
  return { clockType: row.limit_clock, startedAt: new Date(row.limit_started_at), endsAt: new Date(row.limit_ends_at) };
}

function dateOrNull(value: Date | string | null): Date | null {
  return value === null ? null : new Date(value);
}
