import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import sharp from 'sharp';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDispatcher, startIntake, testConfig, type RunningApp } from '../support/apps';
import { pointInWardenCell, withDb } from '../support/cases';
import { freePort, startRedisServer, type RedisServer } from '../support/redis-server';

/**
 * The closed loop in the browser (Debian's Chromium driven by playwright-core), without a reload:
 * a warden reports from a phone, the command center sees it appear live on the map and the list,
 * the road chief receives it live, accepts and resolves it with a photo, the warden verifies it,
 * and the command center and the citizen's tracking page show it closed.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CONSOLE_DIR = resolve('dist/console');
const SHOTS = process.env.CONSOLE_SCREENSHOTS ? resolve(process.env.CONSOLE_SCREENSHOTS) : join(tmpdir(), 'wangge-console-screenshots');
const PHONE = { viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const LIVE = 20_000;

async function photo(seed: number): Promise<Buffer> {
  const w = 96;
  const h = 64;
  const data = Buffer.alloc(w * h * 3).map((_, i) => ((i % (w * 3)) * 2 + seed * 60 + Math.floor(i / (w * 3)) * 3) % 256);
  return sharp(data, { raw: { width: w, height: h, channels: 3 } }).png().toBuffer();
}

describe('the web console runs the closed loop live in three browsers', () => {
  let redis: RedisServer;
  let intake: RunningApp;
  let feed: INestApplication;
  let dispatcher: Awaited<ReturnType<typeof startDispatcher>>;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pages: Page[] = [];

  beforeAll(async () => {
    if (!existsSync(join(CONSOLE_DIR, 'index.html'))) {
      execFileSync('npm', ['run', 'build:console', '--silent'], { stdio: 'inherit' });
    }
    mkdirSync(SHOTS, { recursive: true });
    redis = await startRedisServer();
    const feedPort = await freePort();
    const env = { REDIS_URL: redis.url, OUTBOX_POLL_MS: '50', REPORT_RATE_LIMIT: '1000', CONSOLE_DIR, FEED_PUBLIC_URL: `http://127.0.0.1:${feedPort}` };
    intake = await startIntake('console-loop', env);
    dispatcher = await startDispatcher(intake.databaseUrl, env);
    const { createFeedApp } = await import('../../apps/feed/src/feed.app');
    feed = await createFeedApp(testConfig(intake.databaseUrl, env));
    await feed.listen(feedPort, '127.0.0.1');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
    });
  }, 180_000);

  afterAll(async () => {
    // What each page showed when the test ended (a failure's evidence).
    const last = join(tmpdir(), 'wangge-console-last');
    mkdirSync(last, { recursive: true });
    for (const [i, p] of pages.entries()) await p.screenshot({ path: join(last, `page-${i}.png`) }).catch(() => {});
    for (const p of pages) if ((p as Page & { jsErrors?: string[] }).jsErrors?.length) console.log(p.url(), (p as Page & { jsErrors?: string[] }).jsErrors);
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await feed?.close();
    await dispatcher?.close();
    await intake?.close();
    await redis?.close();
  });

  async function open(options: Parameters<Browser['newContext']>[0], path: string): Promise<Page> {
    const context = await browser.newContext({ baseURL: intake.baseUrl, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ...options });
    contexts.push(context);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && !/Failed to load resource/.test(m.text()) && errors.push(`console: ${m.text()}`));
    pages.push(page);
    (page as Page & { jsErrors?: string[] }).jsErrors = errors;
    await page.goto(path);
    // A mark that a reload would wipe: checked at the end.
    await page.evaluate(() => ((globalThis as unknown as { __noReload: boolean }).__noReload = true));
    return page;
  }

  async function signIn(page: Page, username: string): Promise<void> {
    await page.fill('input[name=username]', username);
    await page.fill('input[name=password]', 'demo1234');
    await page.click('button[type=submit]');
  }

  /** The open and overdue counts the map shades a cell by: the server's, plus the feed's changes since. */
  const cellShade = (page: Page, code: string) =>
    page.evaluate((cell) => {
      interface Feature {
        properties: { code: string; open: number; overdue: number };
      }
      interface Target {
        source: string;
        sourceLayer?: string;
        id: string;
      }
      const map = (
        globalThis as unknown as {
          __wanggeMap: {
            getLayer(id: string): { source: string; sourceLayer?: string };
            querySourceFeatures(id: string, o?: { sourceLayer?: string }): Feature[];
            getFeatureState(t: Target): { dOpen?: number; dOverdue?: number };
          };
        }
      ).__wanggeMap;
      const { source, sourceLayer } = map.getLayer('cells-fill');
      const f = map.querySourceFeatures(source, sourceLayer ? { sourceLayer } : undefined).find((x) => x.properties.code === cell);
      if (!f) return null;
      const state = map.getFeatureState(sourceLayer ? { source, sourceLayer, id: cell } : { source, id: cell });
      return { open: f.properties.open + (state.dOpen ?? 0), overdue: f.properties.overdue + (state.dOverdue ?? 0) };
    }, code);

  const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) });

  it('warden reports, command center and chief see it live, chief resolves with a photo, warden verifies, everyone sees it closed', async () => {
    const started = Date.now();
    // Where the warden stands, and the chief the dispatcher will route that point to.
    const spot = await withDb(intake.databaseUrl, (db) => pointInWardenCell(db, 'warden1', 2));
    const located = await fetch(`${intake.baseUrl}/api/v1/locate?lng=${spot.lng}&lat=${spot.lat}`, { headers: { authorization: await intake.bearer('operator') } });
    const chiefId = ((await located.json()) as { assignee: { id: number } }).assignee.id;
    const chiefUser = await withDb(intake.databaseUrl, async (db) => {
      const { rows } = await db.query(`SELECT u.username FROM road_chief c JOIN app_user u ON u.id = c.user_id WHERE c.id = $1`, [chiefId]);
      return rows[0].username as string;
    });
    // warden1 is on duty (the phone's switch, as its own test shows): the check the resolve opens is their task.
    const onDuty = await fetch(`${intake.baseUrl}/api/v1/me/duty`, {
      method: 'PATCH',
      headers: { authorization: await intake.bearer('warden1'), 'content-type': 'application/json' },
      body: JSON.stringify({ onDuty: true }),
    });
    expect(onDuty.status).toBe(200);

    // The command center on a wall-sized screen.
    const command = await open({ viewport: { width: 1600, height: 900 } }, '/login');
    await shot(command, '01-login');
    await signIn(command, 'operator');
    await command.waitForURL('**/command');
    await command.waitForSelector('[data-testid=feed-status][data-status=live]', { timeout: LIVE });
    await command.waitForFunction(() => {
      const map = (globalThis as unknown as { __wanggeMap?: { loaded(): boolean; getSource(id: string): unknown } }).__wanggeMap;
      return !!map && map.loaded() && !!map.getSource('cases');
    }, undefined, { timeout: LIVE });
    await command.waitForSelector('[data-testid=count-open]:not(:text("—"))', { timeout: LIVE });
    // At the wall-screen zoom the whole district's grid cells are drawn, from the vector tiles.
    const allCells = await withDb(intake.databaseUrl, async (db) => (await db.query('SELECT count(*)::int AS n FROM grid_cell')).rows[0].n as number);
    await expect
      .poll(
        () =>
          command.evaluate(() => {
            const map = (
              globalThis as unknown as {
                __wanggeMap: { loaded(): boolean; getLayer(id: string): { source: string; sourceLayer?: string } | undefined; querySourceFeatures(id: string, o?: { sourceLayer?: string }): { properties: { code: string } }[] };
              }
            ).__wanggeMap;
            const layer = map.getLayer('cells-fill');
            if (!layer?.sourceLayer || !map.loaded()) return 0;
            return new Set(map.querySourceFeatures(layer.source, { sourceLayer: layer.sourceLayer }).map((f) => f.properties.code)).size;
          }),
        { timeout: LIVE },
      )
      .toBe(allCells);

    // The road chief's phone, signed in before anything is reported.
    const chief = await open(PHONE, '/login');
    await signIn(chief, chiefUser);
    await chief.waitForURL('**/chief');
    await chief.waitForSelector('[data-testid=feed-status][data-status=live]', { timeout: LIVE });

    // The warden's phone: GPS position, category, description, a photo.
    const warden = await open({ ...PHONE, geolocation: { latitude: spot.lat, longitude: spot.lng }, permissions: ['geolocation'] }, '/login');
    await signIn(warden, 'warden1');
    await warden.waitForURL('**/warden');
    await warden.waitForSelector('select[name=category] option[value=E0102]', { state: 'attached', timeout: LIVE });
    await warden.click('[data-testid=gps]');
    await expect.poll(() => warden.inputValue('input[name=lat]'), { timeout: 10_000 }).not.toBe('');
    await warden.selectOption('select[name=category]', 'E0102');
    await warden.fill('textarea[name=description]', '人行道暴露垃圾 garbage on the pavement (browser e2e)');
    await warden.setInputFiles('[data-testid=report-photos]', { name: 'before.png', mimeType: 'image/png', buffer: await photo(1) });
    await shot(warden, '02-warden-report');
    await warden.click('form[data-testid=report-form] button[type=submit]');
    const reported = await warden.waitForSelector('[data-testid=reported]', { timeout: LIVE });
    const caseId = (await reported.getAttribute('data-case-id'))!;
    expect(caseId).toMatch(/^[0-9a-f-]{36}$/);
    const trackingLink = (await warden.getAttribute('[data-testid=tracking-link]', 'href'))!;
    expect(trackingLink).toContain(`/track/${caseId}?token=`);

    // The citizen's tracking page (the link the report answered with).
    const citizen = await open(PHONE, new URL(trackingLink).pathname + new URL(trackingLink).search);
    await citizen.waitForSelector('[data-testid=track][data-status]', { timeout: LIVE });

    // The command center: the case appears live in the list, the event list and on the map, dispatched.
    await command.waitForSelector(`[data-testid=case-list] li[data-case-id="${caseId}"][data-status=dispatched]`, { timeout: LIVE });
    await command.waitForSelector(`[data-testid=events] li[data-case-id="${caseId}"]`, { timeout: LIVE });
    const onMap = (status: string) =>
      command.waitForFunction(
        ([id, s]) => {
          const map = (globalThis as unknown as { __wanggeMap: { queryRenderedFeatures(o: { layers: string[] }): { properties: { id: string; status: string } }[] } }).__wanggeMap;
          return map.queryRenderedFeatures({ layers: ['cases'] }).some((f) => f.properties.id === id && f.properties.status === s);
        },
        [caseId, status] as const,
        { timeout: LIVE },
      );
    await onMap('dispatched');
    await shot(command, '03-command-center');
    await command.click(`[data-testid=case-list] li[data-case-id="${caseId}"]`);
    await command.waitForSelector('[data-testid=case-drawer][data-status=dispatched]', { timeout: LIVE });
    await command.waitForSelector('[data-testid=case-drawer] .timeline li >> nth=2', { timeout: LIVE });
    // The map has moved to the case and drawn its grid cells (shaded by the open case).
    await command.waitForFunction(() => {
      const map = (
        globalThis as unknown as {
          __wanggeMap: { isMoving(): boolean; loaded(): boolean; getLayer(id: string): { source: string; sourceLayer?: string }; querySourceFeatures(id: string, o?: { sourceLayer?: string }): unknown[] };
        }
      ).__wanggeMap;
      const { source, sourceLayer } = map.getLayer('cells-fill');
      return !map.isMoving() && map.loaded() && map.querySourceFeatures(source, sourceLayer ? { sourceLayer } : undefined).length > 0;
    }, undefined, { timeout: LIVE });
    expect(await command.textContent('[data-testid=routing-reason]')).not.toBe('—');
    // Its cell is shaded by the server's count of open cases.
    await expect.poll(() => cellShade(command, spot.cellCode), { timeout: LIVE }).toEqual({ open: 1, overdue: 0 });
    await shot(command, '04-case-drawer');

    // The chief: the task arrived live; accept, then resolve with a photo.
    const task = `li.task[data-case-id="${caseId}"]`;
    await chief.waitForSelector(`${task}[data-status=dispatched]`, { timeout: LIVE });
    // assigned to this chief, not escalated to them: labelled so
    await chief.waitForSelector(`${task}[data-relation=assigned] [data-testid=relation]`, { timeout: LIVE });
    await shot(chief, '05-chief-tasks');
    await chief.click(`${task} button[data-action=accept]`);
    await chief.waitForSelector(`${task}[data-status=in_progress]`, { timeout: LIVE });
    await chief.click(`${task} button[data-action=resolve]`);
    await chief.fill(`${task} form[data-form=resolve] textarea`, '已清理 cleaned up');
    await chief.setInputFiles(`${task} form[data-form=resolve] input[type=file]`, { name: 'after.png', mimeType: 'image/png', buffer: await photo(2) });
    await shot(chief, '06-chief-resolve');
    await chief.click(`${task} form[data-form=resolve] button[type=submit]`);
    await chief.waitForSelector(task, { state: 'detached', timeout: LIVE });

    // The warden: the check arrived live; pass it.
    await warden.click('[data-testid=tab-checks]');
    const check = `li.task[data-case-id="${caseId}"]`;
    await warden.waitForSelector(`${check}[data-status=resolved]`, { timeout: LIVE });
    await shot(warden, '07-warden-check');
    await warden.click(`${check} button[data-action=pass]`);
    await warden.waitForSelector(check, { state: 'detached', timeout: LIVE });

    // Closed everywhere, live.
    await command.waitForSelector(`[data-testid=case-list] li[data-case-id="${caseId}"][data-status=closed]`, { timeout: LIVE });
    await command.waitForSelector('[data-testid=case-drawer][data-status=closed]', { timeout: LIVE });
    await command.click('[data-testid=case-drawer] button.close');
    await onMap('closed');
    // The feed's events took the case off its cell's count, with no reload of the counts.
    await expect.poll(() => cellShade(command, spot.cellCode), { timeout: LIVE }).toEqual({ open: 0, overdue: 0 });
    await shot(command, '08-command-center-closed');
    await citizen.waitForSelector('[data-testid=track][data-status=closed]', { timeout: LIVE });
    await citizen.waitForSelector('[data-testid=closing-evidence] img', { timeout: LIVE });
    expect(await citizen.textContent('[data-testid=closing-evidence]')).toContain('已清理');
    await shot(citizen, '09-citizen-track');

    for (const page of [command, chief, warden, citizen]) {
      expect(await page.evaluate(() => (globalThis as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
      expect((page as Page & { jsErrors?: string[] }).jsErrors).toEqual([]);
    }
    console.log(`console loop: ${((Date.now() - started) / 1000).toFixed(1)} s in the browsers`);
  }, 180_000);
});
