import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 挂账 (issue 22 item 1): an operator's request to put a case on the ledger (`suspend_requested_*`)
 * and, once a leader approves, the suspension itself: when it began, until when, why, and the time
 * that was left on the case's clock (`suspend_left_ms` to the deadline, `suspend_check_left_ms` to
 * the next clock check, in milliseconds on `suspend_clock`), with the overdue mark it had
 * (`suspend_overdue`), so a resume restarts the clock exactly where it stopped.
 */
export class Suspension1765710000000 implements MigrationInterface {
  name = 'Suspension1765710000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE case_file
        ADD COLUMN suspend_requested_until timestamptz,
        ADD COLUMN suspend_requested_reason text,
        ADD COLUMN suspended_at timestamptz,
        ADD COLUMN suspended_until timestamptz,
        ADD COLUMN suspend_reason text,
        ADD COLUMN suspend_clock text CHECK (suspend_clock IN ('urgent_hours', 'work_hours', 'work_days', 'natural_days')),
        ADD COLUMN suspend_left_ms bigint,
        ADD COLUMN suspend_check_left_ms bigint,
        ADD COLUMN suspend_overdue boolean NOT NULL DEFAULT false,
        ADD CONSTRAINT case_file_suspension_whole CHECK (
          (suspended_at IS NULL) = (suspended_until IS NULL) AND (suspended_at IS NULL) = (suspend_left_ms IS NULL))`);
    await q.query(`CREATE INDEX case_file_suspended_idx ON case_file (street_code) WHERE suspended_at IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX case_file_suspended_idx`);
    await q.query(`
      ALTER TABLE case_file
        DROP CONSTRAINT case_file_suspension_whole,
        DROP COLUMN suspend_requested_until, DROP COLUMN suspend_requested_reason, DROP COLUMN suspended_at,
        DROP COLUMN suspended_until, DROP COLUMN suspend_reason, DROP COLUMN suspend_clock, DROP COLUMN suspend_left_ms,
        DROP COLUMN suspend_check_left_ms, DROP COLUMN suspend_overdue`);
  }
}
