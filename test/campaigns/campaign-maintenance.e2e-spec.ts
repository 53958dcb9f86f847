import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '@wangge/auth';
import { CampaignFiguresService, MilestoneClockService, type CampaignDetail, type CampaignEvaluation, type CampaignItemView, type CampaignLedger, type CampaignView, type ItemHistoryEntry } from '@wangge/campaigns';
import { ManualClock } from '@wangge/clock';
import { MilestoneSweeper } from '../../apps/dispatcher/src/clocks/milestone-sweeper';
import { pointInWardenCell, withDb } from '../support/cases';
import { until } from '../support/until';
import { startCampaignWorld, type CampaignWorld } from './support/campaign-world';

const MIN = 60_000;
const HOUR = 60 * MIN;
/** Monday 2026-11-23 09:00 in the district (UTC+8): ISO week 2026-W48. */
const T0 = new Date('2026-11-23T01:00:00Z');
const SURVEY_DUE = new Date('2026-11-24T10:00:00Z');
const CLOSE_DUE = new Date('2026-11-26T10:00:00Z');
const SURVEY_LATER = new Date('2026-11-25T10:00:00Z');
const SURVEY_EARLIER = new Date(T0.getTime() + 2 * HOUR);
const OPERATOR_HERE = { username: 'camp_street_op', password: 'camp-street-op-1' };
const OPERATOR_ELSEWHERE = { username: 'camp_other_op', password: 'camp-other-op-1' };

/**
 * Campaigns maintained (issue 17 leftover, docs/campaigns.md): a campaign changed and ended, an item
 * given a new owner and withdrawn, milestones moved later and earlier; the dispatcher's milestone
 * timers on a ManualClock, the feed, the ledger, the figures; on real PostgreSQL + PostGIS and Redis.
 */
describe('campaign maintenance', () => {
  let world: CampaignWorld;
  let intake: CampaignWorld['intake'];
  let dispatcher: CampaignWorld['dispatcher'];
  let http: CampaignWorld['http'];
  let auth: CampaignWorld['auth'];
  let ids: CampaignWorld['ids'];
  const clock = new ManualClock(T0);
  let campaign: CampaignDetail;
  const items: CampaignItemView[] = [];
  let listeners: Record<'leader' | 'chief2' | 'warden2' | 'elsewhere', Awaited<ReturnType<CampaignWorld['listen']>>>;

  beforeAll(async () => {
    world = await startCampaignWorld('campaign-maintenance', clock);
    ({ intake, dispatcher, http, auth, ids } = world);
    await withDb(intake.databaseUrl, async (db) => {
      const here = (await pointInWardenCell(db, 'warden1', 0)).streetCode;
      const other = (await db.query(`SELECT code FROM street WHERE code <> $1 ORDER BY code LIMIT 1`, [here])).rows[0].code as string;
      for (const [u, street] of [
        [OPERATOR_HERE, here],
        [OPERATOR_ELSEWHERE, other],
      ] as const) {
        await db.query(`INSERT INTO app_user (username, name, role, street_code, password_hash) VALUES ($1, $1, 'operator', $2, $3)`, [u.username, street, await hashPassword(u.password)]);
      }
    });
    auth.here = await intake.bearer(OPERATOR_HERE.username, OPERATOR_HERE.password);
    auth.elsewhere = await intake.bearer(OPERATOR_ELSEWHERE.username, OPERATOR_ELSEWHERE.password);
    listeners = {
      leader: await world.listen(auth.leader),
      chief2: await world.listen(auth.chief2),
      warden2: await world.listen(auth.warden2),
      elsewhere: await world.listen(auth.elsewhere),
    };

    const created = await http.post<CampaignDetail>(
      '/api/v1/campaigns',
      {
        name: '市场外迁',
        kind: 'market_relocation',
        from: '2026-11-20T00:00:00+08:00',
        to: '2027-01-01T00:00:00+08:00',
        ownerId: ids.leader,
        milestones: [
          { code: 'survey', name: '摸清底数', dueAt: SURVEY_DUE.toISOString() },
          { code: 'close', name: '限期关停', dueAt: CLOSE_DUE.toISOString() },
        ],
      },
      auth.leader,
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    campaign = created.body;
    for (const [n, owner] of ['chief1', 'chief1', 'chief1', 'warden1'].entries()) {
      const p = await withDb(intake.databaseUrl, (db) => pointInWardenCell(db, 'warden1', n));
      const place = await http.post<{ id: string }>('/api/v1/places', { kind: 'market', name: `外迁市场${n + 1}`, geometry: { type: 'Point', coordinates: [p.lng, p.lat] } }, auth.leader);
      const item = await http.post<CampaignItemView>(`/api/v1/campaigns/${campaign.id}/items`, { placeId: place.body.id, ownerId: ids[owner] }, auth.leader);
      expect(item.status, JSON.stringify(item.body)).toBe(201);
      items.push(item.body);
    }
  });
  afterAll(async () => {
    await world?.close();
  });

  const patch = <T = Record<string, unknown>>(path: string, body: unknown, who: string) => http.call<T>('PATCH', `/api/v1/campaigns/${campaign.id}${path}`, { auth: auth[who], body });
  const overdue = () =>
    withDb(intake.databaseUrl, async (db) => (await db.query(`SELECT item_id, code FROM campaign_milestone WHERE overdue_at IS NOT NULL ORDER BY item_id, code`)).rows as { item_id: string; code: string }[]);
  const sweepAt = async (at: Date) => {
    clock.set(at);
    await dispatcher.app.get(MilestoneSweeper).sweep(false);
  };
  const written = () =>
    withDb(intake.databaseUrl, async (db) => ({
      changes: Number((await db.query(`SELECT count(*) AS n FROM campaign_change`)).rows[0].n),
      audit: Number((await db.query(`SELECT count(*) AS n FROM audit_entry WHERE entity IN ('campaign', 'campaign_item')`)).rows[0].n),
      campaign: (await db.query(`SELECT name, to_at, owner_id, state FROM campaign`)).rows,
      items: (await db.query(`SELECT id, owner_id, withdrawn_at FROM campaign_item ORDER BY id`)).rows,
      milestones: (await db.query(`SELECT item_id, code, due_at FROM campaign_milestone ORDER BY item_id, code`)).rows,
    }));

  it('refuses bad input naming the field, and those the access model does not let change, writing nothing', async () => {
    const before = await written();
    const field = async (r: Promise<{ status: number; body: { details?: { field: string }[] } }>, status: number, name: string) => {
      const res = await r;
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      expect(res.body.details?.length).toBeGreaterThan(0);
      expect(new Set(res.body.details?.map((d) => d.field))).toEqual(new Set([name]));
    };
    await field(patch('', { state: 'completed' }, 'leader'), 400, 'note');
    await field(patch('', { to: '2026-11-01T00:00:00Z' }, 'leader'), 400, 'to');
    await field(patch('', { state: 'paused', note: 'x' }, 'leader'), 400, 'state');
    await field(patch('', { ownerId: '00000000-0000-4000-8000-000000000000' }, 'leader'), 422, 'ownerId');
    await field(patch(`/items/${items[0].id}`, { withdrawn: true }, 'leader'), 400, 'reason');
    await field(patch(`/items/${items[0].id}`, {}, 'leader'), 400, 'ownerId');
    await field(patch(`/items/${items[0].id}/milestones/survey`, { dueAt: SURVEY_LATER.toISOString() }, 'leader'), 400, 'reason');
    await field(patch(`/items/${items[0].id}/milestones/survey`, { dueAt: 'tomorrow', reason: 'x' }, 'leader'), 400, 'dueAt');
    await field(patch(`/items/${items[0].id}/milestones/nope`, { dueAt: SURVEY_LATER.toISOString(), reason: 'x' }, 'leader'), 422, 'code');
    // The access model: a chief owning items sees the campaign but does not change it nor its items;
    // another street's staff and a warden without items do not see them.
    expect((await patch('', { name: 'x' }, 'chief1')).status).toBe(403);
    expect((await patch('', { name: 'x' }, 'here')).status).toBe(403);
    expect((await patch('', { name: 'x' }, 'warden2')).status).toBe(404);
    expect((await patch(`/items/${items[0].id}`, { ownerId: ids.chief2 }, 'chief1')).status).toBe(403);
    expect((await patch(`/items/${items[0].id}/milestones/survey`, { dueAt: SURVEY_LATER.toISOString(), reason: 'x' }, 'chief1')).status).toBe(403);
    expect((await patch(`/items/${items[0].id}`, { ownerId: ids.chief2 }, 'elsewhere')).status).toBe(404);
    expect((await patch(`/items/${items[3].id}`, { withdrawn: true, reason: 'x' }, 'warden2')).status).toBe(404);
    expect(await written()).toEqual(before);
  });

  it('moves a milestone later before its due (no escalation then, once at the new time) and another earlier (escalated at the new time)', async () => {
    clock.set(new Date(T0.getTime() + HOUR));
    const later = await patch<CampaignItemView>(`/items/${items[0].id}/milestones/survey`, { dueAt: SURVEY_LATER.toISOString(), reason: '区领导调整时间节点' }, 'leader');
    expect(later.status, JSON.stringify(later.body)).toBe(200);
    expect(later.body.milestones[0]).toMatchObject({ code: 'survey', dueAt: SURVEY_LATER.toISOString(), state: 'pending' });
    // The item's street staff move milestones too.
    const earlier = await patch<CampaignItemView>(`/items/${items[1].id}/milestones/survey`, { dueAt: SURVEY_EARLIER.toISOString(), reason: '提前完成摸底' }, 'here');
    expect(earlier.status, JSON.stringify(earlier.body)).toBe(200);

    await sweepAt(new Date(SURVEY_EARLIER.getTime() + MIN));
    await until('the earlier survey overdue', 10_000, async () => (await overdue()).length === 1);
    expect(await overdue()).toEqual([{ item_id: items[1].id, code: 'survey' }]);

    await sweepAt(new Date(SURVEY_DUE.getTime() + MIN));
    await until('two more surveys overdue', 10_000, async () => (await overdue()).length === 3);
    await new Promise((r) => setTimeout(r, 400));
    expect((await overdue()).map((r) => r.item_id).sort()).toEqual([items[1].id, items[2].id, items[3].id].sort());
    // The moved milestone's old timer finds its due time changed.
    expect(await dispatcher.app.get(MilestoneClockService).expire(items[0].id, 'survey', SURVEY_DUE)).toEqual({ kind: 'stale' });

    await sweepAt(new Date(SURVEY_LATER.getTime() + MIN));
    await until('the later survey overdue', 10_000, async () => (await overdue()).length === 4);
    await sweepAt(new Date(SURVEY_LATER.getTime() + 2 * MIN));
    await new Promise((r) => setTimeout(r, 400));
    await until('four overdue events', 10_000, () => listeners.leader.events.filter((e) => e.type === 'campaign.milestone_overdue').length === 4);
    const marks = listeners.leader.events.filter((e) => e.type === 'campaign.milestone_overdue').map((e) => `${e.itemId}:${e.milestone?.code}:${e.milestone?.dueAt}`);
    expect(marks.filter((k) => k.startsWith(`${items[0].id}:survey`))).toEqual([`${items[0].id}:survey:${SURVEY_LATER.toISOString()}`]);
    expect(marks.filter((k) => k.startsWith(`${items[1].id}:survey`))).toEqual([`${items[1].id}:survey:${SURVEY_EARLIER.toISOString()}`]);
  });

  it('makes an overdue milestone moved later pending again, its past mark kept in the history, the rollups equal to the facts', async () => {
    const moved = await patch<CampaignItemView>(`/items/${items[2].id}/milestones/survey`, { dueAt: '2026-11-30T10:00:00Z', reason: '商户协商延期' }, 'leader');
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body.milestones[0]).toMatchObject({ state: 'pending', overdueAt: null, escalatedTo: [] });
    const history = await http.get<ItemHistoryEntry[]>(`/api/v1/campaigns/${campaign.id}/items/${items[2].id}/history`, auth.leader);
    expect(history.status).toBe(200);
    expect(history.body[0]).toMatchObject({ source: 'change', kind: 'milestone.moved', reason: '商户协商延期', by: { id: ids.leader }, after: { dueAt: '2026-11-30T10:00:00.000Z', overdueAt: null } });
    expect(history.body[0].before).toMatchObject({ dueAt: SURVEY_DUE.toISOString(), overdueAt: expect.any(String) });
    expect((history.body[0].before as { escalatedTo: string[] }).escalatedTo).toContain(ids.leader);
    // A done milestone cannot be moved.
    clock.set(new Date(SURVEY_LATER.getTime() + 3 * MIN));
    expect((await http.post(`/api/v1/campaigns/${campaign.id}/items/${items[0].id}/progress`, { milestoneCode: 'close', done: true, note: '已关停' }, auth.chief1)).status).toBe(201);
    const done = await patch(`/items/${items[0].id}/milestones/close`, { dueAt: '2026-12-20T00:00:00Z', reason: 'x' }, 'leader');
    expect(done.status).toBe(409);
    expect(done.body.error).toBe('milestone_done');
  });

  it('gives an item a new owner: the new owner sees it, its feed event reaches them', async () => {
    const choices = await http.get<{ id: string }[]>(`/api/v1/campaigns/${campaign.id}/owner-choices`, auth.here);
    expect(choices.status).toBe(200);
    expect(choices.body.map((c) => c.id)).toContain(ids.chief2);
    expect((await http.get(`/api/v1/campaigns/${campaign.id}/owner-choices`, auth.chief1)).status).toBe(403);
    const changed = await patch<CampaignItemView>(`/items/${items[1].id}`, { ownerId: ids.chief2 }, 'here');
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body.owner).toEqual({ id: ids.chief2, name: expect.any(String) });
    const seen = await http.get<CampaignDetail>(`/api/v1/campaigns/${campaign.id}`, auth.chief2);
    expect(seen.body.items.map((i) => i.id)).toEqual([items[1].id]);
    await until('chief2 hears of it', 10_000, () => listeners.chief2.events.some((e) => e.type === 'campaign.item_updated' && e.itemId === items[1].id));
  });

  it('withdraws an item: kept and marked in the ledger (JSON and XLSX), its milestone does not escalate, the figures leave it out', async () => {
    const w = await patch<CampaignItemView>(`/items/${items[3].id}`, { withdrawn: true, reason: '市场已提前关闭' }, 'leader');
    expect(w.status, JSON.stringify(w.body)).toBe(200);
    expect(w.body).toMatchObject({ state: 'withdrawn', withdrawn: { reason: '市场已提前关闭' } });
    expect((await http.post(`/api/v1/campaigns/${campaign.id}/items/${items[3].id}/progress`, { note: 'x' }, auth.warden1)).body.error).toBe('item_withdrawn');
    expect((await patch(`/items/${items[3].id}/milestones/close`, { dueAt: '2026-12-20T00:00:00Z', reason: 'x' }, 'leader')).status).toBe(409);

    await sweepAt(new Date(CLOSE_DUE.getTime() + MIN));
    await until('closes overdue', 10_000, async () => (await overdue()).filter((r) => r.code === 'close').length === 2);
    await new Promise((r) => setTimeout(r, 400));
    expect((await overdue()).filter((r) => r.code === 'close').map((r) => r.item_id).sort()).toEqual([items[1].id, items[2].id].sort());
    expect(await dispatcher.app.get(MilestoneClockService).expire(items[3].id, 'close', CLOSE_DUE)).toEqual({ kind: 'stale' });

    const ledger = (await http.get<CampaignLedger>(`/api/v1/campaigns/${campaign.id}/ledger.json`, auth.leader)).body;
    const row = ledger.rows.find((r) => r.itemId === items[3].id)!;
    expect(row).toMatchObject({ state: 'withdrawn', withdrawnReason: '市场已提前关闭', withdrawnAt: expect.any(String) });
    const xlsx = await fetch(`${intake.baseUrl}/api/v1/campaigns/${campaign.id}/ledger.xlsx`, { headers: { authorization: auth.leader } });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as never);
    const sheet = book.worksheets[0];
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const line = (sheet.getRow(ledger.rows.indexOf(row) + 2).values as unknown[]).slice(1);
    expect(line[header.indexOf('状态 State')]).toBe('withdrawn');
    expect(line[header.indexOf('撤出原因 Withdrawn because')]).toBe('市场已提前关闭');
    expect(line[header.indexOf('撤出时间 Withdrawn at')]).toBe(row.withdrawnAt);

    const detail = (await http.get<CampaignDetail>(`/api/v1/campaigns/${campaign.id}`, auth.leader)).body;
    expect(detail.items).toHaveLength(4);
    expect(detail.counts).toMatchObject({ items: 3, milestones: 6 });
    const evaluation = await http.get<CampaignEvaluation>(`/api/v1/campaigns/evaluation?from=2026-11-23&to=2026-12-01&groupBy=owner`, auth.leader);
    expect(evaluation.status, JSON.stringify(evaluation.body)).toBe(200);
    expect(evaluation.body.rows.map((r) => r.group.id)).not.toContain(ids.warden1);
    const section = await intake.app.get(CampaignFiguresService).bulletinSection({ from: new Date('2026-11-22T16:00:00Z'), to: new Date('2026-11-29T16:00:00Z') });
    expect(section.figures.find((f) => f.key === 'items')?.value).toBe(3);
    // The rollups (kept by triggers through moves, owner changes and withdrawals) equal the facts.
    await withDb(intake.databaseUrl, async (db) => {
      const rollups = (await db.query(`SELECT group_kind, group_key, sum(due)::int AS due, sum(met_on_time)::int AS on_time, sum(met_late)::int AS late, sum(open)::int AS open FROM milestone_daily GROUP BY 1, 2 HAVING sum(due) <> 0 ORDER BY 1, 2`)).rows;
      const facts = (await db.query(`SELECT c.group_kind, c.group_key, sum(c.due)::int AS due, sum(c.met_on_time)::int AS on_time, sum(c.met_late)::int AS late, sum(c.open)::int AS open FROM campaign_milestone ms, campaign_milestone_contribution(ms) c GROUP BY 1, 2 ORDER BY 1, 2`)).rows;
      expect(rollups).toEqual(facts);
      expect(facts.find((r: { group_key: string }) => r.group_key === ids.warden1)).toBeUndefined();
    });
  });

  it('ends the campaign: no more progress or items (409), shown ended, not counted active, its milestones stop escalating', async () => {
    const figures = () => intake.app.get(CampaignFiguresService).bulletinSection({ from: new Date('2026-11-29T16:00:00Z'), to: new Date('2026-12-06T16:00:00Z') });
    clock.set(new Date('2026-11-27T02:00:00Z'));
    expect((await figures()).figures.find((f) => f.key === 'campaignsActive')?.value).toBe(1);
    const renamed = await patch<CampaignDetail>('', { name: '市场外迁（一期）', to: '2026-12-31T00:00:00+08:00' }, 'leader');
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    expect(renamed.body).toMatchObject({ name: '市场外迁（一期）', to: '2026-12-30T16:00:00.000Z', state: 'active', canEdit: true });
    const ended = await patch<CampaignDetail>('', { state: 'completed', note: '市场已全部外迁' }, 'leader');
    expect(ended.status, JSON.stringify(ended.body)).toBe(200);
    expect(ended.body).toMatchObject({ state: 'completed', ended: { note: '市场已全部外迁', at: '2026-11-27T02:00:00.000Z' }, canEdit: false });

    const refused = await http.post(`/api/v1/campaigns/${campaign.id}/items/${items[2].id}/progress`, { note: 'x' }, auth.chief1);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toBe('campaign_ended');
    const p = await withDb(intake.databaseUrl, (db) => pointInWardenCell(db, 'warden1', 5));
    const place = await http.post<{ id: string }>('/api/v1/places', { kind: 'market', name: '外迁市场9', geometry: { type: 'Point', coordinates: [p.lng, p.lat] } }, auth.leader);
    expect((await http.post(`/api/v1/campaigns/${campaign.id}/items`, { placeId: place.body.id, ownerId: ids.chief1 }, auth.leader)).status).toBe(409);
    expect((await patch('', { state: 'active' }, 'leader')).status).toBe(409);
    expect((await patch(`/items/${items[2].id}/milestones/survey`, { dueAt: '2026-12-20T00:00:00Z', reason: 'x' }, 'leader')).status).toBe(409);

    const list = await http.get<CampaignView[]>('/api/v1/campaigns', auth.leader);
    expect(list.body.map((c) => [c.id, c.state])).toEqual([[campaign.id, 'completed']]);
    expect((await figures()).figures.find((f) => f.key === 'campaignsActive')?.value).toBe(0);
    const ledger = (await http.get<CampaignLedger>(`/api/v1/campaigns/${campaign.id}/ledger.json`, auth.leader)).body;
    expect(ledger.campaign).toMatchObject({ state: 'completed', endedAt: '2026-11-27T02:00:00.000Z' });

    // item 2's survey (moved to 2026-11-30) is pending: it no longer escalates.
    const before = (await overdue()).length;
    await sweepAt(new Date('2026-11-30T10:01:00Z'));
    await new Promise((r) => setTimeout(r, 500));
    expect(await dispatcher.app.get(MilestoneClockService).expire(items[2].id, 'survey', new Date('2026-11-30T10:00:00Z'))).toEqual({ kind: 'stale' });
    expect(await overdue()).toHaveLength(before);

    const audit = await withDb(intake.databaseUrl, async (db) => (await db.query(`SELECT action, before->>'state' AS b, after->>'state' AS a FROM audit_entry WHERE entity = 'campaign' ORDER BY id`)).rows);
    expect(audit).toEqual([
      { action: 'campaign.updated', b: 'active', a: 'active' },
      { action: 'campaign.ended', b: 'active', a: 'completed' },
    ]);
  });

  it('announces the changes in the right rooms: the district, the owners, the street; not to others', async () => {
    const types = () => listeners.leader.events.map((e) => e.type);
    await until('the leader’s events', 10_000, () => types().includes('campaign.ended'));
    await new Promise((r) => setTimeout(r, 400));
    const count = (t: string) => types().filter((x) => x === t).length;
    expect(count('campaign.milestone_moved')).toBe(3);
    expect(count('campaign.item_updated')).toBe(1);
    expect(count('campaign.item_withdrawn')).toBe(1);
    expect(count('campaign.updated')).toBe(1);
    expect(count('campaign.ended')).toBe(1);
    const moved = listeners.leader.events.find((e) => e.type === 'campaign.milestone_moved' && e.itemId === items[0].id)!;
    expect(moved).toMatchObject({ previousDueAt: SURVEY_DUE.toISOString(), milestone: { code: 'survey', dueAt: SURVEY_LATER.toISOString() }, reason: '区领导调整时间节点' });
    // chief2 now owns item 1: its change and the campaign's end reach them; warden2 and another street's staff hear nothing.
    expect(listeners.chief2.events.map((e) => e.type)).toEqual(expect.arrayContaining(['campaign.item_updated', 'campaign.ended']));
    expect(new Set(listeners.chief2.events.filter((e) => e.itemId).map((e) => e.itemId))).toEqual(new Set([items[1].id]));
    expect(listeners.warden2.events).toEqual([]);
    expect(listeners.elsewhere.events).toEqual([]);
  });
});
