import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The traffic light (issue 22): each case keeps the limit it is timed against now (`limit_clock`,
 * `limit_started_at`, `limit_ends_at`) and the clock's readings at its two ends (milliseconds on the
 * clock from a fixed origin; libs/clock `clockReading`), so a list sorts by the share used in SQL
 * with one reading of "now". `limit_calendar_revision` is the holiday calendar's revision the
 * readings were taken under: after a calendar change (or for the cases open before this migration,
 * which have none) the workflow takes them again (CaseLimitService.refreshStale).
 */
export class TrafficLight1765660000000 implements MigrationInterface {
  name = 'TrafficLight1765660000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE case_file
        ADD COLUMN limit_clock text CHECK (limit_clock IN ('urgent_hours', 'work_hours', 'work_days', 'natural_days')),
        ADD COLUMN limit_started_at timestamptz,
        ADD COLUMN limit_ends_at timestamptz,
        ADD COLUMN limit_start_reading bigint,
        ADD COLUMN limit_end_reading bigint,
        ADD COLUMN limit_calendar_revision bigint`);
    await q.query(`
      CREATE INDEX case_file_limit_revision_idx ON case_file (limit_calendar_revision)
        WHERE status IN ('dispatched', 'in_progress', 'resolved')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX case_file_limit_revision_idx`);
    await q.query(`
      ALTER TABLE case_file
        DROP COLUMN limit_clock, DROP COLUMN limit_started_at, DROP COLUMN limit_ends_at,
        DROP COLUMN limit_start_reading, DROP COLUMN limit_end_reading, DROP COLUMN limit_calendar_revision`);
  }
}
