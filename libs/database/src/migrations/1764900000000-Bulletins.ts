import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Bulletins (每日汇总 daily summaries, 每周通报 weekly bulletins): one frozen JSON document per
 * kind, period and revision. Revision 1 is the scheduled one (or the first made by hand); each
 * regeneration adds a revision and keeps the earlier ones. A stored document is never updated
 * (a trigger refuses it), so a later change of formula or data never rewrites what was published.
 */
export class Bulletins1764900000000 implements MigrationInterface {
  name = 'Bulletins1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE bulletin (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind IN ('daily', 'weekly')),
        period text NOT NULL,
        revision integer NOT NULL CHECK (revision >= 1),
        period_from timestamptz NOT NULL,
        period_to timestamptz NOT NULL,
        formula_version integer NOT NULL,
        trigger text NOT NULL CHECK (trigger IN ('schedule', 'manual')),
        generated_by uuid REFERENCES app_user (id) ON DELETE SET NULL,
        generated_at timestamptz NOT NULL,
        document jsonb NOT NULL,
        UNIQUE (kind, period, revision),
        CHECK (period_to > period_from),
        CHECK ((kind = 'daily' AND period ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$') OR (kind = 'weekly' AND period ~ '^[0-9]{4}-W[0-9]{2}$'))
      )`);
    await q.query(`CREATE INDEX bulletin_period_idx ON bulletin (kind, period_from DESC)`);
    await q.query(`
      CREATE FUNCTION bulletin_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'bulletin % is frozen: regenerate to publish a new revision', OLD.id;
      END $$`);
    await q.query(`CREATE TRIGGER bulletin_frozen BEFORE UPDATE ON bulletin FOR EACH ROW EXECUTE FUNCTION bulletin_frozen()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE bulletin`);
    await q.query(`DROP FUNCTION bulletin_frozen()`);
  }
}
