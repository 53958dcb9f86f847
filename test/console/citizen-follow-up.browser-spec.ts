import { mkdirSync } from 'node:fs';
import type { INestApplication } from '@nestjs/common';
import sharp from 'sharp';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIntake, testConfig, type RunningApp } from '../support/apps';
import { api, chiefIdOf, pointInWardenCell, withDb } from '../support/cases';
import { freePort, startRedisServer, type RedisServer } from '../support/redis-server';
import { CHROMIUM, CONSOLE_DIR, ensureConsoleBuild } from './support/admin-browser';

const PHONE = { viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const LIVE = 45_000;

/**
 * Citizens' follow-up in the console (issue 18 item 4): on the tracking page the reporter of a closed
 * case says "not fixed" and the command center sees the case reopen live (no reload); the reporter
 * adds an update with a photo, the operator approves it in the case drawer and the tracking page then
 * shows it. Screenshots: docs/screenshots/citizen-feedback.png, citizen-update-approve.png.
 */
describe('the tracking page’s feedback and updates, the drawer’s approval, live', () => {
  let redis: RedisServer;
  let intake: RunningApp;
  let feed: INestApplication;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  let caseId = '';
  let token = '';
  let code = '';

  beforeAll(async () => {
    ensureConsoleBuild();
    mkdirSync('docs/screenshots', { recursive: true });
    redis = await startRedisServer();
    const feedPort = await freePort();
    const env = { REDIS_URL: redis.url, OUTBOX_POLL_MS: '50', REPORT_RATE_LIMIT: '1000', CONSOLE_DIR, FEED_PUBLIC_URL: `http://127.0.0.1:${feedPort}` };
    intake = await startIntake('citizen-follow-up-browser', env);
    const { createFeedApp } = await import('../../apps/feed/src/feed.app');
    feed = await createFeedApp(testConfig(intake.databaseUrl, env));
    await feed.listen(feedPort, '127.0.0.1');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
    });

    // An anonymous citizen's report, handled and closed by staff over HTTP.
    const http = api(intake);
    const auth = { operator: await intake.bearer('operator'), chief3: await intake.bearer('chief3'), warden1: await intake.bearer('warden1') };
    const p = await withDb(intake.databaseUrl, (db) => pointInWardenCell(db, 'warden1', 3));
    const chief3 = await withDb(intake.databaseUrl, (db) => chiefIdOf(db, 'chief3'));
    const created = await http.post<{ id: string; code: string; status: string; trackingToken: string }>('/api/v1/cases', {
      categoryCode: 'C0101',
      description: '井盖松动 loose manhole cover',
      location: { lng: p.lng, lat: p.lat },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    ({ id: caseId, trackingToken: token, code } = created.body);
    if (created.body.status === 'reported') expect((await http.act(caseId, 'register', {}, auth.operator)).status).toBe(200);
    expect((await http.act(caseId, 'dispatch', { assigneeId: chief3 }, auth.operator)).status).toBe(200);
    expect((await http.act(caseId, 'accept', {}, auth.chief3)).status).toBe(200);
    expect((await http.act(caseId, 'resolve', { note: '已更换井盖 replaced' }, auth.chief3)).status).toBe(200);
    expect((await http.act(caseId, 'verify', { passed: true }, auth.operator)).status).toBe(200);
  }, 240_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await feed?.close();
    await intake?.close();
    await redis?.close();
  });

  async function open(options: Parameters<Browser['newContext']>[0], path: string): Promise<Page> {
    const context = await browser.newContext({ baseURL: intake.baseUrl, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ...options });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
    await page.goto(path);
    return page;
  }

  async function signIn(page: Page, username: string): Promise<void> {
    await page.fill('input[name=username]', username);
    await page.fill('input[name=password]', 'demo1234');
    await page.click('button[type=submit]');
  }

  it('"not fixed" on the tracking page reopens the case, and the command center sees it live; an update with a photo is shown once approved', async () => {
    const command = await open({ viewport: { width: 1600, height: 900 } }, '/login');
    await signIn(command, 'operator');
    await command.waitForURL('**/command');
    await command.waitForSelector('[data-testid=feed-status][data-status=live]', { timeout: LIVE });
    await command.evaluate(() => ((globalThis as unknown as { __noReload: boolean }).__noReload = true));

    const citizen = await open(PHONE, `/track/${caseId}?token=${encodeURIComponent(token)}`);
    await citizen.waitForSelector('[data-testid=track][data-status=closed] [data-testid=follow-up] [data-feedback=not-fixed]', { timeout: LIVE });
    expect(await citizen.textContent('[data-testid=follow-up]')).toContain('结案后7日内');
    await citizen.fill('[data-form=feedback] textarea[name=comment]', '井盖还是松的，踩上去晃');
    await citizen.screenshot({ path: 'docs/screenshots/citizen-feedback.png', fullPage: true });
    await citizen.click('[data-feedback=not-fixed]');
    await citizen.waitForSelector('[data-testid=feedback-notice]', { timeout: LIVE });
    expect(await citizen.textContent('[data-testid=feedback-notice]')).toContain('已重新办理');
    await citizen.waitForSelector('[data-testid=track][data-status=in_progress]', { timeout: LIVE });

    // The command center: the reopen arrives on the feed, without a reload.
    await command.waitForSelector(`[data-testid=events] li[data-case-id="${caseId}"][data-status=in_progress]`, { timeout: LIVE });
    expect(await command.textContent(`[data-testid=events] li[data-case-id="${caseId}"][data-status=in_progress]`)).toContain('重新办理');
    expect(await command.evaluate(() => (globalThis as unknown as { __noReload?: boolean }).__noReload)).toBe(true);

    // The reporter adds an update with a photo; the public does not see it yet.
    const png = await sharp(Buffer.alloc(64 * 48 * 3).map((_, i) => (i * 7) % 256), { raw: { width: 64, height: 48, channels: 3 } }).png().toBuffer();
    await citizen.fill('[data-form=citizen-update] textarea[name=note]', '今天又有车压过，井盖翘起来了');
    await citizen.setInputFiles('[data-form=citizen-update] input[name=photos]', { name: 'cover.png', mimeType: 'image/png', buffer: png });
    await citizen.click('[data-form=citizen-update] button[type=submit]');
    await citizen.waitForSelector('[data-testid=update-sent]', { timeout: LIVE });
    expect(await citizen.$('[data-testid=public-updates]')).toBeNull();

    // The operator's drawer shows it pending, with its photo; approving it shows it on the tracking page.
    await command.click(`[data-testid=events] li[data-case-id="${caseId}"][data-status=in_progress]`);
    await command.waitForSelector('[data-testid=case-drawer] [data-testid=citizen-updates] li[data-update-status=pending] img', { timeout: LIVE });
    expect(await command.textContent('[data-testid=case-drawer] [data-testid=citizen-updates]')).toContain('今天又有车压过');
    expect(await command.textContent('[data-testid=case-drawer] .timeline')).toContain('重新办理');
    await command.screenshot({ path: 'docs/screenshots/citizen-update-approve.png' });
    await command.click('[data-testid=case-drawer] [data-testid=citizen-updates] [data-decide=approve]');
    await command.waitForSelector('[data-testid=case-drawer] [data-testid=citizen-updates] li[data-update-status=approved]', { timeout: LIVE });

    await citizen.waitForSelector('[data-testid=public-updates] img', { timeout: LIVE });
    expect(await citizen.textContent('[data-testid=public-updates]')).toContain('今天又有车压过');
    const rows = await withDb(intake.databaseUrl, (db) =>
      db.query(`SELECT f.satisfied, f.reopened, f.comment, c.status FROM case_feedback f JOIN case_file c ON c.id = f.case_id WHERE c.code = $1`, [code]).then((r) => r.rows),
    );
    expect(rows).toEqual([{ satisfied: false, reopened: true, comment: '井盖还是松的，踩上去晃', status: 'in_progress' }]);
    expect(errors).toEqual([]);
  }, 400_000);
});
