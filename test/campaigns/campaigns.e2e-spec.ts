import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MilestoneClockService, type CampaignDetail, type CampaignEvaluation, type CampaignItemView, type CampaignLedger, type CampaignView } from '@wangge/campaigns';
import { ManualClock } from '@wangge/clock';
import { JobQueue, QueueName } from '@wangge/jobs';
import { MilestoneSweeper } from '../../apps/dispatcher/src/clocks/milestone-sweeper';
import { pointInWardenCell, withDb } from '../support/cases';
import { until } from '../support/until';
import { startCampaignWorld, type CampaignWorld } from './support/campaign-world';

const HOUR = 3_600_000;
/** Monday 2026-11-23 09:00 in the district (UTC+8): ISO week 2026-W48. */
const T0 = new Date('2026-11-23T01:00:00Z');
const SURVEY_DUE = new Date('2026-11-24T10:00:00Z');
const CLOSE_DUE = new Date('2026-11-26T10:00:00Z');
const MOVE_DUE = new Date('2026-12-31T00:00:00Z');

/**
 * Issue 17 item 5 (domain.md 8): a 市场外迁 campaign of five markets through its milestones over
 * HTTP, the dispatcher's milestone timers on a ManualClock, the feed; on real PostgreSQL + PostGIS
 * and Redis.
 */
describe('campaigns and ledgers', () => {
  let world: CampaignWorld;
  let intake: CampaignWorld['intake'];
  let dispatcher: CampaignWorld['dispatcher'];
  let http: CampaignWorld['http'];
  let auth: CampaignWorld['auth'];
  let ids: CampaignWorld['ids'];
  const clock = new ManualClock(T0);
  let campaign: CampaignDetail;
  const items: CampaignItemView[] = [];
  let listeners: Record<'leader' | 'chief2' | 'warden2', Awaited<ReturnType<CampaignWorld['listen']>>>;

  beforeAll(async () => {
    world = await startCampaignWorld('campaigns', clock);
    ({ intake, dispatcher, http, auth, ids } = world);
    listeners = { leader: await world.listen(auth.leader), chief2: await world.listen(auth.chief2), warden2: await world.listen(auth.warden2) };
  });
  afterAll(async () => {
    await world?.close();
  });

  const milestonesOverdue = () =>
    withDb(intake.databaseUrl, async (db) => (await db.query(`SELECT item_id, code, escalated_to FROM campaign_milestone WHERE overdue_at IS NOT NULL ORDER BY item_id, code`)).rows as { item_id: string; code: string; escalated_to: string[] }[]);
  const progress = (item: CampaignItemView, body: unknown, who: string) => http.post<CampaignItemView>(`/api/v1/campaigns/${campaign.id}/items/${item.id}/progress`, body, auth[who]);
  const sweepAt = async (at: Date) => {
    clock.set(at);
    await dispatcher.app.get(MilestoneSweeper).sweep(false);
  };

  it('refuses bad input naming the field and writes nothing', async () => {
    const bad = await http.post('/api/v1/campaigns', { name: '市场外迁', kind: 'market_relocation', from: '2026-12-31T00:00:00Z', to: '2026-11-01T00:00:00Z', ownerId: ids.leader }, auth.leader);
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual([expect.objectContaining({ field: 'to' })]);
    const noOwner = await http.post('/api/v1/campaigns', { name: 'x', kind: 'k', from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z', ownerId: '00000000-0000-4000-8000-000000000000' }, auth.leader);
    expect(noOwner.status).toBe(422);
    expect(noOwner.body.details).toEqual([expect.objectContaining({ field: 'ownerId' })]);
    const twice = await http.post(
      '/api/v1/campaigns',
      { name: 'x', kind: 'k', from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z', ownerId: ids.leader, milestones: [{ code: 'a', name: 'A', dueAt: '2026-11-02T00:00:00Z' }, { code: 'a', name: 'B', dueAt: '2026-11-03T00:00:00Z' }] },
      auth.leader,
    );
    expect(twice.status).toBe(400);
    expect(twice.body.details).toEqual([expect.objectContaining({ field: 'milestones[1].code' })]);
    const byChief = await http.post('/api/v1/campaigns', { name: 'x', kind: 'k', from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z', ownerId: ids.leader }, auth.chief1);
    expect(byChief.status).toBe(403);
    expect(await withDb(intake.databaseUrl, async (db) => Number((await db.query(`SELECT count(*) AS n FROM campaign`)).rows[0].n))).toBe(0);
  });

  it('makes a 市场外迁 campaign of five markets, each with an owner and the campaign’s milestones', async () => {
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
          { code: 'move', name: '年底外迁', dueAt: MOVE_DUE.toISOString() },
        ],
      },
      auth.leader,
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    campaign = created.body;
    // Owners: chief1 three markets, warden1 one, chief2 one.
    const owners = ['chief1', 'chief1', 'chief1', 'warden1', 'chief2'];
    for (const [n, owner] of owners.entries()) {
      const p = await withDb(intake.databaseUrl, (db) => pointInWardenCell(db, 'warden1', n));
      const place = await http.post<{ id: string }>('/api/v1/places', { kind: 'market', name: `测试市场${n + 1}`, geometry: { type: 'Point', coordinates: [p.lng, p.lat] } }, auth.leader);
      expect(place.status, JSON.stringify(place.body)).toBe(201);
      const item = await http.post<CampaignItemView>(`/api/v1/campaigns/${campaign.id}/items`, { placeId: place.body.id, ownerId: ids[owner] }, auth.leader);
      expect(item.status, JSON.stringify(item.body)).toBe(201);
      expect(item.body).toMatchObject({ state: 'not_started', owner: { id: ids[owner] }, place: { name: `测试市场${n + 1}` } });
      expect(item.body.milestones.map((m) => [m.code, m.dueAt, m.state])).toEqual([
        ['survey', SURVEY_DUE.toISOString(), 'pending'],
        ['close', CLOSE_DUE.toISOString(), 'pending'],
        ['move', MOVE_DUE.toISOString(), 'pending'],
      ]);
      items.push(item.body);
    }
    const again = await http.post(`/api/v1/campaigns/${campaign.id}/items`, { placeId: items[0].place.id, ownerId: ids.chief1 }, auth.leader);
    expect(again.status).toBe(409);
    // The timers of the 15 milestones went through the outbox to the clocks queue; delivered before
    // their time by the dispatcher's clock, each waits there again for its due time.
    const clocks = dispatcher.app.get(JobQueue).queue(QueueName.Clocks);
    await until('15 milestone timers waiting', 10_000, async () => (await clocks.getDelayed()).filter((j) => j.name === 'check-milestone').length === 15);
    expect(await milestonesOverdue()).toHaveLength(0);

  });

  it('takes progress from an item’s owner; others may not report on it', async () => {
    clock.set(new Date(T0.getTime() + HOUR));
    const done = await progress(items[0], { milestoneCode: 'survey', done: true, percent: 30, note: '已摸清底数：商户 42 户' }, 'chief1');
    expect(done.status, JSON.stringify(done.body)).toBe(201);
    expect(done.body.milestones[0]).toMatchObject({ code: 'survey', state: 'done', onTime: true });
    expect(done.body).toMatchObject({ state: 'in_progress', percent: 30, lastProgress: { note: '已摸清底数：商户 42 户', by: { id: ids.chief1 } } });
    expect((await progress(items[1], { milestoneCode: 'survey', done: true, note: '摸底完成' }, 'chief1')).status).toBe(201);
    clock.set(new Date(T0.getTime() + 2 * HOUR));
    expect((await progress(items[0], { milestoneCode: 'close', done: true, percent: 60, note: '无证摊点已关停' }, 'chief1')).status).toBe(201);

    // Not theirs: 404 (its existence is not told); bad input names the field and writes nothing.
    expect((await progress(items[0], { note: 'x' }, 'chief2')).status).toBe(404);
    expect((await progress(items[0], { note: 'x' }, 'warden2')).status).toBe(404);
    const noCode = await progress(items[0], { done: true, note: 'x' }, 'chief1');
    expect(noCode.status).toBe(400);
    expect(noCode.body.details).toEqual([expect.objectContaining({ field: 'done' })]);
    const unknown = await progress(items[0], { milestoneCode: 'nope', done: true, note: 'x' }, 'chief1');
    expect(unknown.status).toBe(422);
    expect(unknown.body.details).toEqual([expect.objectContaining({ field: 'milestoneCode' })]);
    const percent = await progress(items[0], { percent: 101, note: 'x' }, 'chief1');
    expect(percent.status).toBe(400);
    expect(JSON.stringify(percent.body.details)).toContain('percent');
    const photo = await progress(items[0], { note: 'x', mediaIds: ['00000000-0000-4000-8000-000000000001'] }, 'chief1');
    expect(photo.status).toBe(422);
    expect(photo.body.details).toEqual([expect.objectContaining({ field: 'mediaIds' })]);
    expect(await withDb(intake.databaseUrl, async (db) => Number((await db.query(`SELECT count(*) AS n FROM campaign_progress`)).rows[0].n))).toBe(3);
  });

  it('marks a milestone past due and not done overdue, escalated once to the leaders over the street', async () => {
    const leaders = await withDb(intake.databaseUrl, async (db) => {
      const street = (await db.query(`SELECT street_code FROM campaign_item WHERE id = $1`, [items[2].id])).rows[0].street_code as string;
      const own = (await db.query(`SELECT id FROM app_user WHERE role = 'leader' AND active AND street_code = $1 ORDER BY id`, [street])).rows as { id: string }[];
      const district = (await db.query(`SELECT id FROM app_user WHERE role = 'leader' AND active AND street_code IS NULL ORDER BY id`)).rows as { id: string }[];
      return (own.length > 0 ? own : district).map((r) => r.id).sort();
    });
    expect(leaders).toContain(ids.leader);

    await sweepAt(new Date(SURVEY_DUE.getTime() - 60_000));
    await new Promise((r) => setTimeout(r, 400));
    expect(await milestonesOverdue()).toHaveLength(0);

    await sweepAt(new Date(SURVEY_DUE.getTime() + 60_000));
    const marked = await until('three surveys overdue', 10_000, async () => {
      const rows = await milestonesOverdue();
      return rows.length === 3 && rows;
    });
    expect(marked.map((r) => r.code)).toEqual(['survey', 'survey', 'survey']);
    expect(new Set(marked.map((r) => r.item_id))).toEqual(new Set([items[2].id, items[3].id, items[4].id]));
    for (const r of marked) expect([...r.escalated_to].sort()).toEqual(leaders);

    // Once: the timer again, and the sweep again, change nothing.
    expect(await dispatcher.app.get(MilestoneClockService).expire(items[2].id, 'survey', SURVEY_DUE)).toEqual({ kind: 'stale' });
    await sweepAt(new Date(SURVEY_DUE.getTime() + 2 * 60_000));
    await new Promise((r) => setTimeout(r, 400));
    expect(await milestonesOverdue()).toHaveLength(3);

    // Done late, then the next milestone: four more overdue (item 0 closed on time).
    clock.set(new Date('2026-11-24T12:00:00Z'));
    const late = await progress(items[2], { milestoneCode: 'survey', done: true, note: '补充摸底' }, 'chief1');
    expect(late.body.milestones[0]).toMatchObject({ state: 'done', onTime: false });
    await sweepAt(new Date(CLOSE_DUE.getTime() + 60_000));
    await until('four closes overdue', 10_000, async () => (await milestonesOverdue()).length === 7);
    await new Promise((r) => setTimeout(r, 400));
    expect(await milestonesOverdue()).toHaveLength(7);

    const view = await http.get<CampaignDetail>(`/api/v1/campaigns/${campaign.id}`, auth.leader);
    expect(view.body.items.map((i) => i.state)).toEqual(['in_progress', 'overdue', 'overdue', 'overdue', 'overdue']);
    expect(view.body.counts).toMatchObject({ items: 5, itemsOverdue: 4, milestones: 15, milestonesDone: 4, milestonesOverdue: 6 });
  });

  it('announces every change on the feed, each milestone overdue once, and only to those who see the item', async () => {
    const leader = listeners.leader.events;
    await until('the leader’s events', 10_000, () => leader.filter((e) => e.type === 'campaign.milestone_overdue').length === 7);
    await new Promise((r) => setTimeout(r, 500));
    const overdue = leader.filter((e) => e.type === 'campaign.milestone_overdue');
    expect(overdue).toHaveLength(7);
    expect(new Set(overdue.map((e) => `${e.itemId}:${e.milestone?.code}`)).size).toBe(7);
    expect(overdue[0].escalatedTo?.map((l) => l.id)).toContain(ids.leader);
    expect(leader.filter((e) => e.type === 'campaign.created')).toHaveLength(1);
    expect(leader.filter((e) => e.type === 'campaign.item_added')).toHaveLength(5);
    expect(leader.filter((e) => e.type === 'campaign.progress')).toHaveLength(4);
    expect(leader.filter((e) => e.type === 'campaign.milestone_done')).toHaveLength(4);

    // chief2 owns item 4 only; warden2 owns none.
    const chief2 = listeners.chief2.events;
    expect(chief2.length).toBeGreaterThan(0);
    expect(new Set(chief2.map((e) => e.itemId))).toEqual(new Set([items[4].id]));
    expect(chief2.filter((e) => e.type === 'campaign.milestone_overdue')).toHaveLength(2);
    expect(listeners.warden2.events).toEqual([]);
  });

  it('scopes REST: a chief or warden sees only their items, others nothing', async () => {
    const of = async (who: string) => (await http.get<CampaignDetail>(`/api/v1/campaigns/${campaign.id}`, auth[who])).body.items?.map((i) => i.id);
    expect(await of('chief1')).toEqual([items[0].id, items[1].id, items[2].id]);
    expect(await of('chief2')).toEqual([items[4].id]);
    expect(await of('warden1')).toEqual([items[3].id]);
    expect((await http.get(`/api/v1/campaigns/${campaign.id}`, auth.warden2)).status).toBe(404);
    expect((await http.get<CampaignView[]>('/api/v1/campaigns', auth.warden2)).body).toEqual([]);
    const listed = await http.get<CampaignView[]>('/api/v1/campaigns', auth.chief2);
    expect(listed.body.map((c) => [c.id, c.counts.items])).toEqual([[campaign.id, 1]]);
    const ledger = await http.get<CampaignLedger>(`/api/v1/campaigns/${campaign.id}/ledger.json`, auth.chief2);
    expect(ledger.body.rows.map((r) => r.itemId)).toEqual([items[4].id]);
  });

  it('gives the ledger as JSON, CSV and XLSX: the XLSX read back equals the JSON', async () => {
    const json = await http.get<CampaignLedger>(`/api/v1/campaigns/${campaign.id}/ledger.json`, auth.leader);
    expect(json.status).toBe(200);
    const ledger = json.body;
    expect(ledger.milestones.map((m) => m.code)).toEqual(['survey', 'close', 'move']);
    expect(ledger.rows).toHaveLength(5);
    expect(ledger.rows[0]).toMatchObject({ place: '测试市场1', state: 'in_progress', percent: 60, lastProgressNote: '无证摊点已关停' });

    const xlsx = await fetch(`${intake.baseUrl}/api/v1/campaigns/${campaign.id}/ledger.xlsx`, { headers: { authorization: auth.leader } });
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-disposition')).toBe(`attachment; filename="ledger-${campaign.id}.xlsx"`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as never);
    const sheet = book.worksheets[0];
    const cells = (n: number) => Array.from(sheet.getRow(n).values as unknown[]).slice(1).map((v) => v ?? null);
    expect(sheet.rowCount).toBe(1 + ledger.rows.length);
    for (const [i, r] of ledger.rows.entries()) {
      const row = cells(i + 2);
      while (row.length < 12 + 2 * ledger.milestones.length) row.push(null);
      expect(row).toEqual([
        r.itemId,
        r.place,
        r.placeKind,
        r.street,
        r.owner,
        r.state,
        r.percent,
        ...ledger.milestones.flatMap((m) => [r.milestones[m.code]?.dueAt ?? null, r.milestones[m.code]?.doneAt ?? null]),
        r.lastProgressAt,
        r.lastProgressNote,
        r.lastProgressBy,
        r.withdrawnAt,
        r.withdrawnReason,
      ]);
    }

    const csv = await fetch(`${intake.baseUrl}/api/v1/campaigns/${campaign.id}/ledger.csv`, { headers: { authorization: auth.leader } });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await csv.arrayBuffer());
    expect(text.startsWith('\uFEFF条目 Item,点位 Place')).toBe(true);
    expect(text.split('\r\n').filter(Boolean)).toHaveLength(6);
    expect((await http.get(`/api/v1/campaigns/${campaign.id}/ledger.pdf`, auth.leader)).status).toBe(400);
  });

  it('evaluates milestones met on time per campaign and per owner', async () => {
    const q = (groupBy: string) => http.get<CampaignEvaluation>(`/api/v1/campaigns/evaluation?from=2026-11-23&to=2026-11-29&groupBy=${groupBy}`, auth.leader);
    const byCampaign = await q('campaign');
    expect(byCampaign.status, JSON.stringify(byCampaign.body)).toBe(200);
    // Scored by the field formula in force (version 1: milestones met on time alone), ranked.
    expect(byCampaign.body.rows).toEqual([{ group: { id: campaign.id, name: '市场外迁' }, rank: 1, due: 10, metOnTime: 3, metLate: 1, open: 6, onTimeRate: 0.3, score: 30 }]);
    expect(byCampaign.body.formula).toMatchObject({ version: 1, weights: { milestonesOnTime: 100 } });
    const byOwner = await q('owner');
    expect(byOwner.body.rows.find((r) => r.group.id === ids.chief1)).toMatchObject({ due: 6, metOnTime: 3, metLate: 1, open: 2, onTimeRate: 0.5, score: 50, rank: 1 });
    // A chief's own items come from the facts (never the district's rollups), with the same counts.
    const chief2 = await http.get<CampaignEvaluation>(`/api/v1/campaigns/evaluation?from=2026-11-23&to=2026-11-29&groupBy=owner`, auth.chief2);
    expect(chief2.body.source).toBe('facts');
    expect(chief2.body.rows.map((r) => r.group.id)).toEqual([ids.chief2]);
    expect(chief2.body.rows[0]).toEqual({ ...byOwner.body.rows.find((r) => r.group.id === ids.chief2)!, rank: 1 });
    expect((await http.get(`/api/v1/campaigns/evaluation?from=2026-11-23&to=2026-11-29&groupBy=owner&formulaVersion=7`, auth.leader)).status).toBe(404);
    expect((await http.get(`/api/v1/campaigns/evaluation?from=2026-11-23&to=2026-11-29&groupBy=road`, auth.leader)).status).toBe(400);
  });

  it('loses no timer when Redis loses the queue: the sweep a dispatcher makes at start puts every pending one back', async () => {
    const clocks = dispatcher.app.get(JobQueue).queue(QueueName.Clocks);
    // This test's own Redis server: the five 年底外迁 milestones are still pending.
    await clocks.obliterate({ force: true });
    expect(await clocks.getDelayed()).toHaveLength(0);
    expect(await dispatcher.app.get(MilestoneSweeper).sweep(true)).toBe(5);
    expect((await clocks.getDelayed()).filter((j) => j.name === 'check-milestone')).toHaveLength(5);
  });

  it('counts the campaign in the weekly bulletin', async () => {
    const made = await http.post<{ contributed: { id: string; figures: { key: string; value: number }[] }[] }>('/api/v1/bulletins/weekly/2026-W48/generate', {}, auth.leader);
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const section = made.body.contributed.find((s) => s.id === 'campaigns');
    expect(Object.fromEntries(section!.figures.map((f) => [f.key, f.value]))).toEqual({
      campaignsActive: 1,
      items: 5,
      milestonesDue: 10,
      milestonesMet: 4,
      milestonesMetOnTime: 3,
      milestonesOverdue: 6,
    });
    const csv = await fetch(`${intake.baseUrl}/api/v1/bulletins/weekly/2026-W48.csv`, { headers: { authorization: auth.leader } });
    expect(await csv.text()).toContain('section,contributed:campaigns,专项行动 Campaigns');
  });
});
