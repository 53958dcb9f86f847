import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, pointInWardenCell, withDb } from '../support/cases';
import { startAdminBrowser, type AdminBrowser } from './support/admin-browser';

/**
 * The warden's phone (issue 22 item 5): the on-duty switch on the checks tab sends where the phone
 * is; a check requested in the warden's cell then goes to them (the only warden on duty there) and
 * shows in their checks, which they pass on site.
 */
describe('the warden goes on duty and gets the check task', () => {
  let b: AdminBrowser;
  let cell: { lng: number; lat: number; cellCode: string };

  beforeAll(async () => {
    b = await startAdminBrowser('warden-duty-browser', { REPORT_RATE_LIMIT: '100000' });
    cell = await withDb(b.intake.databaseUrl, (db) => pointInWardenCell(db, 'warden1', 1));
  }, 180_000);

  afterAll(async () => {
    await b?.close();
  });

  it('the duty switch, then the check task in the list, passed on site', async () => {
    const page = await b.open('warden1', '/warden', {
      context: {
        viewport: { width: 375, height: 812 },
        isMobile: true,
        hasTouch: true,
        permissions: ['geolocation'],
        geolocation: { longitude: cell.lng + 0.0002, latitude: cell.lat },
      },
    });
    await page.click('[data-testid=tab-checks]');
    await page.waitForSelector('[data-testid=duty][data-on-duty=false]');
    expect(await page.textContent('[data-testid=duty-toggle]')).toBe('上岗');
    await page.click('[data-testid=duty-toggle]');
    await page.waitForSelector('[data-testid=duty][data-on-duty=true]');
    expect(await page.textContent('[data-testid=duty]')).toContain(`${(cell.lng + 0.0002).toFixed(5)}, ${cell.lat.toFixed(5)}`);

    // A citizen's report in the cell; the operator asks for a check (核实): it goes to warden1, on duty.
    const http = api(b.intake);
    const operator = await b.intake.bearer('operator');
    const created = await http.post<{ id: string }>('/api/v1/cases', { categoryCode: 'E0102', description: '路边垃圾堆放', location: { lng: cell.lng, lat: cell.lat } });
    expect(created.status).toBe(201);
    expect((await http.act(created.body.id, 'verify-request', {}, operator)).status).toBe(200);
    const given = await withDb(b.intake.databaseUrl, async (db) => (await db.query(`SELECT u.username FROM case_file c JOIN app_user u ON u.id = c.check_warden_id WHERE c.id = $1`, [created.body.id])).rows[0]);
    expect(given).toEqual({ username: 'warden1' });

    await page.reload();
    await page.click('[data-testid=tab-checks]');
    const card = `[data-testid=checks] li[data-case-id="${created.body.id}"]`;
    await page.waitForSelector(card);
    await page.screenshot({ path: 'docs/screenshots/warden-duty.png' });

    await page.fill(`${card} textarea`, '现场属实');
    await page.click(`${card} [data-action=pass]`);
    await page.waitForSelector(card, { state: 'detached' });
    const stage = await withDb(b.intake.databaseUrl, async (db) => (await db.query(`SELECT ended_at IS NOT NULL AS ended FROM case_stage WHERE case_id = $1 AND stage = 'check'`, [created.body.id])).rows[0]);
    expect(stage).toEqual({ ended: true });

    // Off duty again: the switch says so.
    await page.click('[data-testid=duty-toggle]');
    await page.waitForSelector('[data-testid=duty][data-on-duty=false]');
    expect(b.errors).toEqual([]);
  });

  it('the admin evaluation tab counts the stages per post and per person', async () => {
    const page = await b.open('admin', '/admin/stages');
    await page.waitForSelector('[data-testid=stage-table] tr[data-post=supervisor]');
    const row = (post: string) => page.$$eval(`[data-testid=stage-table] tr[data-post=${post}] td`, (tds) => tds.map((td) => td.textContent));
    // The check: one, on time. The report's registration is still waiting, within its limit.
    expect(await row('supervisor')).toEqual(['监督员', '1', '1', '0', '0', '0', '100.0%']);
    expect(await row('intake')).toEqual(['受理员', '1', '0', '0', '1', '0', '—']);
    await page.screenshot({ path: 'docs/screenshots/stage-timeliness.png' });
    await page.selectOption('[data-testid=stage-group]', 'person');
    await page.waitForSelector('[data-testid=stage-table] tr[data-post=supervisor][data-person]:not([data-person=""])');
    expect(await page.textContent('[data-testid=stage-table] tr[data-post=supervisor]')).toContain('1');
    expect(b.errors).toEqual([]);
  });
});
