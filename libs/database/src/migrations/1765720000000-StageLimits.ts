import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Stage limits and check tasks (issue 22, items 2 and 5). `case_stage`: one row per timed step of
 * the command centre on a case (受理/立案 `register`, 派遣 `dispatch`, 核查/核实 `check`), with its
 * post, its limit, who ended it and when, and its overdue mark and escalation to the leader on
 * duty. `staff_duty`: who is on duty now and where they were last. `case_file.check_warden_id` and
 * `check_assigned`: the open check task's warden, read by the access model (only the assigned
 * warden, or an operator, verifies; a task that no warden on duty could take is the operators' and
 * leaves check_assigned false).
 */
export class StageLimits1765720000000 implements MigrationInterface {
  name = 'StageLimits1765720000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE case_stage (
        id bigserial PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES case_file (id) ON DELETE CASCADE,
        stage text NOT NULL CHECK (stage IN ('register', 'dispatch', 'check')),
        post text NOT NULL CHECK (post IN ('intake', 'dispatch', 'supervisor')),
        started_at timestamptz NOT NULL,
        due_at timestamptz NOT NULL,
        assignee_id uuid REFERENCES app_user (id) ON DELETE SET NULL,
        ended_at timestamptz,
        ended_by uuid REFERENCES app_user (id) ON DELETE SET NULL,
        ended_by_name text,
        automatic boolean NOT NULL DEFAULT false,
        overdue_at timestamptz,
        escalated_to uuid[] NOT NULL DEFAULT '{}',
        CHECK (ended_at IS NULL OR ended_at >= started_at)
      )`);
    await q.query(`CREATE UNIQUE INDEX case_stage_open_idx ON case_stage (case_id, stage) WHERE ended_at IS NULL`);
    await q.query(`CREATE INDEX case_stage_started_idx ON case_stage (started_at)`);
    await q.query(`CREATE INDEX case_stage_assignee_idx ON case_stage (assignee_id) WHERE ended_at IS NULL`);
    await q.query(`
      CREATE TABLE staff_duty (
        user_id uuid PRIMARY KEY REFERENCES app_user (id) ON DELETE CASCADE,
        on_duty boolean NOT NULL DEFAULT false,
        location geometry(Point, 4326),
        located_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      ALTER TABLE case_file
        ADD COLUMN check_assigned boolean NOT NULL DEFAULT false,
        ADD COLUMN check_warden_id uuid REFERENCES app_user (id) ON DELETE SET NULL`);
    await q.query(`CREATE INDEX case_file_check_warden_idx ON case_file (check_warden_id) WHERE check_warden_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX case_file_check_warden_idx`);
    await q.query(`ALTER TABLE case_file DROP COLUMN check_warden_id, DROP COLUMN check_assigned`);
    await q.query(`DROP TABLE staff_duty`);
    await q.query(`DROP TABLE case_stage`);
  }
}
