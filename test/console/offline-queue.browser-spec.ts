import type { BrowserContext, Page, Route } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, chiefIdOf, pointInWardenCell, withDb } from '../support/cases';
import { startAdminBrowser, type AdminBrowser } from './support/admin-browser';

/**
 * Issue 19 item 6, the field pages offline, in Chromium: installed (manifest, service worker), the
 * warden's and the chief's phones lose their signal, reload and still show their tasks (the last
 * fetched copy); the warden reports with a photo and passes a check, the chief resolves with a photo,
 * all kept on the phone (待发送). When the signal returns, in a storm (offline and online again and
 * again, reloads mid-queue, every first answer lost after the server did the work), everything
 * arrives once, in the order it was made.
 */
const PHONE = { viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const WAIT = 30_000;

async function photo(seed: number): Promise<Buffer> {
  const data = Buffer.alloc(64 * 48 * 3).map((_, i) => (i * 7 + seed * 50) % 256);
  return sharp(data, { raw: { width: 64, height: 48, channels: 3 } }).png().toBuffer();
}

/** Lets every POST through to the server once, but loses the first answer of each (the worst retry case). */
async function loseFirstAnswers(context: BrowserContext): Promise<{ lost: string[] }> {
  const seen = new Set<string>();
  const lost: string[] = [];
  await context.route(/\/api\/v1\/(media|cases)/, async (route: Route) => {
    const req = route.request();
    if (req.method() !== 'POST') return route.fallback();
    const id = `${req.url()} ${req.headers()['idempotency-key'] ?? req.postDataBuffer()?.length}`;
    if (seen.has(id)) return route.fallback();
    seen.add(id);
    await route.fetch().catch(() => null);
    lost.push(new URL(req.url()).pathname);
    await route.abort('internetdisconnected');
  });
  return { lost };
}

interface WithServiceWorker {
  navigator: { serviceWorker: { ready: Promise<unknown>; controller: unknown } };
}

async function installed(page: Page): Promise<void> {
  await page.evaluate(() => (globalThis as unknown as WithServiceWorker).navigator.serviceWorker.ready.then(() => undefined));
  // Under the service worker's control from now on: the reads it keeps go through it.
  await page.reload();
  await page.waitForFunction(() => !!(globalThis as unknown as WithServiceWorker).navigator.serviceWorker.controller);
}

describe('the field pages work without signal', () => {
  let b: AdminBrowser;
  let chiefCase: string;
  let checkCase: string;
  let spot: { lng: number; lat: number };

  beforeAll(async () => {
    b = await startAdminBrowser('offline-browser', { REPORT_RATE_LIMIT: '100000' });
    const http = api(b.intake);
    const [warden, operator, chief] = await Promise.all(['warden1', 'operator', 'chief3'].map((u) => b.intake.bearer(u)));
    const chief3 = await withDb(b.intake.databaseUrl, (db) => chiefIdOf(db, 'chief3'));
    const made: string[] = [];
    for (let n = 0; n < 2; n++) {
      const p = await withDb(b.intake.databaseUrl, (db) => pointInWardenCell(db, 'warden1', n));
      const c = await http.post<{ id: string; status: string }>('/api/v1/cases', { categoryCode: 'C0101', description: `offline case ${n}`, location: { lng: p.lng, lat: p.lat } }, warden);
      expect(c.status, JSON.stringify(c.body)).toBe(201);
      if (c.body.status === 'reported') expect((await http.act(c.body.id, 'register', {}, operator)).status).toBe(200);
      expect((await http.act(c.body.id, 'dispatch', { assigneeId: chief3 }, operator)).status).toBe(200);
      expect((await http.act(c.body.id, 'accept', {}, chief)).status).toBe(200);
      made.push(c.body.id);
    }
    [chiefCase, checkCase] = made;
    // warden1 is on duty: the check the resolve opens is their task.
    expect((await http.call('PATCH', '/api/v1/me/duty', { auth: warden, body: { onDuty: true } })).status).toBe(200);
    expect((await http.act(checkCase, 'resolve', { note: '已修复 fixed' }, chief)).status).toBe(200);
    spot = await withDb(b.intake.databaseUrl, (db) => pointInWardenCell(db, 'warden1', 4));
  }, 180_000);

  afterAll(async () => {
    await b?.close();
  });

  it('is installable: a manifest and a service worker that intake serves with the console CSP', async () => {
    const sw = await fetch(`${b.intake.baseUrl}/sw.js`);
    expect(sw.status).toBe(200);
    expect(sw.headers.get('content-type')).toMatch(/javascript/);
    expect(sw.headers.get('cache-control')).toBe('no-cache');
    expect(sw.headers.get('service-worker-allowed')).toBe('/');
    expect(sw.headers.get('content-security-policy')).toContain("worker-src 'self'");
    expect(await sw.text()).toMatch(/const PRECACHE = \[.*"\/index\.html"/);
    const manifest = await fetch(`${b.intake.baseUrl}/manifest.webmanifest`);
    expect(manifest.headers.get('content-type')).toMatch(/^application\/manifest\+json/);
    const m = (await manifest.json()) as { start_url: string; scope: string; display: string; icons: { src: string; sizes: string }[] };
    expect(m).toMatchObject({ start_url: '/', scope: '/', display: 'standalone' });
    for (const icon of m.icons) expect((await fetch(`${b.intake.baseUrl}${icon.src}`)).status, icon.src).toBe(200);
    expect(m.icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
  });

  it('keeps a report with a photo, a check and a resolve with a photo made offline, and sends each once, in order, through a retry storm', async () => {
    const warden = await b.open('warden1', '/warden', { context: { ...PHONE } });
    const chief = await b.open('chief3', '/chief', { context: { ...PHONE } });
    for (const page of [warden, chief]) await installed(page);
    // The catalogue (through the service worker, which keeps it), then the checks (the page keeps them).
    await warden.waitForSelector('select[name=category] option[value=E0102]', { state: 'attached', timeout: WAIT });
    await warden.click('[data-testid=tab-checks]');
    await warden.waitForSelector(`li.task[data-case-id="${checkCase}"]`, { timeout: WAIT });
    await chief.waitForSelector(`li.task[data-case-id="${chiefCase}"][data-status=in_progress]`, { timeout: WAIT });

    // The signal is gone. A reload still opens the pages, from the phone, with the last task lists.
    for (const page of [warden, chief]) {
      await page.context().setOffline(true);
      const reloaded = await page.reload();
      expect(reloaded?.fromServiceWorker()).toBe(true);
    }
    await chief.waitForSelector(`li.task[data-case-id="${chiefCase}"]`, { timeout: WAIT });
    await chief.waitForSelector('[data-testid=offline-copy]');
    await warden.click('[data-testid=tab-checks]');
    await warden.waitForSelector(`li.task[data-case-id="${checkCase}"]`, { timeout: WAIT });
    await warden.waitForSelector('[data-testid=offline-copy]');

    // The warden reports with a photo, then passes the check; the chief resolves with a photo.
    await warden.click('nav.tabs button >> nth=0');
    await warden.waitForSelector('select[name=category] option[value=E0102]', { state: 'attached', timeout: WAIT });
    await warden.fill('input[name=lng]', spot.lng.toFixed(6));
    await warden.fill('input[name=lat]', spot.lat.toFixed(6));
    await warden.selectOption('select[name=category]', 'E0102');
    const description = `无信号上报 reported offline ${Date.now()}`;
    await warden.fill('textarea[name=description]', description);
    await warden.setInputFiles('[data-testid=report-photos]', { name: 'offline-before.png', mimeType: 'image/png', buffer: await photo(1) });
    await warden.click('form[data-testid=report-form] button[type=submit]');
    await warden.waitForSelector('[data-testid=queued]', { timeout: WAIT });
    await warden.click('[data-testid=tab-checks]');
    const check = `li.task[data-case-id="${checkCase}"]`;
    await warden.fill(`${check} textarea`, '现场核查通过 checked offline');
    await warden.click(`${check} button[data-action=pass]`);
    await warden.waitForSelector(`${check}[data-waiting=true]`, { timeout: WAIT });
    await warden.waitForSelector('[data-testid=outbox][data-pending="2"]', { timeout: WAIT });

    const task = `li.task[data-case-id="${chiefCase}"]`;
    await chief.click(`${task} button[data-action=resolve]`);
    await chief.fill(`${task} form[data-form=resolve] textarea`, '已清理 cleaned up offline');
    await chief.setInputFiles(`${task} form[data-form=resolve] input[type=file]`, { name: 'offline-after.png', mimeType: 'image/png', buffer: await photo(2) });
    await chief.click(`${task} form[data-form=resolve] button[type=submit]`);
    await chief.waitForSelector(`${task}[data-waiting=true]`, { timeout: WAIT });
    await chief.waitForSelector('[data-testid=outbox][data-pending="1"]', { timeout: WAIT });
    await b.shot(warden, 'offline-queue');

    // Nothing reached the server.
    const counts = () =>
      withDb(b.intake.databaseUrl, async (db) => {
        const { rows } = await db.query(
          `SELECT (SELECT count(*)::int FROM case_file WHERE description = $1) AS reports,
                  (SELECT count(*)::int FROM case_event WHERE case_id = $2 AND type = 'case.resolved') AS resolves,
                  (SELECT count(*)::int FROM case_event WHERE case_id = $3 AND type = 'case.closed') AS checks`,
          [description, chiefCase, checkCase],
        );
        return rows[0] as { reports: number; resolves: number; checks: number };
      });
    expect(await counts()).toEqual({ reports: 0, resolves: 0, checks: 0 });

    // The storm: the signal comes and goes, the pages are reloaded mid-queue, every first answer is lost.
    const lost = await Promise.all([warden, chief].map((p) => loseFirstAnswers(p.context())));
    for (let round = 0; round < 3; round++) {
      for (const page of [warden, chief]) await page.context().setOffline(false);
      await new Promise((r) => setTimeout(r, 400));
      for (const page of [warden, chief]) await page.context().setOffline(true);
      if (round === 1) for (const page of [warden, chief]) await page.reload();
    }
    for (const page of [warden, chief]) await page.context().setOffline(false);
    await warden.reload();
    await chief.reload();
    const sent = async (page: Page, n: number) => {
      await expect
        .poll(
          async () => {
            // The user's "send now", as often as a retry takes (the online event is not always told).
            await page.click('[data-testid=outbox] [data-action=send-now]', { timeout: 1000 }).catch(() => undefined);
            return page.getAttribute('[data-testid=outbox]', 'data-sent');
          },
          { timeout: 60_000, interval: 1000 },
        )
        .toBe(String(n));
      await page.waitForSelector('[data-testid=outbox][data-pending="0"][data-failed="0"]');
    };
    await sent(warden, 2);
    await sent(chief, 1);
    expect(lost[0].lost.length + lost[1].lost.length).toBeGreaterThanOrEqual(3);

    // Each arrived once, the warden's in the order made (the report before the check), with its photo.
    expect(await counts()).toEqual({ reports: 1, resolves: 1, checks: 1 });
    await withDb(b.intake.databaseUrl, async (db) => {
      const { rows } = await db.query(
        `SELECT e.type, e.seq, (SELECT count(*)::int FROM case_media m WHERE m.case_id = e.case_id) AS photos
           FROM case_event e JOIN case_file c ON c.id = e.case_id
          WHERE (c.description = $1 AND e.type = 'case.reported') OR (e.case_id = $2 AND e.type = 'case.closed') OR (e.case_id = $3 AND e.type = 'case.resolved')
          ORDER BY e.seq`,
        [description, checkCase, chiefCase],
      );
      const warden1 = rows.filter((r) => r.type !== 'case.resolved').map((r) => r.type);
      expect(warden1).toEqual(['case.reported', 'case.closed']);
      expect(rows.find((r) => r.type === 'case.reported')!.photos).toBe(1);
      expect(rows.find((r) => r.type === 'case.resolved')!.photos).toBe(1);
    });

    // Online again, the lists are the server's: the check and the resolved task have left them.
    await warden.click('[data-testid=tab-checks]');
    await warden.waitForSelector(`li.task[data-case-id="${checkCase}"]`, { state: 'detached', timeout: WAIT });
    await chief.waitForSelector(`li.task[data-case-id="${chiefCase}"]`, { state: 'detached', timeout: WAIT });
    await chief.click('[data-testid=outbox] button.link');
    await chief.waitForSelector('[data-testid=outbox] li[data-state=sent]');
    expect(b.errors).toEqual([]);
  }, 240_000);
});
