import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Campaigns that can be maintained (issue 17 leftover, docs/campaigns.md), owned by libs/campaigns:
 * - `campaign.state`: active, completed or cancelled; when it ended, by whom, why. An ended
 *   campaign takes no more items or progress; its pending milestones no longer escalate.
 * - `campaign_item.withdrawn_*`: an item withdrawn from the ledger (撤出台账) stays, marked; its
 *   milestones no longer escalate and no longer count in the figures or the evaluation.
 * - `campaign_change`: the history of changes (campaign edited or ended, item owner changed or
 *   withdrawn, milestone moved: before and after, why, by whom); a moved milestone's cleared overdue
 *   mark is kept here.
 * - `campaign_milestone_contribution` leaves out withdrawn items; the milestone rollups follow an
 *   item's owner change or withdrawal (its milestones are taken out before and put back after).
 */
export class CampaignMaintenance1765930000000 implements MigrationInterface {
  name = 'CampaignMaintenance1765930000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE campaign ADD COLUMN state text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'completed', 'cancelled'))`);
    await q.query(`ALTER TABLE campaign ADD COLUMN ended_at timestamptz, ADD COLUMN ended_by uuid REFERENCES app_user (id), ADD COLUMN end_note text`);
    await q.query(`ALTER TABLE campaign ADD CONSTRAINT campaign_ended CHECK ((state = 'active') = (ended_at IS NULL))`);
    await q.query(`ALTER TABLE campaign_item ADD COLUMN withdrawn_at timestamptz, ADD COLUMN withdrawn_by uuid REFERENCES app_user (id), ADD COLUMN withdrawn_reason text`);
    await q.query(`ALTER TABLE campaign_item ADD CONSTRAINT campaign_item_withdrawn CHECK ((withdrawn_at IS NULL) = (withdrawn_reason IS NULL))`);
    await q.query(`
      CREATE TABLE campaign_change (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        campaign_id uuid NOT NULL REFERENCES campaign (id),
        item_id uuid REFERENCES campaign_item (id),
        kind text NOT NULL,
        before jsonb,
        after jsonb,
        reason text,
        by_id uuid REFERENCES app_user (id),
        by_name text NOT NULL,
        at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX campaign_change_item ON campaign_change (item_id, at DESC)`);
    await q.query(`CREATE INDEX campaign_change_campaign ON campaign_change (campaign_id, at DESC)`);
    await q.query(contribution(true));
    // An item's owner or withdrawal changes what its milestones add: out before the change, in after.
    await q.query(`
      CREATE FUNCTION campaign_item_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM milestone_daily_apply(ms, CASE WHEN TG_WHEN = 'BEFORE' THEN -1 ELSE 1 END) FROM campaign_milestone ms WHERE ms.item_id = NEW.id;
        RETURN NEW;
      END $$`);
    const when = `WHEN (OLD.owner_id IS DISTINCT FROM NEW.owner_id OR OLD.withdrawn_at IS DISTINCT FROM NEW.withdrawn_at OR OLD.street_code IS DISTINCT FROM NEW.street_code)`;
    await q.query(`CREATE TRIGGER campaign_item_rollup_out BEFORE UPDATE ON campaign_item FOR EACH ROW ${when} EXECUTE FUNCTION campaign_item_rollup()`);
    await q.query(`CREATE TRIGGER campaign_item_rollup_in AFTER UPDATE ON campaign_item FOR EACH ROW ${when} EXECUTE FUNCTION campaign_item_rollup()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER campaign_item_rollup_in ON campaign_item`);
    await q.query(`DROP TRIGGER campaign_item_rollup_out ON campaign_item`);
    await q.query(`DROP FUNCTION campaign_item_rollup()`);
    await q.query(`UPDATE campaign_item SET withdrawn_at = NULL, withdrawn_reason = NULL WHERE withdrawn_at IS NOT NULL`);
    await q.query(contribution(false));
    await q.query(`DROP TABLE campaign_change`);
    await q.query(`ALTER TABLE campaign_item DROP CONSTRAINT campaign_item_withdrawn, DROP COLUMN withdrawn_reason, DROP COLUMN withdrawn_by, DROP COLUMN withdrawn_at`);
    await q.query(`ALTER TABLE campaign DROP CONSTRAINT campaign_ended, DROP COLUMN end_note, DROP COLUMN ended_by, DROP COLUMN ended_at, DROP COLUMN state`);
  }
}

/** What one milestone adds to its groups (1765900000000-FieldEvaluation), leaving out withdrawn items when `withdrawn`. */
function contribution(withdrawn: boolean): string {
  return `
    CREATE OR REPLACE FUNCTION campaign_milestone_contribution(ms campaign_milestone)
    RETURNS TABLE (group_kind text, group_key text, due int, met_on_time int, met_late int, open int)
    LANGUAGE sql STABLE AS $$
      SELECT k.kind, k.key, 1, coalesce(ms.done_at <= ms.due_at, false)::int, coalesce(ms.done_at > ms.due_at, false)::int, (ms.done_at IS NULL)::int
        FROM campaign_item ci CROSS JOIN LATERAL (VALUES ('owner', ci.owner_id::text), ('street', ci.street_code), ('campaign', ci.campaign_id::text)) AS k(kind, key)
       WHERE ci.id = ms.item_id${withdrawn ? ' AND ci.withdrawn_at IS NULL' : ''}
    $$`;
}
