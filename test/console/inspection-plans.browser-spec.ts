import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, pointInWardenCell, withDb } from '../support/cases';
import { startAdminBrowser, type AdminBrowser } from './support/admin-browser';

/**
 * Inspection plans and duty in the console (issue 17 items 2, 4): the admin makes a plan for every
 * construction site (every 4 hours) in 巡查与值守; the warden's phone lists the inspection due with
 * its countdown and opens its checklist; a checkpoint's shift is checked in on site from the phone.
 * Screenshots: docs/screenshots/inspections-due.png, duty-check-in.png.
 */
describe('inspection plans and duty in the console', () => {
  let b: AdminBrowser;
  let http: ReturnType<typeof api>;
  let site: { id: string; point: { lng: number; lat: number } };
  let checkpoint: { id: string; point: { lng: number; lat: number } };
  let warden1: string;

  beforeAll(async () => {
    b = await startAdminBrowser('plans-browser', { REPORT_RATE_LIMIT: '100000' });
    http = api(b.intake);
    const leader = await b.intake.bearer('leader');
    const [p0, p1] = await withDb(b.intake.databaseUrl, async (db) => {
      warden1 = (await db.query(`SELECT id FROM app_user WHERE username = 'warden1'`)).rows[0].id;
      return [await pointInWardenCell(db, 'warden1', 0), await pointInWardenCell(db, 'warden1', 1)];
    });
    const made = await http.post<typeof site>('/api/v1/places', { kind: 'site', name: '航海东路安置房工地', geometry: { type: 'Point', coordinates: [p0.lng, p0.lat] }, responsibleId: warden1 }, leader);
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    site = made.body;
    const cp = await http.post<typeof checkpoint>('/api/v1/places', { kind: 'checkpoint', name: '通站路与南三环卡点', geometry: { type: 'Point', coordinates: [p1.lng, p1.lat] }, responsibleId: warden1 }, leader);
    expect(cp.status, JSON.stringify(cp.body)).toBe(201);
    checkpoint = cp.body;
  }, 180_000);

  afterAll(async () => {
    await b?.close();
  });

  it('the admin makes a plan for every site; the warden’s phone lists the inspection due with its countdown and opens its checklist', async () => {
    const admin = await b.open('admin', '/admin/inspections');
    await admin.waitForSelector('[data-testid=plan-form]', { timeout: 20_000 });
    await admin.selectOption('[data-testid=plan-form] select[aria-label=checklist]', { label: '工地"8个100%"' });
    await admin.selectOption('[data-testid=plan-form] select[name=placeKind]', 'site');
    await admin.fill('[data-testid=plan-form] input[name=every]', 'PT4H');
    await admin.click('[data-testid=plan-form] button[type=submit]');
    await admin.waitForSelector('[data-testid=plan-list] li[data-active=true]', { timeout: 20_000 });
    expect(await admin.textContent('[data-testid=plan-list]')).toContain('PT4H');

    const page = await b.open('warden1', '/warden', {
      context: { viewport: { width: 400, height: 860 }, geolocation: { longitude: site.point.lng, latitude: site.point.lat }, permissions: ['geolocation'] },
    });
    await page.click('[data-testid=tab-inspections]');
    const due = `[data-testid=due-inspections] li[data-place-id="${site.id}"]`;
    await page.waitForSelector(due, { timeout: 20_000 });
    expect(await page.getAttribute(due, 'data-state')).toBe('due');
    expect(await page.textContent(due)).toMatch(/剩余|left/);
    await b.shot(page, 'inspections-due');
    await page.screenshot({ path: 'docs/screenshots/inspections-due.png', fullPage: true });

    await page.click(`${due} [data-action=inspect-due]`);
    await page.waitForSelector(`[data-testid=inspection-form][data-place-id="${site.id}"] li[data-item=machinery]`);
    await page.click('[data-action=submit-inspection]');
    await page.waitForSelector('[data-testid=inspection-done]', { timeout: 20_000 });
    // Done on time: it leaves the due list.
    await page.waitForSelector(due, { state: 'detached', timeout: 20_000 });
    expect(b.errors).toEqual([]);
  });

  it('the warden checks in at the checkpoint’s shift from the phone, on site', async () => {
    const leader = await b.intake.bearer('leader');
    const now = Date.now();
    const roster = await http.post(
      '/api/v1/duty-rosters',
      { placeId: checkpoint.id, shifts: [{ from: new Date(now - 5 * 60_000).toISOString(), to: new Date(now + 4 * 3_600_000).toISOString(), userIds: [warden1] }] },
      leader,
    );
    expect(roster.status, JSON.stringify(roster.body)).toBe(201);
    const page = await b.open('warden1', '/warden', {
      context: { viewport: { width: 400, height: 860 }, geolocation: { longitude: checkpoint.point.lng, latitude: checkpoint.point.lat }, permissions: ['geolocation'] },
    });
    await page.click('[data-testid=tab-inspections]');
    await page.waitForSelector('[data-testid=duty-shifts] li[data-state=open] [data-action=check-in]', { timeout: 20_000 });
    await page.click('[data-testid=duty-shifts] [data-action=check-in]');
    await page.waitForSelector('[data-testid=checked-in]', { timeout: 20_000 });
    expect(await page.getAttribute('[data-testid=checked-in]', 'data-off-site')).toBe('false');
    await page.waitForSelector('[data-testid=duty-shifts] li[data-state=checked_in]');
    await b.shot(page, 'duty-check-in');
    await page.screenshot({ path: 'docs/screenshots/duty-check-in.png', fullPage: true });
    expect(b.errors).toEqual([]);
  });
});
