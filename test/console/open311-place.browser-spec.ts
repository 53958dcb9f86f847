import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, pointInWardenCell, withDb } from '../support/cases';
import { startAdminBrowser, type AdminBrowser } from './support/admin-browser';

type MapHandle = { jumpTo(o: unknown): void; project(p: [number, number]): { x: number; y: number } };

/**
 * Placing an Open311 request located by its address only (issue 16), in Chromium: the operator's
 * list shows it as 待定位 with a 定位 action; the drawer's place form takes its point from a click on
 * the map; once placed the case has its cell and street and a case.placed event.
 */
describe('the console places an address-only Open311 request', () => {
  let b: AdminBrowser;
  let caseId: string;
  let point: { lng: number; lat: number; cellCode: string; streetCode: string };

  beforeAll(async () => {
    b = await startAdminBrowser('open311-place', { REPORT_RATE_LIMIT: '100000' });
    const http = api(b.intake);
    const key = (await http.post<{ key: string }>('/api/v1/admin/api-keys', { name: 'address-browser' }, await b.intake.bearer('admin'))).body.key;
    const res = await fetch(`${b.intake.baseUrl}/open311/v2/requests.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ api_key: key, service_code: 'E0102', description: '门口有暴露垃圾（按地址上报）', address_string: '文治路 18 号' }).toString(),
    });
    expect(res.status).toBe(200);
    const [created] = (await res.json()) as { service_request_id: string }[];
    ({ caseId, point } = await withDb(b.intake.databaseUrl, async (db) => ({
      caseId: (await db.query(`SELECT id FROM case_file WHERE code = $1`, [created.service_request_id])).rows[0].id as string,
      point: await pointInWardenCell(db, 'warden1', 0),
    })));
  }, 180_000);

  afterAll(async () => {
    await b?.close();
  });

  it('lists it as 待定位, places it with a click on the map, and the case gets its cell and street', async () => {
    const page = await b.open('operator', '/command');
    const item = `[data-testid=case-list] li[data-case-id="${caseId}"]`;
    await page.waitForSelector(item, { timeout: 30_000 });
    expect(await page.textContent(`${item} [data-testid=location-pending]`)).toBe('待定位');
    await page.click(`${item} [data-action=place]`);
    await page.waitForSelector('form[data-form=place]');
    expect(await page.textContent('[data-testid=place-point]')).toBe('请在地图上点击案卷位置');
    expect(await page.textContent('[data-testid=case-address]')).toContain('文治路 18 号');
    expect(await page.isDisabled('form[data-form=place] button[type=submit]')).toBe(true);

    // Bring the point into view, then click the map there.
    await page.waitForFunction(() => !!(globalThis as unknown as { __wanggeMap?: { getSource(id: string): unknown } }).__wanggeMap?.getSource('cases'), undefined, { timeout: 30_000 });
    await page.evaluate((p) => (globalThis as unknown as { __wanggeMap: MapHandle }).__wanggeMap.jumpTo({ center: [p.lng, p.lat], zoom: 16 }), point);
    await page.waitForTimeout(1000);
    const box = (await page.locator('[data-testid=map]').boundingBox())!;
    const at = await page.evaluate((p) => (globalThis as unknown as { __wanggeMap: MapHandle }).__wanggeMap.project([p.lng, p.lat]), point);
    await page.mouse.click(box.x + at.x, box.y + at.y);
    await page.waitForFunction(
      () => {
        const doc = (globalThis as unknown as { document: { querySelector(s: string): { textContent: string | null } | null } }).document;
        return /^\d+\.\d{6}, \d+\.\d{6}$/.test(doc.querySelector('[data-testid=place-point]')?.textContent ?? '');
      },
      undefined,
      { timeout: 10_000 },
    );
    const [lng, lat] = (await page.textContent('[data-testid=place-point]'))!.split(', ').map(Number);
    expect(Math.abs(lng - point.lng)).toBeLessThan(0.0002);
    expect(Math.abs(lat - point.lat)).toBeLessThan(0.0002);
    await page.waitForTimeout(500);
    await page.screenshot({ path: 'docs/screenshots/open311-place.png' });

    await page.click('form[data-form=place] button[type=submit]');
    await page.waitForSelector('form[data-form=place]', { state: 'detached', timeout: 20_000 });
    await page.waitForSelector('[data-testid=case-drawer] [data-testid=location-pending]', { state: 'detached' });
    expect(await page.isVisible('[data-testid=case-drawer] [data-action=register]')).toBe(true);
    const stored = await withDb(b.intake.databaseUrl, (db) =>
      db.query(`SELECT c.grid_cell_code, c.street_code, (SELECT count(*)::int FROM case_event e WHERE e.case_id = c.id AND e.type = 'case.placed') AS placed FROM case_file c WHERE c.id = $1`, [caseId]),
    );
    expect(stored.rows[0]).toEqual({ grid_cell_code: point.cellCode, street_code: point.streetCode, placed: 1 });
    expect(b.errors).toEqual([]);
  }, 180_000);
});
