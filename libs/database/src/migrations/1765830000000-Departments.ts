import type { MigrationInterface, QueryRunner } from 'typeorm';

const ROLES_BEFORE = `'citizen', 'warden', 'chief', 'operator', 'leader', 'admin'`;

/**
 * Departments that handle the cases of their trade (issue 18 item 2, domain.md 9): the `department`
 * reference table (its categories, and its streets or none for the whole district; a leader among
 * its members), users of role `department` who belong to one, and on a case the department it is
 * dispatched to with the road chief who coordinates it (the chief routing names for the place).
 */
export class Departments1765830000000 implements MigrationInterface {
  name = 'Departments1765830000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE department (
        code text PRIMARY KEY CHECK (code ~ '^[A-Za-z0-9_-]{1,32}$'),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        category_codes text[] NOT NULL CHECK (cardinality(category_codes) > 0),
        street_codes text[] NOT NULL DEFAULT '{}',
        leader_id uuid REFERENCES app_user (id),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX department_categories_idx ON department USING gin (category_codes)`);
    await q.query(`ALTER TABLE app_user DROP CONSTRAINT app_user_role_check`);
    await q.query(`ALTER TABLE app_user ADD CONSTRAINT app_user_role_check CHECK (role IN (${ROLES_BEFORE}, 'department'))`);
    await q.query(`ALTER TABLE app_user ADD COLUMN department_code text REFERENCES department (code)`);
    await q.query(`ALTER TABLE app_user ADD CONSTRAINT app_user_department_check CHECK ((role = 'department') = (department_code IS NOT NULL))`);
    await q.query(`CREATE INDEX app_user_department_idx ON app_user (department_code) WHERE department_code IS NOT NULL`);
    await q.query(`ALTER TABLE case_file ADD COLUMN assignee_department_code text REFERENCES department (code)`);
    await q.query(`ALTER TABLE case_file ADD COLUMN coordinator_chief_id integer REFERENCES road_chief (id) ON DELETE SET NULL`);
    // A case in hand is held by a chief or by a department (then its chief only coordinates).
    await q.query(`ALTER TABLE case_file DROP CONSTRAINT case_file_check2`);
    await q.query(
      `ALTER TABLE case_file ADD CONSTRAINT case_file_check2 CHECK (status NOT IN ('dispatched', 'in_progress') OR assignee_chief_id IS NOT NULL OR assignee_department_code IS NOT NULL)`,
    );
    await q.query(`CREATE INDEX case_file_department_idx ON case_file (assignee_department_code) WHERE assignee_department_code IS NOT NULL`);
    await q.query(`CREATE INDEX case_file_coordinator_idx ON case_file (coordinator_chief_id) WHERE coordinator_chief_id IS NOT NULL`);
    // Evaluation by department (groupBy=department): the department of a fact's assignment, and its rollups.
    await q.query(`ALTER TABLE evaluation_case_fact ADD COLUMN department_code text`);
    await q.query(`CREATE INDEX evaluation_case_fact_department_idx ON evaluation_case_fact (department_code) WHERE department_code IS NOT NULL`);
    await q.query(`ALTER TABLE evaluation_daily DROP CONSTRAINT evaluation_daily_group_kind_check`);
    await q.query(`ALTER TABLE evaluation_daily ADD CONSTRAINT evaluation_daily_group_kind_check CHECK (group_kind IN ('chief', 'street', 'community', 'category', 'department'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM evaluation_daily WHERE group_kind = 'department'`);
    await q.query(`ALTER TABLE evaluation_daily DROP CONSTRAINT evaluation_daily_group_kind_check`);
    await q.query(`ALTER TABLE evaluation_daily ADD CONSTRAINT evaluation_daily_group_kind_check CHECK (group_kind IN ('chief', 'street', 'community', 'category'))`);
    await q.query(`DROP INDEX evaluation_case_fact_department_idx`);
    await q.query(`ALTER TABLE evaluation_case_fact DROP COLUMN department_code`);
    await q.query(`DROP INDEX case_file_coordinator_idx`);
    await q.query(`DROP INDEX case_file_department_idx`);
    await q.query(`ALTER TABLE case_file DROP CONSTRAINT case_file_check2`);
    await q.query(`ALTER TABLE case_file ADD CONSTRAINT case_file_check2 CHECK (status NOT IN ('dispatched', 'in_progress') OR assignee_chief_id IS NOT NULL)`);
    await q.query(`ALTER TABLE case_file DROP COLUMN coordinator_chief_id`);
    await q.query(`ALTER TABLE case_file DROP COLUMN assignee_department_code`);
    await q.query(`DROP INDEX app_user_department_idx`);
    await q.query(`ALTER TABLE app_user DROP CONSTRAINT app_user_department_check`);
    await q.query(`ALTER TABLE app_user DROP COLUMN department_code`);
    await q.query(`DELETE FROM app_user WHERE role = 'department'`);
    await q.query(`ALTER TABLE app_user DROP CONSTRAINT app_user_role_check`);
    await q.query(`ALTER TABLE app_user ADD CONSTRAINT app_user_role_check CHECK (role IN (${ROLES_BEFORE}))`);
    await q.query(`DROP TABLE department`);
  }
}
