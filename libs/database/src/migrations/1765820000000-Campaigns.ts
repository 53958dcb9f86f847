import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Campaigns (专项行动, domain.md section 8, issue 17 item 5), owned by libs/campaigns:
 * - `campaign`: a time-boxed effort with an owner and its default milestones.
 * - `campaign_item`: a place in a campaign with its owner; the place's street is kept with the item
 *   (who sees it: the access model's campaign access).
 * - `campaign_milestone`: an item's milestones with due and done times; an overdue mark and the
 *   leaders it was escalated to, once (the dispatcher's milestone timers).
 * - `campaign_progress`: progress reports with evidence photos (append-only).
 */
export class Campaigns1765820000000 implements MigrationInterface {
  name = 'Campaigns1765820000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE campaign (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        kind text NOT NULL CHECK (length(kind) BETWEEN 1 AND 60),
        from_at timestamptz NOT NULL,
        to_at timestamptz NOT NULL CHECK (to_at > from_at),
        owner_id uuid NOT NULL REFERENCES app_user (id),
        milestones jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(milestones) = 'array'),
        created_by uuid REFERENCES app_user (id),
        created_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX campaign_period ON campaign (from_at, to_at)`);
    await q.query(`
      CREATE TABLE campaign_item (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        campaign_id uuid NOT NULL REFERENCES campaign (id),
        place_id uuid NOT NULL REFERENCES place (id),
        street_code text NOT NULL,
        owner_id uuid NOT NULL REFERENCES app_user (id),
        percent int NOT NULL DEFAULT 0 CHECK (percent BETWEEN 0 AND 100),
        created_at timestamptz NOT NULL,
        UNIQUE (campaign_id, place_id)
      )`);
    await q.query(`CREATE INDEX campaign_item_owner ON campaign_item (owner_id)`);
    await q.query(`CREATE INDEX campaign_item_street ON campaign_item (street_code)`);
    await q.query(`
      CREATE TABLE campaign_milestone (
        item_id uuid NOT NULL REFERENCES campaign_item (id),
        code text NOT NULL,
        name text NOT NULL,
        position int NOT NULL,
        due_at timestamptz NOT NULL,
        done_at timestamptz,
        done_by uuid REFERENCES app_user (id),
        overdue_at timestamptz,
        escalated_to uuid[] NOT NULL DEFAULT '{}',
        PRIMARY KEY (item_id, code)
      )`);
    // The dispatcher's sweep: milestones neither done nor marked, by due time.
    await q.query(`CREATE INDEX campaign_milestone_pending ON campaign_milestone (due_at) WHERE done_at IS NULL AND overdue_at IS NULL`);
    await q.query(`
      CREATE TABLE campaign_progress (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        item_id uuid NOT NULL REFERENCES campaign_item (id),
        milestone_code text,
        done boolean NOT NULL DEFAULT false,
        percent int CHECK (percent BETWEEN 0 AND 100),
        note text NOT NULL,
        media_ids uuid[] NOT NULL DEFAULT '{}',
        by_id uuid REFERENCES app_user (id),
        by_name text NOT NULL,
        at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX campaign_progress_item ON campaign_progress (item_id, at DESC)`);
    // Media's orphan purge keeps an upload a progress report holds as evidence.
    await q.query(`CREATE INDEX campaign_progress_media ON campaign_progress USING gin (media_ids)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE campaign_progress`);
    await q.query(`DROP TABLE campaign_milestone`);
    await q.query(`DROP TABLE campaign_item`);
    await q.query(`DROP TABLE campaign`);
  }
}
