import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, pointInWardenCell, withDb } from '../support/cases';
import { startAdminBrowser, type AdminBrowser } from './support/admin-browser';

/**
 * Inspection plans and duty in the console (issue 17 items 2, 4): the admin makes a plan for every
 * construction site (every 4 hours) in 巡查与值守; the warden's phone lists the inspection due with
 * its countdown and opens its checklist; a checkpoint's shift is checked in on site from the phone.
 * Plans follow their places (issue 17 leftover): the list shows each plan's places and what a plan
 * by kind follows; the edit form adds and removes places, hands the plan to named inspectors and
 * sets its end. Screenshots: docs/screenshots/inspections-due.png, duty-check-in.png, inspection-plan-edit.png.
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

  it('the plan list shows each plan’s places and what a plan by kind follows; the edit form changes places, inspectors and the end', async () => {
    const leader = await b.intake.bearer('leader');
    const [p2, p3, zhiban1] = await withDb(b.intake.databaseUrl, async (db) => [
      await pointInWardenCell(db, 'warden1', 2).catch(() => pointInWardenCell(db, 'warden1', 0)),
      await pointInWardenCell(db, 'warden1', 0),
      (await db.query(`SELECT id FROM app_user WHERE username = 'zhiban1'`)).rows[0].id as string,
    ]);
    // A site registered after the plan by kind was made joins it.
    const later = await http.post<{ id: string }>('/api/v1/places', { kind: 'site', name: '紫荆山路新工地', geometry: { type: 'Point', coordinates: [p2.lng, p2.lat] }, responsibleId: warden1 }, leader);
    expect(later.status, JSON.stringify(later.body)).toBe(201);
    const market = await http.post<{ id: string }>('/api/v1/places', { kind: 'market', name: '城东路农贸市场', geometry: { type: 'Point', coordinates: [p3.lng + 0.0004, p3.lat] }, responsibleId: warden1 }, leader);
    expect(market.status, JSON.stringify(market.body)).toBe(201);
    const byIds = await http.post<{ id: string }>('/api/v1/inspection-plans', { checklistId: (await http.get<{ id: string; name: string }[]>('/api/v1/checklists', leader)).body.find((c) => c.name === '卡点值守')!.id, placeIds: [checkpoint.id], every: 'P1D', from: new Date().toISOString() }, leader);
    expect(byIds.status, JSON.stringify(byIds.body)).toBe(201);
    const kindPlan = (await http.get<{ id: string; placeKind: string | null; active: boolean }[]>('/api/v1/inspection-plans', leader)).body.find((p) => p.placeKind === 'site' && p.active)!;

    const admin = await b.open('admin', '/admin/inspections');
    const kindRow = `[data-testid=plan-list] li[data-plan-id="${kindPlan.id}"]`;
    await admin.waitForSelector(`${kindRow} [data-testid=plan-places][data-count="2"]`, { timeout: 20_000 });
    expect(await admin.textContent(`${kindRow} [data-testid=plan-follows]`)).toContain('跟随类型 工地 于 全区');

    const row = `[data-testid=plan-list] li[data-plan-id="${byIds.body.id}"]`;
    await admin.click(`${row} [data-action=edit-plan]`);
    const form = `${row} [data-testid=plan-edit-form]`;
    await admin.waitForSelector(form);
    await admin.check(`${form} input[name=removePlace][value="${checkpoint.id}"]`);
    await admin.selectOption(`${form} select[name=addPlaceIds]`, [market.body.id]);
    await admin.uncheck(`${form} input[name=byResponsible]`);
    await admin.fill(`${form} input[name=assigneeIds]`, zhiban1);
    await admin.uncheck(`${form} input[name=openEnded]`);
    const end = new Date(Date.now() + 30 * 86_400_000);
    await admin.fill(`${form} input[name=to]`, new Date(end.getTime() - end.getTimezoneOffset() * 60_000).toISOString().slice(0, 16));
    await b.shot(admin, 'inspection-plan-edit');
    await admin.screenshot({ path: 'docs/screenshots/inspection-plan-edit.png', fullPage: true });
    await admin.click(`${form} button[type=submit]`);
    await admin.waitForSelector('[data-testid=plans-notice]', { timeout: 20_000 });
    await admin.waitForSelector(form, { state: 'detached' });
    const changed = (await http.get<{ id: string; places: { id: string }[]; assigneeIds: string[] | null; to: string | null }[]>('/api/v1/inspection-plans', leader)).body.find((p) => p.id === byIds.body.id)!;
    expect(changed.places.map((p) => p.id)).toEqual([market.body.id]);
    expect(changed.assigneeIds).toEqual([zhiban1]);
    expect(changed.to).not.toBeNull();
    expect(await admin.textContent(`${row} [data-testid=plan-places]`)).toContain('1 个点位');

    // In English.
    await admin.click('[data-testid=lang]');
    await admin.waitForSelector(`${kindRow} [data-testid=plan-follows]:has-text("follows kind construction site in the whole district")`, { timeout: 10_000 });
    await admin.click(`${row} [data-action=edit-plan]`);
    expect(await admin.textContent(form)).toContain('Save changes');
    expect(b.errors).toEqual([]);
  });
});
