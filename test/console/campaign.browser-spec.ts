import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { INestApplication } from '@nestjs/common';
import { startDispatcher, testConfig, type RunningApp } from '../support/apps';
import { api, pointInWardenCell, withDb } from '../support/cases';
import { freePort, startRedisServer, type RedisServer } from '../support/redis-server';
import { startAdminBrowser, type AdminBrowser } from './support/admin-browser';

interface ItemBody {
  id: string;
  state: string;
}

const DAY = 86_400_000;

/**
 * The campaign page in the console (issue 17 item 5, 挂图作战): a leader opens the 市场外迁 campaign
 * from the list, sees its five markets on the map coloured by state beside the ledger; an owner
 * reports a milestone done with a photo on the phone and the leader's page changes live from
 * `campaign.event`. Screenshot: docs/screenshots/campaign.png. Then the leader maintains it (edit,
 * a new owner, a milestone moved, an item withdrawn, ended). Screenshot: docs/screenshots/campaign-edit.png.
 */
describe('the campaign page', () => {
  let redis: RedisServer;
  let b: AdminBrowser;
  let intake: RunningApp;
  let dispatcher: Awaited<ReturnType<typeof startDispatcher>>;
  let feed: INestApplication;
  let http: ReturnType<typeof api>;
  let campaignId: string;
  const items: ItemBody[] = [];
  const ids: Record<string, string> = {};
  let leaderPage: import('playwright-core').Page;

  beforeAll(async () => {
    redis = await startRedisServer();
    const feedPort = await freePort();
    const env = { REDIS_URL: redis.url, OUTBOX_POLL_MS: '50', REPORT_RATE_LIMIT: '100000', FEED_PUBLIC_URL: `http://127.0.0.1:${feedPort}`, FEED_PORT: String(feedPort), FEED_RESUME_GRACE_MS: '0' };
    b = await startAdminBrowser('campaign-browser', env);
    intake = b.intake;
    http = api(intake);
    dispatcher = await startDispatcher(intake.databaseUrl, env);
    const { createFeedApp } = await import('../../apps/feed/src/feed.app');
    feed = await createFeedApp(testConfig(intake.databaseUrl, env));
    await feed.listen(feedPort, '127.0.0.1');
    await withDb(intake.databaseUrl, async (db) => {
      const { rows } = await db.query(`SELECT id, username FROM app_user WHERE username = ANY($1)`, [['leader', 'chief1', 'chief2', 'warden1']]);
      for (const r of rows as { id: string; username: string }[]) ids[r.username] = r.id;
    });
    const leader = await intake.bearer('leader');
    const now = Date.now();
    const made = await http.post<{ id: string }>(
      '/api/v1/campaigns',
      {
        name: '市场外迁',
        kind: 'market_relocation',
        from: new Date(now - 20 * DAY).toISOString(),
        to: new Date(now + 60 * DAY).toISOString(),
        ownerId: ids.leader,
        milestones: [
          { code: 'survey', name: '摸清底数', dueAt: new Date(now - 3 * DAY).toISOString() },
          { code: 'close', name: '限期关停', dueAt: new Date(now + 5 * DAY).toISOString() },
          { code: 'move', name: '年底外迁', dueAt: new Date(now + 50 * DAY).toISOString() },
        ],
      },
      leader,
    );
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    campaignId = made.body.id;
    const owners = ['chief1', 'chief1', 'chief2', 'chief2', 'warden1'];
    for (const [n, name] of ['南三环建材市场', '东大街小商品市场', '航海东路农副产品市场', '城东路五金市场', '文治路二手车市场'].entries()) {
      const p = await withDb(intake.databaseUrl, (db) => pointInWardenCell(db, 'warden1', n * 3));
      const place = await http.post<{ id: string }>('/api/v1/places', { kind: 'market', name, geometry: { type: 'Point', coordinates: [p.lng, p.lat] } }, leader);
      expect(place.status, JSON.stringify(place.body)).toBe(201);
      const item = await http.post<ItemBody>(`/api/v1/campaigns/${campaignId}/items`, { placeId: place.body.id, ownerId: ids[owners[n]] }, leader);
      expect(item.status, JSON.stringify(item.body)).toBe(201);
      items.push(item.body);
    }
    // Four markets surveyed; the fifth is past its survey's due time (overdue).
    for (const [n, who] of [[0, 'chief1'], [1, 'chief1'], [2, 'chief2'], [3, 'chief2']] as const) {
      const r = await http.post(`/api/v1/campaigns/${campaignId}/items/${items[n].id}/progress`, { milestoneCode: 'survey', done: true, percent: 30, note: '摸清底数' }, await intake.bearer(who));
      expect(r.status, JSON.stringify(r.body)).toBe(201);
    }
  }, 240_000);

  afterAll(async () => {
    await b?.close().catch(() => undefined);
    await feed?.close();
    await dispatcher?.close();
    await redis?.close();
  });

  it('a leader opens the campaign from the list: five markets on the map by state, the ledger beside it, live progress', async () => {
    const page = await b.open('leader', '/campaigns');
    await page.waitForSelector(`[data-campaign-id="${campaignId}"] a`, { timeout: 20_000 });
    await page.click(`[data-campaign-id="${campaignId}"] a`);
    await page.waitForSelector('[data-testid=ledger] tbody tr[data-item-id]', { timeout: 20_000 });
    expect((await page.$$eval('[data-testid=ledger] tbody tr', (rows) => rows.map((r) => r.getAttribute('data-state')))).sort()).toEqual(['in_progress', 'in_progress', 'in_progress', 'in_progress', 'overdue']);
    expect(await page.getAttribute(`tr[data-item-id="${items[4].id}"]`, 'data-state')).toBe('overdue');
    expect(await page.getAttribute(`tr[data-item-id="${items[4].id}"] td[data-milestone=survey]`, 'data-milestone-state')).toBe('overdue');
    await page.waitForSelector('[data-testid=campaign-map][data-items="5"]', { timeout: 30_000 });
    await page.waitForSelector('[data-testid=feed-status][data-status=live]', { timeout: 20_000 });
    expect(await page.textContent('h1')).toContain('市场外迁');
    expect(await page.textContent('[data-testid=ledger] thead')).toContain('摸清底数');
    leaderPage = page;
  }, 150_000);

  it('an owner reports a milestone done with a photo on the phone; the leader’s page follows live', async () => {
    const page = leaderPage;
    // chief1 reports 限期关停 done with a photo on the phone; the leader's page follows live.
    const phone = await b.open('chief1', `/campaigns/${campaignId}`, { context: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } });
    await phone.waitForSelector('[data-testid=progress-form]', { timeout: 20_000 });
    expect(await phone.$$eval('[data-testid=ledger] tbody tr', (rows) => rows.length)).toBe(2);
    const png = await sharp(Buffer.alloc(48 * 32 * 3).map((_, i) => (i * 13) % 251), { raw: { width: 48, height: 32, channels: 3 } }).png().toBuffer();
    await phone.selectOption('select[name=item]', items[0].id);
    await phone.selectOption('select[name=milestone]', 'close');
    await phone.check('input[name=done]');
    await phone.fill('input[name=percent]', '60');
    await phone.click('[data-action=send-progress]');
    await phone.waitForSelector('[role=alert]');
    expect(await phone.textContent('[role=alert]')).toContain('请填写进展说明');
    await phone.fill('textarea[name=note]', '无证摊点已全部关停');
    await phone.setInputFiles('[data-testid=progress-photos]', { name: 'closed.png', mimeType: 'image/png', buffer: png });
    await phone.click('[data-action=send-progress]');
    await phone.waitForSelector('[data-testid=progress-sent]', { timeout: 20_000 });

    await page.waitForSelector(`[data-testid=campaign-page][data-last-event="campaign.milestone_done"]`, { timeout: 10_000 });
    await page.waitForSelector(`tr[data-item-id="${items[0].id}"] td[data-milestone=close][data-milestone-state=done]`, { timeout: 10_000 });
    expect(await page.textContent(`tr[data-item-id="${items[0].id}"]`)).toContain('无证摊点已全部关停');
    const held = await withDb(intake.databaseUrl, async (db) => (await db.query(`SELECT cardinality(media_ids) AS n FROM campaign_progress WHERE note = '无证摊点已全部关停'`)).rows[0].n);
    expect(held).toBe(1);
    await page.waitForTimeout(500);
    await page.screenshot({ path: 'docs/screenshots/campaign.png', fullPage: true });
    await b.shot(page, 'campaign');

    // Bilingual: the same page in English.
    await page.click('[data-testid=lang]');
    expect(await page.textContent('[data-testid=ledger] thead')).toContain('Last progress');
    expect(b.errors).toEqual([]);
  }, 150_000);

  it('the leader maintains the campaign: moves a milestone, gives an item a new owner, withdraws one (greyed), renames and ends it', async () => {
    const page = await b.open('leader', `/campaigns/${campaignId}`);
    await page.waitForSelector('[data-testid=item-maintenance]', { timeout: 20_000 });
    await page.waitForSelector('[data-testid=campaign-edit]');
    const leader = await intake.bearer('leader');
    const item = async (n: number) => (await http.get<{ items: { id: string; owner: { id: string }; milestones: { code: string; dueAt: string }[] }[] }>(`/api/v1/campaigns/${campaignId}`, leader)).body.items.find((i) => i.id === items[n].id)!;

    // 调整时间节点: a reason is required; moved, the item's history says so.
    await page.selectOption('select[name=maintain-item]', items[1].id);
    await page.selectOption('select[name=move-milestone]', 'close');
    const due = new Date(Date.now() + 12 * DAY);
    const local = `${due.getFullYear()}-${String(due.getMonth() + 1).padStart(2, '0')}-${String(due.getDate()).padStart(2, '0')}T18:00`;
    await page.fill('input[name=move-due]', local);
    await page.click('[data-action=move-milestone]');
    expect(await page.textContent('[data-testid=item-maintenance] [role=alert]')).toContain('请填写原因');
    await page.fill('input[name=move-reason]', '区领导调整时间节点');
    await page.click('[data-action=move-milestone]');
    await page.waitForSelector('[data-testid=item-history] li[data-kind="milestone.moved"]', { timeout: 10_000 });
    expect(await page.textContent('[data-testid=item-history] li[data-kind="milestone.moved"]')).toContain('区领导调整时间节点');
    // The input is the browser's local time.
    const meant = await page.evaluate((l) => new Date(l).getTime(), local);
    expect(new Date((await item(1)).milestones.find((m) => m.code === 'close')!.dueAt).getTime()).toBe(meant);

    // A new owner (a cadre moved): chief1 takes over chief2's market.
    await page.selectOption('select[name=maintain-item]', items[2].id);
    await page.selectOption('select[name=item-owner]', ids.chief1);
    await page.click('[data-action=change-owner]');
    await page.waitForSelector('[data-testid=item-history] li[data-kind="item.owner_changed"]', { timeout: 10_000 });
    expect((await item(2)).owner.id).toBe(ids.chief1);

    // 撤出台账: greyed in the ledger (and on the map), the reason shown.
    await page.selectOption('select[name=maintain-item]', items[3].id);
    await page.click('[data-action=withdraw-item]');
    expect(await page.textContent('[data-testid=item-maintenance] [role=alert]')).toContain('请填写原因');
    await page.fill('input[name=withdraw-reason]', '市场已提前关闭');
    await page.click('[data-action=withdraw-item]');
    await page.waitForSelector(`tr[data-item-id="${items[3].id}"][data-state=withdrawn].withdrawn`, { timeout: 10_000 });
    expect(await page.textContent(`tr[data-item-id="${items[3].id}"]`)).toContain('市场已提前关闭');
    const colour = await page.$eval(`tr[data-item-id="${items[3].id}"]`, (el) => (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(el).color);
    expect(colour).toBe('rgb(149, 165, 166)');
    await page.waitForFunction(
      (id) => {
        const map = (globalThis as unknown as { __wanggeCampaignMap?: { querySourceFeatures(s: string): { properties: { id: string; state: string } }[] } }).__wanggeCampaignMap;
        return map?.querySourceFeatures('campaign-items').some((f) => f.properties.id === id && f.properties.state === 'withdrawn');
      },
      items[3].id,
      { timeout: 10_000 },
    );

    // Rename; the screenshot shows the maintenance controls with the withdrawn item greyed.
    await page.fill('input[name=name]', '市场外迁（一期）');
    await page.click('[data-action=save-campaign]');
    await page.waitForSelector('h1:has-text("市场外迁（一期）")', { timeout: 10_000 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: 'docs/screenshots/campaign-edit.png', fullPage: true });
    await b.shot(page, 'campaign-edit');

    // End it: a note is required; ended, the page says so and the forms are gone; the list shows it ended.
    await page.selectOption('select[name=state]', 'completed');
    await page.click('[data-action=save-campaign]');
    expect(await page.textContent('[data-testid=campaign-edit] [role=alert]')).toContain('请填写结束说明');
    await page.fill('textarea[name=end-note]', '五个市场已全部外迁');
    await page.click('[data-action=save-campaign]');
    await page.waitForSelector('[data-testid=campaign-page][data-campaign-state=completed] [data-testid=campaign-ended]', { timeout: 10_000 });
    expect(await page.textContent('[data-testid=campaign-ended]')).toContain('五个市场已全部外迁');
    expect(await page.$('[data-testid=campaign-edit]')).toBeNull();
    expect(await page.$('[data-testid=item-maintenance]')).toBeNull();
    await page.click('[data-testid=lang]');
    expect(await page.textContent('[data-testid=campaign-ended]')).toContain('Completed');
    expect(await page.textContent(`tr[data-item-id="${items[3].id}"]`)).toContain('Withdrawn');
    await page.click('a[href="/campaigns"]');
    await page.waitForSelector(`li[data-campaign-id="${campaignId}"][data-state=completed]`, { timeout: 10_000 });
    expect(await page.textContent(`li[data-campaign-id="${campaignId}"] .campaign-state`)).toBe('Completed');
    expect(b.errors).toEqual([]);
  }, 150_000);
});
