/**
 * A crafted history of field work (issue 17 item 7), written straight into places' and campaigns'
 * tables as their clocks and reports leave them: two sites (one in each of two streets) under a plan
 * every 8 hours whose slots were done, late, missed, cancelled or are still due, by a fixed pattern;
 * a campaign with an item at each site (owners chief1 and chief2) and a milestone every other day.
 */
export type Query = (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

export interface FieldHistory {
  ids: Record<'warden1' | 'warden2' | 'chief1' | 'chief2' | 'leader' | 'S1' | 'S2' | 'P1' | 'P2' | 'plan' | 'campaign', string>;
}

const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
/** A local (UTC+8, the demo's zone) time as the instant. */
const local = (t: string) => new Date(`${t}+08:00`);

/** The slots of days [firstDay, firstDay + days) and milestones due every other day of them. */
export async function craftFieldHistory(q: Query, firstDay: string, days: number): Promise<FieldHistory> {
  const ids: Record<string, string> = {};
  for (const u of await q(`SELECT username, id FROM app_user WHERE username IN ('warden1', 'warden2', 'chief1', 'chief2', 'leader')`)) ids[String(u.username)] = String(u.id);
  const streets = await q(`SELECT code FROM street ORDER BY code LIMIT 2`);
  [ids.S1, ids.S2] = streets.map((s) => String(s.code));
  for (const [name, street] of [['P1', ids.S1], ['P2', ids.S2]]) {
    const [p] = await q(
      `INSERT INTO place (kind, name, geom, point, grid_cell_code, community_code, street_code, responsible_id)
       SELECT 'site', $1, ST_PointOnSurface(g.geom), ST_PointOnSurface(g.geom), g.code, g.community_code, g.street_code, $3
         FROM grid_cell g WHERE g.street_code = $2 AND g.retired_at IS NULL ORDER BY g.code LIMIT 1 RETURNING id`,
      [`巡查工地 ${name}`, street, ids.warden1],
    );
    ids[name] = String(p.id);
  }
  const [checklist] = await q(`SELECT id FROM checklist ORDER BY name LIMIT 1`);
  const [plan] = await q(
    `INSERT INTO inspection_plan (checklist_id, place_kind, every, every_ms, from_at, to_at, assignee_ids, created_by, created_at)
     VALUES ($1, NULL, 'PT8H', 28800000, $2, NULL, NULL, $3, $2) RETURNING id`,
    [checklist.id, local(`${firstDay}T00:00`), ids.leader],
  );
  ids.plan = String(plan.id);
  const states = ['done', 'done', 'late', 'missed', 'done', 'cancelled', 'due'];
  let n = 0;
  for (let day = firstDay; day < addDays(firstDay, days); day = addDays(day, 1)) {
    for (const hour of ['00', '08', '16']) {
      for (const place of ['P1', 'P2']) {
        const state = states[n++ % states.length];
        const assignees = place === 'P1' ? [ids.warden1] : n % 2 ? [ids.warden1, ids.warden2] : [ids.warden2];
        await q(
          `INSERT INTO inspection_due (plan_id, place_id, slot_start, due_at, assignee_ids, state, done_at, missed_at, handled_at)
           VALUES ($1, $2, $3, $3::timestamptz + interval '8 hours', $4, $5,
                   CASE WHEN $5 IN ('done', 'late') THEN $3::timestamptz + interval '7 hours' END,
                   CASE WHEN $5 IN ('late', 'missed') THEN $3::timestamptz + interval '8 hours' END,
                   CASE WHEN $5 <> 'due' THEN $3::timestamptz + interval '8 hours' END)`,
          [ids.plan, ids[place], local(`${day}T${hour}:00`), assignees, state],
        );
      }
    }
  }
  const [campaign] = await q(`INSERT INTO campaign (name, kind, from_at, to_at, owner_id, created_at) VALUES ('市场外迁（考核）', 'market_relocation', $1, $2, $3, $1) RETURNING id`, [
    local(`${firstDay}T00:00`),
    local(`${addDays(firstDay, days + 30)}T00:00`),
    ids.leader,
  ]);
  ids.campaign = String(campaign.id);
  let k = 0;
  for (const [place, owner] of [['P1', 'chief1'], ['P2', 'chief2']]) {
    const [item] = await q(`INSERT INTO campaign_item (campaign_id, place_id, street_code, owner_id, created_at) VALUES ($1, $2, (SELECT street_code FROM place WHERE id = $2), $3, $4) RETURNING id`, [
      ids.campaign, ids[place], ids[owner], local(`${firstDay}T00:00`),
    ]);
    for (let day = addDays(firstDay, 1); day < addDays(firstDay, days); day = addDays(day, 2)) {
      // Met on time, met late, or not met, by position.
      await q(
        `INSERT INTO campaign_milestone (item_id, code, name, position, due_at, done_at)
         VALUES ($1, $2, $2, $3, $4, CASE $3 % 3 WHEN 0 THEN $4::timestamptz - interval '1 hour' WHEN 1 THEN $4::timestamptz + interval '1 day' END)`,
        [item.id, `m${k}`, k, local(`${day}T18:00`)],
      );
      k++;
    }
  }
  return { ids: ids as FieldHistory['ids'] };
}
