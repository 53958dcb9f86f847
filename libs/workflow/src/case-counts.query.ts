import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { caseScopeSql, type CasePrincipal } from '@wangge/auth';
import { OPEN_STATUSES } from '@wangge/domain';

/** Open statuses as a literal list, so the planner can use the partial index of open cases. */
const OPEN = `c.status IN (${OPEN_STATUSES.map((s) => `'${s}'`).join(', ')})`;

/** One street's counts as PostgreSQL returns them (counts as text). */
export interface StreetCountRow {
  street_code: string;
  open: string;
  overdue: string;
  closed_today: string;
  /** 挂账: open cases on the ledger (not counted in `open`). */
  suspended: string;
  /** The local day the counts are for (YYYY-MM-DD). */
  day: string;
}

/**
 * Counts of cases for the live feed's `stats`: open, overdue, suspended (挂账, apart from open; a
 * suspended case is never overdue) and closed today per street, in a
 * viewer's staff view, and the local day they are counted for. Needs only the DataSource, so the
 * feed provides it alone.
 */
@Injectable()
export class CaseCountsQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * The viewer's counts per street (streets with none left out); closed today by the local day in
   * `timeZone`. A case reported by address only belongs to no street until it is placed: not counted before.
   */
  byStreet(viewer: CasePrincipal, timeZone: string): Promise<StreetCountRow[]> {
    const params: unknown[] = [timeZone];
    const where = caseScopeSql(viewer, 'c', (v) => `$${params.push(v)}`, 'staff');
    return this.db.query(
      `WITH today AS (SELECT (date_trunc('day', now() AT TIME ZONE $1) AT TIME ZONE $1) AS starts, to_char(now() AT TIME ZONE $1, 'YYYY-MM-DD') AS day)
       SELECT c.street_code,
              count(*) FILTER (WHERE ${OPEN} AND c.suspended_at IS NULL) AS open,
              count(*) FILTER (WHERE ${OPEN} AND c.overdue) AS overdue,
              count(*) FILTER (WHERE ${OPEN} AND c.suspended_at IS NOT NULL) AS suspended,
              count(*) FILTER (WHERE c.status = 'closed' AND c.closed_at >= today.starts) AS closed_today,
              today.day
         FROM case_file c, today
        WHERE (${OPEN} OR c.closed_at >= today.starts) AND c.street_code IS NOT NULL AND ${where}
        GROUP BY c.street_code, today.day
        ORDER BY c.street_code`,
      params,
    );
  }

  /** The database's local day in `timeZone` (YYYY-MM-DD): the same clock as {@link byStreet}'s `day`. */
  async localDay(timeZone: string): Promise<string> {
    const [row]: { day: string }[] = await this.db.query(`SELECT to_char(now() AT TIME ZONE $1, 'YYYY-MM-DD') AS day`, [timeZone]);
    return row.day;
  }
}
