/**
 * The SQL of campaigns (campaign, campaign_item, campaign_milestone, campaign_progress), owned by
 * libs/campaigns. Reads app_user for owners' names, whether an owner is active staff, and the
 * leaders over a street; street for names in the evaluation (data-ownership.md).
 */

/** $1 user id: an active staff member (an owner). */
export const STAFF_PERSON_SQL = `SELECT id, name FROM app_user WHERE id = $1::uuid AND active AND role <> 'citizen'`;

/** $1 street code: the street's own leaders; none: the district's leaders (whom an overdue milestone is escalated to). */
export const STREET_LEADERS_SQL = `
  WITH over AS (SELECT id, name, street_code FROM app_user WHERE role = 'leader' AND active AND (street_code = $1 OR street_code IS NULL))
  SELECT id, name FROM over
   WHERE street_code = $1 OR NOT EXISTS (SELECT 1 FROM over WHERE street_code = $1)
   ORDER BY name, id`;

export const CAMPAIGN_SELECT_SQL = `
  SELECT c.id, c.name, c.kind, c.from_at, c.to_at, c.owner_id, o.name AS owner_name, c.milestones, c.created_at
    FROM campaign c JOIN app_user o ON o.id = c.owner_id`;

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
}

/** Items with their campaign owner and owner's name, their milestones (in order) and last progress report. */
export const ITEM_SELECT_SQL = `
  SELECT ci.id, ci.campaign_id, ci.place_id, ci.street_code, ci.owner_id, u.name AS owner_name, ci.percent, ci.created_at,
         c.owner_id AS campaign_owner_id, c.name AS campaign_name,
         coalesce((SELECT json_agg(json_build_object('code', ms.code, 'name', ms.name, 'dueAt', ms.due_at, 'doneAt', ms.done_at,
                                                     'overdueAt', ms.overdue_at, 'escalatedTo', ms.escalated_to) ORDER BY ms.position)
                     FROM campaign_milestone ms WHERE ms.item_id = ci.id), '[]') AS milestones,
         (SELECT count(*)::int FROM campaign_progress p WHERE p.item_id = ci.id) AS reports,
         (SELECT row_to_json(p) FROM (SELECT id, at, milestone_code, done, percent, note, media_ids, by_id, by_name
                                        FROM campaign_progress WHERE item_id = ci.id ORDER BY at DESC, id DESC LIMIT 1) p) AS last_progress
    FROM campaign_item ci
    JOIN campaign c ON c.id = ci.campaign_id
    JOIN app_user u ON u.id = ci.owner_id`;

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

/** Milestones neither done nor marked after ($3 item, $4 code), every one ($1) or those due before $2. */
export const PENDING_MILESTONES_SQL = `
  SELECT item_id, code, due_at FROM campaign_milestone
   WHERE done_at IS NULL AND overdue_at IS NULL AND ($1::boolean OR due_at < $2) AND (item_id, code) > ($3::uuid, $4::text)
   ORDER BY item_id, code LIMIT $5`;

/** Campaign figures of a period [$1, $2) over the whole district (bulletins). */
export const PERIOD_FIGURES_SQL = `
  WITH active AS (SELECT id FROM campaign WHERE from_at < $2 AND to_at > $1),
       ms AS (SELECT ms.* FROM campaign_milestone ms JOIN campaign_item ci ON ci.id = ms.item_id)
  SELECT (SELECT count(*) FROM active)::int AS campaigns_active,
         (SELECT count(*) FROM campaign_item WHERE campaign_id IN (SELECT id FROM active))::int AS items,
         (SELECT count(*) FROM ms WHERE due_at >= $1 AND due_at < $2)::int AS milestones_due,
         (SELECT count(*) FROM ms WHERE done_at >= $1 AND done_at < $2)::int AS milestones_met,
         (SELECT count(*) FROM ms WHERE done_at >= $1 AND done_at < $2 AND done_at <= due_at)::int AS milestones_met_on_time,
         (SELECT count(*) FROM ms WHERE due_at < $2 AND (done_at IS NULL OR done_at >= $2))::int AS milestones_overdue`;

/** The group of an evaluation row: key and name expressions. */
export const EVALUATION_GROUPS = {
  owner: { key: 'ci.owner_id::text', name: 'u.name' },
  street: { key: 'ci.street_code', name: 'coalesce(s.name, ci.street_code)' },
  campaign: { key: 'c.id::text', name: 'c.name' },
} as const;

/** Milestones due in [$1, least($2, $3)) per group; $3 now; more conditions (scope) in {where}. */
export function evaluationSql(groupBy: keyof typeof EVALUATION_GROUPS, where: string): string {
  const g = EVALUATION_GROUPS[groupBy];
  return `
    SELECT ${g.key} AS id, min(${g.name}) AS name,
           count(*)::int AS due,
           count(*) FILTER (WHERE ms.done_at IS NOT NULL AND ms.done_at <= ms.due_at)::int AS met_on_time,
           count(*) FILTER (WHERE ms.done_at > ms.due_at)::int AS met_late,
           count(*) FILTER (WHERE ms.done_at IS NULL)::int AS open
      FROM campaign_milestone ms
      JOIN campaign_item ci ON ci.id = ms.item_id
      JOIN campaign c ON c.id = ci.campaign_id
      JOIN app_user u ON u.id = ci.owner_id
      LEFT JOIN street s ON s.code = ci.street_code
     WHERE ms.due_at >= $1 AND ms.due_at < least($2::timestamptz, $3::timestamptz) AND ${where}
     GROUP BY ${g.key}
     ORDER BY 2, 1`;
}
