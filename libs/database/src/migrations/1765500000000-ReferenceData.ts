import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reference data edited by admins (domain.md section 7):
 * - `calendar_revision`: one counter that every change of the `holiday` table raises (a statement
 *   trigger, whoever writes: the admin API, setup, the seed). Each process keeps the calendar in
 *   memory and re-reads it when the counter moved, so a new calendar takes effect without a restart.
 * - `category_standard` rows are frozen: a standard is changed by adding a version, and a case keeps
 *   the row it was judged by. Only `retired_at` may still be set; DELETE is refused.
 */
export class ReferenceData1765500000000 implements MigrationInterface {
  name = 'ReferenceData1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE calendar_revision (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        revision bigint NOT NULL
      )`);
    await q.query(`INSERT INTO calendar_revision (id, revision) VALUES (true, 1)`);
    await q.query(`
      CREATE FUNCTION calendar_revision_bump() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE calendar_revision SET revision = revision + 1 WHERE id;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER holiday_changed AFTER INSERT OR UPDATE OR DELETE ON holiday
        FOR EACH STATEMENT EXECUTE FUNCTION calendar_revision_bump()`);
    await q.query(`
      CREATE TRIGGER holiday_truncated AFTER TRUNCATE ON holiday
        FOR EACH STATEMENT EXECUTE FUNCTION calendar_revision_bump()`);

    await q.query(`
      CREATE FUNCTION category_standard_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND (to_jsonb(NEW) - 'retired_at') = (to_jsonb(OLD) - 'retired_at') THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'category_standard % is frozen: add a new version instead', OLD.id;
      END $$`);
    await q.query(`
      CREATE TRIGGER category_standard_frozen BEFORE UPDATE OR DELETE ON category_standard
        FOR EACH ROW EXECUTE FUNCTION category_standard_frozen()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER category_standard_frozen ON category_standard`);
    await q.query(`DROP FUNCTION category_standard_frozen()`);
    await q.query(`DROP TRIGGER holiday_truncated ON holiday`);
    await q.query(`DROP TRIGGER holiday_changed ON holiday`);
    await q.query(`DROP FUNCTION calendar_revision_bump()`);
    await q.query(`DROP TABLE calendar_revision`);
  }
}
