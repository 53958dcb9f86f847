import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Evaluation of inspections and milestones on the engine's design (issue 17 item 7, docs/evaluation.md):
 * - `field_formula` (libs/places): the versioned weights of the field figures (inspections done on
 *   time, failed items fixed on time, milestones met on time); a stored version is frozen.
 * - `inspection_daily` (libs/places) and `milestone_daily` (libs/campaigns): per local day and group
 *   the counts of due inspections and of milestones, kept by triggers in the transaction of every
 *   write of their facts (`inspection_due`, a place's street; `campaign_milestone`). One definition
 *   of what a row adds: `inspection_due_contribution` and `campaign_milestone_contribution`, which
 *   the facts path of the services sums as well. Days are cut at `*_daily_cut.offset_minutes`; the
 *   services rebuild the rollups when `TIME_ZONE`'s offset differs.
 */
export class FieldEvaluation1765900000000 implements MigrationInterface {
  name = 'FieldEvaluation1765900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE field_formula (
        version int PRIMARY KEY,
        weights jsonb NOT NULL,
        effective_from timestamptz NOT NULL,
        note text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE FUNCTION field_formula_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'field_formula version % is frozen; add a new version instead', OLD.version;
      END $$`);
    await q.query(`CREATE TRIGGER field_formula_frozen BEFORE UPDATE OR DELETE ON field_formula FOR EACH ROW EXECUTE FUNCTION field_formula_frozen()`);
    await q.query(`
      INSERT INTO field_formula (version, weights, effective_from, note)
      VALUES (1, '{"inspectionsOnTime": 60, "failedItemsFixedOnTime": 40, "milestonesOnTime": 100}', '2000-01-01T00:00:00Z',
              'inspections 60 / failed items fixed 40; milestones met on time alone / 巡查按时 60、问题按期整改 40；节点按期完成')`);

    // Inspections: what one due row adds to its groups (its street, each assignee).
    await q.query(`
      CREATE FUNCTION inspection_due_contribution(d inspection_due, street text)
      RETURNS TABLE (group_kind text, group_key text, due int, on_time int, late int, missed int)
      LANGUAGE sql IMMUTABLE AS $$
        SELECT k.kind, k.key, 1, (d.state = 'done')::int, (d.state = 'late')::int, (d.missed_at IS NOT NULL)::int
          FROM unnest('{street}'::text[] || array_fill('person'::text, ARRAY[cardinality(d.assignee_ids)]), ARRAY[street] || d.assignee_ids::text[]) AS k(kind, key)
         WHERE d.state <> 'cancelled'
      $$`);
    await q.query(`
      CREATE TABLE inspection_daily (
        day int NOT NULL,
        group_kind text NOT NULL,
        group_key text NOT NULL,
        due int NOT NULL,
        on_time int NOT NULL,
        late int NOT NULL,
        missed int NOT NULL,
        PRIMARY KEY (day, group_kind, group_key)
      )`);
    await q.query(`CREATE TABLE inspection_daily_cut (offset_minutes int NOT NULL)`);
    await q.query(`INSERT INTO inspection_daily_cut VALUES (480)`);
    await q.query(`
      CREATE FUNCTION inspection_daily_apply(d inspection_due, street text, sign int) RETURNS void LANGUAGE sql AS $$
        INSERT INTO inspection_daily AS r (day, group_kind, group_key, due, on_time, late, missed)
        SELECT floor((extract(epoch FROM d.due_at) + cut.offset_minutes * 60) / 86400)::int, c.group_kind, c.group_key,
               sign * c.due, sign * c.on_time, sign * c.late, sign * c.missed
          FROM inspection_due_contribution(d, street) c, inspection_daily_cut cut
        ON CONFLICT (day, group_kind, group_key) DO UPDATE
          SET due = r.due + EXCLUDED.due, on_time = r.on_time + EXCLUDED.on_time, late = r.late + EXCLUDED.late, missed = r.missed + EXCLUDED.missed;
        DELETE FROM inspection_daily WHERE day = (SELECT floor((extract(epoch FROM d.due_at) + offset_minutes * 60) / 86400)::int FROM inspection_daily_cut)
           AND due = 0 AND on_time = 0 AND late = 0 AND missed = 0;
      $$`);
    await q.query(`
      CREATE FUNCTION inspection_due_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM inspection_daily_apply(OLD, (SELECT street_code FROM place WHERE id = OLD.place_id), -1); END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN PERFORM inspection_daily_apply(NEW, (SELECT street_code FROM place WHERE id = NEW.place_id), 1); END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER inspection_due_rollup AFTER INSERT OR DELETE ON inspection_due FOR EACH ROW EXECUTE FUNCTION inspection_due_rollup()`);
    await q.query(`
      CREATE TRIGGER inspection_due_rollup_update AFTER UPDATE ON inspection_due FOR EACH ROW
        WHEN (OLD.state IS DISTINCT FROM NEW.state OR OLD.missed_at IS DISTINCT FROM NEW.missed_at OR OLD.due_at IS DISTINCT FROM NEW.due_at OR OLD.assignee_ids IS DISTINCT FROM NEW.assignee_ids)
        EXECUTE FUNCTION inspection_due_rollup()`);
    // A place moved to another street takes its due inspections with it.
    await q.query(`
      CREATE FUNCTION place_street_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM inspection_daily_apply(d, OLD.street_code, -1), inspection_daily_apply(d, NEW.street_code, 1) FROM inspection_due d WHERE d.place_id = NEW.id;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER place_street_rollup AFTER UPDATE OF street_code ON place FOR EACH ROW
        WHEN (OLD.street_code IS DISTINCT FROM NEW.street_code) EXECUTE FUNCTION place_street_rollup()`);
    await q.query(`
      INSERT INTO inspection_daily (day, group_kind, group_key, due, on_time, late, missed)
      SELECT floor((extract(epoch FROM d.due_at) + 480 * 60) / 86400)::int, c.group_kind, c.group_key, sum(c.due), sum(c.on_time), sum(c.late), sum(c.missed)
        FROM inspection_due d JOIN place pl ON pl.id = d.place_id, inspection_due_contribution(d, pl.street_code) c
       GROUP BY 1, 2, 3`);

    // Milestones: what one milestone adds to its groups (its item's owner and street, its campaign).
    await q.query(`
      CREATE FUNCTION campaign_milestone_contribution(ms campaign_milestone)
      RETURNS TABLE (group_kind text, group_key text, due int, met_on_time int, met_late int, open int)
      LANGUAGE sql STABLE AS $$
        SELECT k.kind, k.key, 1, coalesce(ms.done_at <= ms.due_at, false)::int, coalesce(ms.done_at > ms.due_at, false)::int, (ms.done_at IS NULL)::int
          FROM campaign_item ci CROSS JOIN LATERAL (VALUES ('owner', ci.owner_id::text), ('street', ci.street_code), ('campaign', ci.campaign_id::text)) AS k(kind, key)
         WHERE ci.id = ms.item_id
      $$`);
    await q.query(`
      CREATE TABLE milestone_daily (
        day int NOT NULL,
        group_kind text NOT NULL,
        group_key text NOT NULL,
        due int NOT NULL,
        met_on_time int NOT NULL,
        met_late int NOT NULL,
        open int NOT NULL,
        PRIMARY KEY (day, group_kind, group_key)
      )`);
    await q.query(`CREATE TABLE milestone_daily_cut (offset_minutes int NOT NULL)`);
    await q.query(`INSERT INTO milestone_daily_cut VALUES (480)`);
    await q.query(`
      CREATE FUNCTION milestone_daily_apply(ms campaign_milestone, sign int) RETURNS void LANGUAGE sql AS $$
        INSERT INTO milestone_daily AS r (day, group_kind, group_key, due, met_on_time, met_late, open)
        SELECT floor((extract(epoch FROM ms.due_at) + cut.offset_minutes * 60) / 86400)::int, c.group_kind, c.group_key,
               sign * c.due, sign * c.met_on_time, sign * c.met_late, sign * c.open
          FROM campaign_milestone_contribution(ms) c, milestone_daily_cut cut
        ON CONFLICT (day, group_kind, group_key) DO UPDATE
          SET due = r.due + EXCLUDED.due, met_on_time = r.met_on_time + EXCLUDED.met_on_time, met_late = r.met_late + EXCLUDED.met_late, open = r.open + EXCLUDED.open;
        DELETE FROM milestone_daily WHERE day = (SELECT floor((extract(epoch FROM ms.due_at) + offset_minutes * 60) / 86400)::int FROM milestone_daily_cut)
           AND due = 0 AND met_on_time = 0 AND met_late = 0 AND open = 0;
      $$`);
    await q.query(`
      CREATE FUNCTION campaign_milestone_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM milestone_daily_apply(OLD, -1); END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN PERFORM milestone_daily_apply(NEW, 1); END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER campaign_milestone_rollup AFTER INSERT OR DELETE ON campaign_milestone FOR EACH ROW EXECUTE FUNCTION campaign_milestone_rollup()`);
    await q.query(`
      CREATE TRIGGER campaign_milestone_rollup_update AFTER UPDATE ON campaign_milestone FOR EACH ROW
        WHEN (OLD.done_at IS DISTINCT FROM NEW.done_at OR OLD.due_at IS DISTINCT FROM NEW.due_at) EXECUTE FUNCTION campaign_milestone_rollup()`);
    await q.query(`
      INSERT INTO milestone_daily (day, group_kind, group_key, due, met_on_time, met_late, open)
      SELECT floor((extract(epoch FROM ms.due_at) + 480 * 60) / 86400)::int, c.group_kind, c.group_key, sum(c.due), sum(c.met_on_time), sum(c.met_late), sum(c.open)
        FROM campaign_milestone ms, campaign_milestone_contribution(ms) c
       GROUP BY 1, 2, 3`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER campaign_milestone_rollup_update ON campaign_milestone`);
    await q.query(`DROP TRIGGER campaign_milestone_rollup ON campaign_milestone`);
    await q.query(`DROP FUNCTION campaign_milestone_rollup()`);
    await q.query(`DROP FUNCTION milestone_daily_apply(campaign_milestone, int)`);
    await q.query(`DROP TABLE milestone_daily_cut`);
    await q.query(`DROP TABLE milestone_daily`);
    await q.query(`DROP FUNCTION campaign_milestone_contribution(campaign_milestone)`);
    await q.query(`DROP TRIGGER place_street_rollup ON place`);
    await q.query(`DROP FUNCTION place_street_rollup()`);
    await q.query(`DROP TRIGGER inspection_due_rollup_update ON inspection_due`);
    await q.query(`DROP TRIGGER inspection_due_rollup ON inspection_due`);
    await q.query(`DROP FUNCTION inspection_due_rollup()`);
    await q.query(`DROP FUNCTION inspection_daily_apply(inspection_due, text, int)`);
    await q.query(`DROP TABLE inspection_daily_cut`);
    await q.query(`DROP TABLE inspection_daily`);
    await q.query(`DROP FUNCTION inspection_due_contribution(inspection_due, text)`);
    await q.query(`DROP TABLE field_formula`);
    await q.query(`DROP FUNCTION field_formula_frozen()`);
  }
}
