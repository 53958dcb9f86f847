import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Stage limits configured per district (issue 22 item 2): `stage_limit` keeps every value a
 * district admin set for a stage (受理立案, 派遣, 核查), with when it took effect and who set it;
 * the current limit of a stage is its latest row in effect (none: REGISTER/DISPATCH/CHECK_LIMIT_MIN).
 * Read at each stage's opening, so every process follows a change without a restart; a stage
 * keeps the due time it was opened with. Owned by the workflow (libs/workflow/src/stages).
 */
export class StageLimitSettings1765800000000 implements MigrationInterface {
  name = 'StageLimitSettings1765800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE stage_limit (
        id bigserial PRIMARY KEY,
        stage text NOT NULL CHECK (stage IN ('register', 'dispatch', 'check')),
        minutes int NOT NULL CHECK (minutes BETWEEN 1 AND 10080),
        effective_from timestamptz NOT NULL,
        set_by uuid REFERENCES app_user(id) ON DELETE SET NULL,
        set_by_name text NOT NULL
      )`);
    await q.query(`CREATE INDEX stage_limit_current_idx ON stage_limit (stage, effective_from DESC, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE stage_limit`);
  }
}
