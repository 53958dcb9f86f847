/**
 * The SQL of campaigns (campaign, campaign_item, campaign_milestone, campaign_progress), owned by
 * libs/campaigns. Reads app_user for owners' names, whether an owner is active staff, and the
 * leaders over a street; street for names in the evaluation (data-ownership.md).
 */

import type { CampaignState } from './campaign.types';

/** $1 user id: an active staff member (an owner). */
export const STAFF_PERSON_SQL = `SELECT id, name FROM app_user WHERE id = $1::uuid AND active AND role <> 'citizen'`;

/** Active staff, who may own a campaign or an item (the owners `STAFF_PERSON_SQL` accepts). */
export const OWNER_CHOICES_SQL = `SELECT id, name, role FROM app_user WHERE active AND role <> 'citizen' ORDER BY name, id LIMIT 2000`;

/** $1 street code: the street's own leaders; none: the district's leaders (whom an overdue milestone is escalated to). */
export const STREET_LEADERS_SQL = `
  WITH over AS (SELECT id, name, street_code FROM app_user WHERE role = 'leader' AND active AND (street_code = $1 OR street_code IS NULL))
  SELECT id, name FROM over
   WHERE street_code = $1 OR NOT EXISTS (SELECT 1 FROM over WHERE street_code = $1)
   ORDER BY name, id`;

export const CAMPAIGN_SELECT_SQL = `
  SELECT c.id, c.name, c.kind, c.from_at, c.to_at, c.owner_id, o.name AS owner_name, c.milestones, c.created_at,
         c.state, c.ended_at, c.end_note, eb.name AS ended_by_name
    FROM campaign c JOIN app_user o ON o.id = c.owner_id LEFT JOIN app_user eb ON eb.id = c.ended_by`;

export interface CampaignRow {
  id: string;
  name: string;
  kind: string;
  from_at: Date;
  to_at: Date;
  owner_id: string;
  owner_name: string;
  milestones: { code: string; name: string; dueAt: string }[];
  created_at: Date;
  state: CampaignState;
  ended_at: Date | null;
  end_note: string | null;
  ended_by_name: string | null;
}

/** Items with their campaign owner and owner's name, their milestones (in order) and last progress report. */
export const ITEM_SELECT_SQL = `
  SELECT ci.id, ci.campaign_id, ci.place_id, ci.street_code, ci.owner_id, u.name AS owner_name, ci.percent, ci.created_at,
         c.owner_id AS campaign_owner_id, c.name AS campaign_name, c.state AS campaign_state,
         ci.withdrawn_at, ci.withdrawn_reason, wb.name AS withdrawn_by_name,
         coalesce((SELECT json_agg(json_build_object('code', ms.code, 'name', ms.name, 'dueAt', ms.due_at, 'doneAt', ms.done_at,
                                                     'overdueAt', ms.overdue_at, 'escalatedTo', ms.escalated_to) ORDER BY ms.position)
                     FROM campaign_milestone ms WHERE ms.item_id = ci.id), '[]') AS milestones,
         (SELECT count(*)::int FROM campaign_progress p WHERE p.item_id = ci.id) AS reports,
         (SELECT row_to_json(p) FROM (SELECT id, at, milestone_code, done, percent, note, media_ids, by_id, by_name
                                        FROM campaign_progress WHERE item_id = ci.id ORDER BY at DESC, id DESC LIMIT 1) p) AS last_progress
    FROM campaign_item ci
    JOIN campaign c ON c.id = ci.campaign_id
    JOIN app_user u ON u.id = ci.owner_id
    LEFT JOIN app_user wb ON wb.id = ci.withdrawn_by`;

export interface ItemRow {
  id: string;
  campaign_id: string;
  place_id: string;
  street_code: string;
  owner_id: string;
  owner_name: string;
  percent: number;
  created_at: Date;
  campaign_owner_id: string;
  campaign_name: string;
  campaign_state: CampaignState;
  withdrawn_at: Date | null;
  withdrawn_reason: string | null;
  withdrawn_by_name: string | null;
  milestones: { code: string; name: string; dueAt: string; doneAt: string | null; overdueAt: string | null; escalatedTo: string[] }[];
  reports: number;
  last_progress: {
    id: string;
    at: string;
    milestone_code: string | null;
    done: boolean;
    percent: number | null;
    note: string;
    media_ids: string[];
    by_id: string | null;
    by_name: string;
  } | null;
}

/** The item columns for the access model's SQL form (aliases `ci` and `c`). */
export const ITEM_COLUMNS = { streetCode: 'ci.street_code', ownerId: 'ci.owner_id', campaignOwnerId: 'c.owner_id' };

/**
 * Milestones neither done nor marked after ($3 item, $4 code), every one ($1) or those due before $2;
 * not of a withdrawn item nor of an ended campaign (they no longer escalate).
 */
export const PENDING_MILESTONES_SQL = `
  SELECT ms.item_id, ms.code, ms.due_at FROM campaign_milestone ms
    JOIN campaign_item ci ON ci.id = ms.item_id AND ci.withdrawn_at IS NULL
    JOIN campaign c ON c.id = ci.campaign_id AND c.state = 'active'
   WHERE ms.done_at IS NULL AND ms.overdue_at IS NULL AND ($1::boolean OR ms.due_at < $2) AND (ms.item_id, ms.code) > ($3::uuid, $4::text)
   ORDER BY ms.item_id, ms.code LIMIT $5`;

/** A milestone's timer's row, locked, with whether it still escalates (its item not withdrawn, its campaign active). */
export const MILESTONE_FOR_TIMER_SQL = `
  SELECT ms.name, ms.due_at, ms.done_at, ms.overdue_at, (ci.withdrawn_at IS NULL AND c.state = 'active') AS live
    FROM campaign_milestone ms JOIN campaign_item ci ON ci.id = ms.item_id JOIN campaign c ON c.id = ci.campaign_id
   WHERE ms.item_id = $1 AND ms.code = $2
     FOR UPDATE OF ms`;

/** An item's history ($1): its changes and progress reports, newest first. */
export const ITEM_HISTORY_SQL = `
  SELECT * FROM (
    SELECT id, 'change' AS source, kind, before, after, reason, NULL::text AS note, by_id, by_name, at FROM campaign_change WHERE item_id = $1
    UNION ALL
    SELECT id, 'progress', CASE WHEN done THEN 'milestone_done' ELSE 'progress' END, NULL, json_build_object('milestoneCode', milestone_code, 'percent', percent)::jsonb, NULL, note, by_id, by_name, at
      FROM campaign_progress WHERE item_id = $1
  ) h ORDER BY at DESC, id DESC LIMIT 500`;

/**
 * Campaign figures of a period [$1, $2) over the whole district (bulletins) beside the evaluation's
 * (milestones due and met on time come from the evaluation: one definition).
 */
export const PERIOD_FIGURES_SQL = `
  WITH active AS (SELECT id FROM campaign WHERE from_at < $2 AND to_at > $1 AND (ended_at IS NULL OR ended_at >= $2)),
       counted AS (SELECT ms.*, c.ended_at FROM campaign_milestone ms JOIN campaign_item ci ON ci.id = ms.item_id JOIN campaign c ON c.id = ci.campaign_id
                    WHERE ci.withdrawn_at IS NULL)
  SELECT (SELECT count(*) FROM active)::int AS campaigns_active,
         (SELECT count(*) FROM campaign_item WHERE campaign_id IN (SELECT id FROM active) AND withdrawn_at IS NULL)::int AS items,
         (SELECT count(*) FROM counted WHERE done_at >= $1 AND done_at < $2)::int AS milestones_met,
         (SELECT count(*) FROM counted WHERE due_at < $2 AND (done_at IS NULL OR done_at >= $2) AND (ended_at IS NULL OR ended_at > due_at))::int AS milestones_overdue`;

/** The group of an evaluation row: its name by key ($1 keys). */
export const EVALUATION_GROUP_NAMES = {
  owner: `SELECT k AS id, u.name FROM unnest($1::text[]) k JOIN app_user u ON u.id::text = k`,
  street: `SELECT k AS id, coalesce(s.name, k) AS name FROM unnest($1::text[]) k LEFT JOIN street s ON s.code = k`,
  campaign: `SELECT k AS id, c.name FROM unnest($1::text[]) k JOIN campaign c ON c.id::text = k`,
} as const;

/**
 * Milestones due in [$1, least($2, $3)) per group of kind {groupKind} (a parameter); $3 now; more
 * conditions (scope) in {where}: the sum of `campaign_milestone_contribution` (the one definition the
 * daily rollups keep too, migration 1765900000000-FieldEvaluation).
 */
export function evaluationSql(groupKind: string, where: string): string {
  return `
    SELECT k.group_key AS id, sum(k.due)::int AS due, sum(k.met_on_time)::int AS met_on_time, sum(k.met_late)::int AS met_late, sum(k.open)::int AS open
      FROM campaign_milestone ms
      JOIN campaign_item ci ON ci.id = ms.item_id
      JOIN campaign c ON c.id = ci.campaign_id,
      campaign_milestone_contribution(ms) k
     WHERE k.group_kind = ${groupKind} AND ms.due_at >= $1 AND ms.due_at < least($2::timestamptz, $3::timestamptz) AND ${where}
     GROUP BY 1`;
}

/** The same counts from the daily rollups: whole local days [$2, $3) of group kind $1. */
export const ROLLUP_EVALUATION_SQL = `
  SELECT group_key AS id, sum(due)::int AS due, sum(met_on_time)::int AS met_on_time, sum(met_late)::int AS met_late, sum(open)::int AS open
    FROM milestone_daily WHERE group_kind = $1 AND day >= $2 AND day < $3
   GROUP BY 1 HAVING sum(due) > 0`;

/** The offset the milestone rollups' days are cut at; rebuilding them at another ($1). */
export const ROLLUP_CUT_SQL = `SELECT offset_minutes FROM milestone_daily_cut`;
export const REBUILD_ROLLUPS_SQL = [
  `LOCK TABLE milestone_daily, milestone_daily_cut IN EXCLUSIVE MODE`,
  `UPDATE milestone_daily_cut SET offset_minutes = $1`,
  `DELETE FROM milestone_daily`,
  `INSERT INTO milestone_daily (day, group_kind, group_key, due, met_on_time, met_late, open)
   SELECT floor((extract(epoch FROM ms.due_at) + $1 * 60) / 86400)::int, c.group_kind, c.group_key, sum(c.due), sum(c.met_on_time), sum(c.met_late), sum(c.open)
     FROM campaign_milestone ms, campaign_milestone_contribution(ms) c
    GROUP BY 1, 2, 3`,
] as const;
