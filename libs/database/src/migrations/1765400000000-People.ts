import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * People's accounts (domain.md section 7): `session_version` is carried in every access token, and
 * a token of an older version is refused (deactivation and password resets end sessions at once);
 * `password_change_required` marks a one-time password, whose token may only change the password.
 */
export class People1765400000000 implements MigrationInterface {
  name = 'People1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE app_user ADD COLUMN session_version integer NOT NULL DEFAULT 0 CHECK (session_version >= 0)`);
    await q.query(`ALTER TABLE app_user ADD COLUMN password_change_required boolean NOT NULL DEFAULT false`);
    await q.query(`CREATE INDEX app_user_street_idx ON app_user (street_code)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX app_user_street_idx`);
    await q.query(`ALTER TABLE app_user DROP COLUMN password_change_required`);
    await q.query(`ALTER TABLE app_user DROP COLUMN session_version`);
  }
}
