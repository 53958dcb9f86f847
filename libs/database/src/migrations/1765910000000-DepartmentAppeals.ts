import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Appeals by department members (issue 18): an appeal is a road chief's (`chief_id`) or a
 * department's (`department_code`, the department the case was dispatched to), never both.
 */
export class DepartmentAppeals1765910000000 implements MigrationInterface {
  name = 'DepartmentAppeals1765910000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE appeal ADD COLUMN department_code text REFERENCES department (code)`);
    await q.query(`ALTER TABLE appeal ALTER COLUMN chief_id DROP NOT NULL`);
    await q.query(`ALTER TABLE appeal ADD CONSTRAINT appeal_appellant_check CHECK ((chief_id IS NULL) <> (department_code IS NULL))`);
    await q.query(`CREATE INDEX appeal_department_idx ON appeal (department_code, created_at DESC) WHERE department_code IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM appeal WHERE department_code IS NOT NULL`);
    await q.query(`DROP INDEX appeal_department_idx`);
    await q.query(`ALTER TABLE appeal DROP CONSTRAINT appeal_appellant_check`);
    await q.query(`ALTER TABLE appeal ALTER COLUMN chief_id SET NOT NULL`);
    await q.query(`ALTER TABLE appeal DROP COLUMN department_code`);
  }
}
