import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataSource } from '@wangge/database';
import { seedHistory } from '@wangge/demo';
import { recordAppealHistory } from '@wangge/evaluation';
import { startIntake, testConfig, type RunningApp } from '../support/apps';
import { api, pointInWardenCell, withDb } from '../support/cases';
import { freePort, startRedisServer, type RedisServer } from '../support/redis-server';
import { CHROMIUM, CONSOLE_DIR, ensureConsoleBuild, SHOTS } from './support/admin-browser';

interface PageMap {
  getLayer(id: string): unknown;
  queryRenderedFeatures(o: { layers: string[] }): unknown[];
}

/** What a counter of the wall shows (its data-value; NaN while it has none). */
const counter = (page: Page, id: string) => page.$eval(`[data-testid=wall-${id}]`, (e) => Number(e.getAttribute('data-value') || 'NaN'));

/** Whether anything of the page scrolls: the document, or any of the wall's boxes beyond its size. */
const scrollbars = (page: Page) =>
  page.evaluate(() => {
    const d = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; scrollHeight: number; clientWidth: number; clientHeight: number } } }).document.documentElement;
    return { page: d.scrollWidth > d.clientWidth || d.scrollHeight > d.clientHeight, size: [d.clientWidth, d.clientHeight] };
  });

/**
 * The wall screen (数据大屏, issue 19 item 4) in Chromium, on the demo district with two weeks of
 * history, a feed and a dispatcher: the map draws the district's outline, street names and hotspots,
 * today's counters, the rankings and the trends are filled from the server, and a warden's new report
 * appears in the live list and the counters without a reload. Screenshots at 1920×1080 and
 * 3840×2160 (deviceScaleFactor 1), with no scrollbars and type scaled to the screen.
 */
describe('the wall screen', () => {
  let redis: RedisServer;
  let intake: RunningApp;
  let feed: INestApplication;
  let dispatcher: INestApplication;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    ensureConsoleBuild();
    mkdirSync(SHOTS, { recursive: true });
    redis = await startRedisServer();
    const feedPort = await freePort();
    const env = { REDIS_URL: redis.url, OUTBOX_POLL_MS: '50', REPORT_RATE_LIMIT: '1000', CONSOLE_DIR, FEED_PUBLIC_URL: `http://127.0.0.1:${feedPort}` };
    intake = await startIntake('wall-browser', env);
    const ds = createDataSource({ url: intake.databaseUrl, poolSize: 2 });
    await ds.initialize();
    try {
      const summary = await seedHistory(ds, { days: 14, seed: 11, config: intake.config, recordAppeals: recordAppealHistory });
      expect(summary.cases).toBeGreaterThan(300);
    } finally {
      await ds.destroy();
    }
    const { createDispatcherApp } = await import('../../apps/dispatcher/src/dispatcher.app');
    dispatcher = await createDispatcherApp(testConfig(intake.databaseUrl, env));
    await dispatcher.listen(0, '127.0.0.1');
    const { createFeedApp } = await import('../../apps/feed/src/feed.app');
    feed = await createFeedApp(testConfig(intake.databaseUrl, env));
    await feed.listen(feedPort, '127.0.0.1');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
    });
  }, 400_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await feed?.close();
    await dispatcher?.close();
    await intake?.close();
    await redis?.close();
  });

  /** A page of its own context at `size`, signed in as `username`, at `path`. */
  async function open(username: string, path: string, size: { width: number; height: number }): Promise<Page> {
    const context = await browser.newContext({ baseURL: intake.baseUrl, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: size, deviceScaleFactor: 1 });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
    await page.goto('/login');
    await page.fill('input[name=username]', username);
    await page.fill('input[name=password]', 'demo1234');
    await page.click('button[type=submit]');
    await page.waitForURL((url) => url.pathname !== '/login');
    await page.goto(path);
    return page;
  }

  /** Waits until the wall has drawn everything: street names on the map, counters, both rankings, the trend lines. */
  async function filled(page: Page): Promise<void> {
    await page.waitForFunction(
      () => {
        const map = (globalThis as unknown as { __wanggeMap?: PageMap }).__wanggeMap;
        return !!map?.getLayer('street-labels') && !!map.getLayer('hotspots') && map.queryRenderedFeatures({ layers: ['street-labels'] }).length > 0;
      },
      undefined,
      { timeout: 90_000 },
    );
    await page.waitForSelector('[data-testid=wall-reported][data-value]:not([data-value=""])', { timeout: 30_000 });
    await page.waitForSelector('[data-testid=wall-overdue][data-value]:not([data-value=""])', { timeout: 30_000 });
    await page.waitForSelector('[data-testid=wall-ranking-streets] tr[data-group-id]', { timeout: 30_000 });
    await page.waitForSelector('[data-testid=wall-ranking-chiefs] tr[data-group-id]', { timeout: 30_000 });
    // the reported line (and its legend's mark), in the trends page's colour
    await page.waitForFunction(() => (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document.querySelectorAll('[data-testid=wall-trends] svg path[stroke="#2f6fae"]').length >= 2, undefined, { timeout: 30_000 });
  }

  it('fills a 1920×1080 screen with the map, counters, rankings and trends, and shows a new report live', async () => {
    const page = await open('leader', '/wall', { width: 1920, height: 1080 });
    await filled(page);
    await page.evaluate(() => ((globalThis as unknown as { __noReload: boolean }).__noReload = true));

    const streets = await page.$$eval('[data-testid=wall-ranking-streets] tr[data-group-id]', (trs) => trs.map((tr) => tr.getAttribute('data-group-id')));
    expect(streets.length).toBeGreaterThan(3);
    expect(streets.every((code) => /^410104\d{3}$/.test(code ?? ''))).toBe(true);
    expect(await page.$eval('[data-testid=wall-trends]', (e) => Number(e.getAttribute('data-days')))).toBe(30);
    const lights = (await counter(page, 'light-red')) + (await counter(page, 'light-yellow')) + (await counter(page, 'light-green'));
    expect(lights).toBeGreaterThan(0);
    expect(await scrollbars(page)).toEqual({ page: false, size: [1920, 1080] });
    expect(await page.$eval('.wall', (e) => parseFloat((globalThis as unknown as { getComputedStyle(e: unknown): { fontSize: string } }).getComputedStyle(e).fontSize))).toBeCloseTo(16, 0);
    // the top bar of the other pages gives the wall its whole height
    expect(await page.locator('header.topbar').isVisible()).toBe(false);
    // A warden's report: in the live list and the counters, without a reload.
    const reportedBefore = await counter(page, 'reported');
    const openBefore = Number(await page.textContent('[data-testid=wall-open]'));
    const receivedBefore = await page.$eval('[data-testid=wall-received]', (e) => Number(e.getAttribute('data-received')));
    const p = await withDb(intake.databaseUrl, (db) => pointInWardenCell(db, 'warden1', 3));
    const created = await api(intake).post<{ id: string }>('/api/v1/cases', { categoryCode: 'E0102', description: '大屏实时 wall live', location: { lng: p.lng, lat: p.lat } }, await intake.bearer('warden1'));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    await page.waitForSelector(`[data-testid=wall-events] li[data-case-id="${created.body.id}"]`, { timeout: 20_000 });
    await expect.poll(() => counter(page, 'reported'), { timeout: 20_000 }).toBe(reportedBefore + 1);
    await expect.poll(async () => Number(await page.textContent('[data-testid=wall-open]')), { timeout: 20_000 }).toBeGreaterThan(openBefore);
    expect(await page.$eval('[data-testid=wall-received]', (e) => Number(e.getAttribute('data-received')))).toBeGreaterThan(receivedBefore);
    await expect.poll(() => page.evaluate(() => Number((globalThis as unknown as { __wanggeMap: { getContainer(): { getAttribute(n: string): string } } }).__wanggeMap.getContainer().getAttribute('data-markers')))).toBeGreaterThan(0);
    expect(await page.evaluate(() => (globalThis as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'wall-1920x1080.png') });
    expect(errors).toEqual([]);
  }, 180_000);

  it('fills a 3840×2160 screen with type twice as large, and no scrollbars', async () => {
    const page = await open('leader', '/wall', { width: 3840, height: 2160 });
    await filled(page);
    expect(await scrollbars(page)).toEqual({ page: false, size: [3840, 2160] });
    expect(await page.$eval('.wall', (e) => parseFloat((globalThis as unknown as { getComputedStyle(e: unknown): { fontSize: string } }).getComputedStyle(e).fontSize))).toBeCloseTo(32, 0);
    // every box keeps to its place: nothing of the wall reaches past the screen
    const outside = await page.$$eval('.wall-box, .wall-map', (boxes) =>
      boxes.filter((b) => {
        const r = b.getBoundingClientRect();
        return r.bottom > 2160 + 0.5 || r.right > 3840 + 0.5;
      }).length,
    );
    expect(outside).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'wall-3840x2160.png') });
    expect(errors).toEqual([]);
  }, 180_000);

  it('opens for an operator, from the top bar; a chief is refused', async () => {
    const page = await open('operator', '/evaluation', { width: 1440, height: 900 });
    await page.click('[data-testid=nav-wall]', { timeout: 60_000 });
    await page.waitForSelector('[data-testid=wall-counters]', { timeout: 60_000 });
    await page.waitForSelector('[data-testid=wall-ranking-streets] tr[data-group-id]', { timeout: 60_000 });
    const chief = await open('chief3', '/wall', { width: 390, height: 844 });
    await chief.waitForSelector('p.error[role=alert]');
    expect(await chief.locator('[data-testid=wall]').count()).toBe(0);
  }, 120_000);
});
