import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Marks the accounts the demo seed gave DEMO_PASSWORD. In production intake refuses to start while
 * an active account still has a demo password; checking a password means one scrypt derivation
 * (~50 ms), too slow for every account of a district, so only the marked ones are checked (the
 * login refuses a demo password from anyone else). Until now only the demo seed gave accounts a
 * password (imported chiefs have none), so every account that has one is marked here.
 */
export class DemoPasswordMark1765300000000 implements MigrationInterface {
  name = 'DemoPasswordMark1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE app_user ADD COLUMN seeded_demo_password boolean NOT NULL DEFAULT false`);
    await q.query(`UPDATE app_user SET seeded_demo_password = true WHERE password_hash IS NOT NULL`);
    await q.query(`CREATE INDEX app_user_seeded_demo_password ON app_user (id) WHERE seeded_demo_password`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE app_user DROP COLUMN seeded_demo_password`);
  }
}
