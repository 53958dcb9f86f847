import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pointInWardenCell, withDb } from '../support/cases';
import { SHOTS, startAdminBrowser, type AdminBrowser } from './support/admin-browser';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

/**
 * The citizen's report page (`/report`, no account) on a phone: the catalogue in the form, a point,
 * a description; the answer's tracking link follows the case (anonymous, by its token). Screenshots
 * `citizen-report` and `citizen-reported` (the README's set of every page).
 */
describe('the citizen report page', () => {
  let b: AdminBrowser;

  beforeAll(async () => {
    b = await startAdminBrowser('citizen-report');
  }, 180_000);

  afterAll(async () => {
    await b?.close();
  });

  it('reports without an account and gives the tracking link', async () => {
    const context = await b.browser.newContext({ baseURL: b.intake.baseUrl, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ...PHONE });
    const page = await context.newPage();
    page.on('pageerror', (e) => b.errors.push(e.message));
    await page.goto('/report');
    await page.waitForSelector('select[name=category] option[value="E0102"]', { state: 'attached', timeout: 30_000 });
    const p = await withDb(b.intake.databaseUrl, (db) => pointInWardenCell(db, 'warden1', 5));
    await page.fill('input[name=lng]', p.lng.toFixed(6));
    await page.fill('input[name=lat]', p.lat.toFixed(6));
    await page.selectOption('select[name=category]', 'E0102');
    await page.fill('textarea[name=description]', '小区门口垃圾堆积 rubbish piled at the gate');
    await page.screenshot({ path: `${SHOTS}/citizen-report.png` });
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=tracking-link]', { timeout: 30_000 });
    const link = new URL((await page.textContent('[data-testid=tracking-link]'))!);
    const id = link.pathname.split('/').pop()!;
    const token = link.searchParams.get('token')!;
    const tracked = await fetch(`${b.intake.baseUrl}/api/v1/cases/${id}?trackingToken=${encodeURIComponent(token)}`);
    expect(tracked.status).toBe(200);
    expect(((await tracked.json()) as { status: string; description: string }).description).toContain('rubbish piled');
    await page.screenshot({ path: `${SHOTS}/citizen-reported.png` });
    expect(b.errors).toEqual([]);
    await context.close();
  }, 120_000);
});

