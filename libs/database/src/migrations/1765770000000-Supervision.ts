import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Leaders' supervision (issue 18, domain.md 9): a case carries its latest supervision (督办:
 * `{by: {id, name}, instruction, dueAt, at}`, written with its `case.supervised` event; shown while
 * the case is open) and a case may come from a leader's instruction (批示件, source `leader`).
 */
export class Supervision1765770000000 implements MigrationInterface {
  name = 'Supervision1765770000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE case_file ADD COLUMN supervision jsonb`);
    await q.query(`CREATE INDEX case_file_supervised_idx ON case_file (assignee_chief_id) WHERE supervision IS NOT NULL`);
    await q.query(`ALTER TABLE case_file DROP CONSTRAINT case_file_source_check`);
    await q.query(`ALTER TABLE case_file ADD CONSTRAINT case_file_source_check CHECK (source IN ('citizen', 'warden', 'hotline', 'open311', 'leader'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE case_file DROP CONSTRAINT case_file_source_check`);
    await q.query(`ALTER TABLE case_file ADD CONSTRAINT case_file_source_check CHECK (source IN ('citizen', 'warden', 'hotline', 'open311'))`);
    await q.query(`DROP INDEX case_file_supervised_idx`);
    await q.query(`ALTER TABLE case_file DROP COLUMN supervision`);
  }
}
