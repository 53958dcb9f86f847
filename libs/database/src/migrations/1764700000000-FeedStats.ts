import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The live feed's `stats` count open, overdue and closed-today cases per street for each connected
 * scope, at most once a second: indexes that reach just those cases (open ones, and the ones
 * closed recently) instead of every case a street ever had.
 */
export class FeedStats1764700000000 implements MigrationInterface {
  name = 'FeedStats1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX case_file_open_street_idx ON case_file (street_code)
       WHERE status IN ('reported', 'registered', 'dispatched', 'in_progress', 'resolved')`);
    await q.query(`CREATE INDEX case_file_closed_at_idx ON case_file (closed_at) WHERE closed_at IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX case_file_closed_at_idx`);
    await q.query(`DROP INDEX case_file_open_street_idx`);
  }
}
