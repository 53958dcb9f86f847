import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The clocks of a case: when the dispatcher must next look at it (a deadline, a further escalation
 * or the verification limit), the verification limit itself, and whether it was missed.
 */
export class Clocks1764600000000 implements MigrationInterface {
  name = 'Clocks1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE case_file
        ADD COLUMN next_check_at timestamptz,
        ADD COLUMN verify_deadline_at timestamptz,
        ADD COLUMN verify_overdue boolean NOT NULL DEFAULT false`);
    await q.query(`CREATE INDEX case_file_next_check_idx ON case_file (next_check_at) WHERE next_check_at IS NOT NULL`);
    await q.query(`CREATE INDEX case_file_registered_idx ON case_file (updated_at) WHERE status = 'registered'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX case_file_registered_idx`);
    await q.query(`DROP INDEX case_file_next_check_idx`);
    await q.query(`ALTER TABLE case_file DROP COLUMN verify_overdue, DROP COLUMN verify_deadline_at, DROP COLUMN next_check_at`);
  }
}
