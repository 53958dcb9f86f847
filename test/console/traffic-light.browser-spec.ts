import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@wangge/clock';
import { api, chiefIdOf, pointInWardenCell, withDb } from '../support/cases';
import { startAdminBrowser, type AdminBrowser } from './support/admin-browser';

const local = (text: string) => new Date(`${text.replace(' ', 'T')}:00+08:00`);

/**
 * The traffic light in the console (issue 22), on a ManualClock: at Monday 10:36 a case dispatched
 * at 09:00 with one urgent hour is red, one with two urgent hours yellow (80 %), one with eight work
 * hours green, and a registered case has no light. The command center's list shows the coloured
 * dots and sorts by light; the map's markers take the light's colour; the chief's phone lists the
 * tasks red first and returns a case with a type chosen from the list.
 */
describe('the traffic light in the console', () => {
  const clock = new ManualClock(local('2027-03-01 09:00'));
  let b: AdminBrowser;
  const ids: Record<'red' | 'yellow' | 'green' | 'none', string> = { red: '', yellow: '', green: '', none: '' };

  beforeAll(async () => {
    b = await startAdminBrowser('light-browser', { REPORT_RATE_LIMIT: '100000' }, { clock });
    const http = api(b.intake);
    const warden = await b.intake.bearer('warden1');
    const operator = await b.intake.bearer('operator');
    const chief3 = await withDb(b.intake.databaseUrl, (db) => chiefIdOf(db, 'chief3'));
    const made: [keyof typeof ids, string, number][] = [
      ['red', 'E0403', 1],
      ['yellow', 'C0101', 1],
      ['green', 'C0101', 2],
      ['none', 'C0101', 1],
    ];
    let n = 0;
    for (const [key, categoryCode, conditionNo] of made) {
      const p = await withDb(b.intake.databaseUrl, (db) => pointInWardenCell(db, 'warden1', n++));
      const created = await http.post<{ id: string; status: string }>('/api/v1/cases', { categoryCode, conditionNo, description: `traffic light ${key}`, location: { lng: p.lng, lat: p.lat } }, warden);
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      if (created.body.status === 'reported') expect((await http.act(created.body.id, 'register', { conditionNo }, operator)).status).toBe(200);
      ids[key] = created.body.id;
      if (key !== 'none') expect((await http.act(created.body.id, 'dispatch', { assigneeId: chief3 }, operator)).status).toBe(200);
    }
    clock.set(local('2027-03-01 10:36'));
  }, 180_000);

  afterAll(async () => {
    await b?.close();
  });

  const lightsInList = (page: Page) =>
    page.$$eval('[data-testid=case-list] li[data-case-id]', (lis) => lis.map((li) => [li.getAttribute('data-case-id'), li.getAttribute('data-light')]));

  it('the command center colours the list’s dots and the map’s markers, and sorts by light', async () => {
    const page = await b.open('operator', '/command');
    await page.waitForSelector(`[data-testid=case-list] li[data-case-id="${ids.none}"]`, { timeout: 20_000 });
    await page.selectOption('[data-testid=case-sort]', 'light');
    expect(await lightsInList(page)).toEqual([
      [ids.red, 'red'],
      [ids.yellow, 'yellow'],
      [ids.green, 'green'],
      [ids.none, 'none'],
    ]);
    const dot = await page.$eval(`[data-testid=case-list] li[data-case-id="${ids.yellow}"] .light-dot`, (e) => ({ title: e.getAttribute('title'), colour: (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(e).backgroundColor }));
    expect(dot).toEqual({ title: '黄灯：时限用时 80%–100% · 时限已用 80%', colour: 'rgb(241, 196, 15)' });
    // The markers carry the light, and the layer colours them by it.
    await page.waitForFunction(() => {
      const map = (globalThis as unknown as { __wanggeMap?: { getSource(id: string): unknown; querySourceFeatures(id: string): unknown[] } }).__wanggeMap;
      return !!map?.getSource('cases') && map.querySourceFeatures('cases').length >= 4;
    }, undefined, { timeout: 20_000 });
    const markers = await page.evaluate(() => {
      const map = (
        globalThis as unknown as {
          __wanggeMap: { querySourceFeatures(id: string): { properties: { id: string; light: string } }[]; getPaintProperty(layer: string, name: string): unknown };
        }
      ).__wanggeMap;
      const byId: Record<string, string> = {};
      for (const f of map.querySourceFeatures('cases')) byId[f.properties.id] = f.properties.light;
      return { byId, paint: JSON.stringify(map.getPaintProperty('cases', 'circle-color')) };
    });
    expect(markers.byId).toEqual({ [ids.red]: 'red', [ids.yellow]: 'yellow', [ids.green]: 'green', [ids.none]: 'none' });
    expect(markers.paint).toContain('["match",["get","light"],"green","#27ae60","yellow","#f1c40f","red","#e74c3c"');
    await page.evaluate(() => {
      const map = (globalThis as unknown as { __wanggeMap: { fitBounds(b: number[][], o: unknown): void; querySourceFeatures(id: string): { geometry: { coordinates: number[] } }[] } }).__wanggeMap;
      const points = map.querySourceFeatures('cases').map((f) => f.geometry.coordinates);
      const lngs = points.map((p) => p[0]);
      const lats = points.map((p) => p[1]);
      map.fitBounds([[Math.min(...lngs), Math.min(...lats)], [Math.max(...lngs), Math.max(...lats)]], { padding: 160, duration: 0, maxZoom: 16 });
    });
    await page.waitForTimeout(1500);
    await page.screenshot({ path: 'docs/screenshots/traffic-light.png' });
    expect(b.errors).toEqual([]);
  });

  it('the chief’s phone lists the tasks red first and returns one with a type from the list', async () => {
    const page = await b.open('chief3', '/chief', { context: { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true } });
    await page.waitForSelector('[data-testid=tasks] li[data-case-id]', { timeout: 20_000 });
    const order = await page.$$eval('[data-testid=tasks] li[data-case-id]', (lis) => lis.map((li) => [li.getAttribute('data-case-id'), li.getAttribute('data-light')]));
    expect(order).toEqual([
      [ids.red, 'red'],
      [ids.yellow, 'yellow'],
      [ids.green, 'green'],
    ]);
    await page.click(`li[data-case-id="${ids.green}"] [data-action=return]`);
    const options = await page.$$eval(`li[data-case-id="${ids.green}"] [data-testid=return-type] option`, (os) => os.map((o) => [o.getAttribute('value'), o.textContent]));
    expect(options).toEqual([
      ['wrong_place', '位置错误'],
      ['wrong_category', '类别错误'],
      ['not_ours', '非本人职责'],
      ['needs_department', '需专业部门处置'],
      ['duplicate', '重复案卷'],
      ['other', '其他（须说明原因）'],
    ]);
    await page.selectOption(`li[data-case-id="${ids.green}"] [data-testid=return-type]`, 'wrong_category');
    await page.screenshot({ path: 'docs/screenshots/traffic-light-chief-return.png' });
    await page.click(`li[data-case-id="${ids.green}"] form[data-form=return] button[type=submit]`);
    await page.waitForSelector(`li[data-case-id="${ids.green}"]`, { state: 'detached', timeout: 20_000 });
    const events = await withDb(b.intake.databaseUrl, (db) =>
      db.query(`SELECT evidence FROM case_event WHERE case_id = $1 AND type = 'case.returned'`, [ids.green]).then((r) => r.rows.map((x) => x.evidence)),
    );
    expect(events).toEqual([{ reasonType: 'wrong_category' }]);
    expect(b.errors).toEqual([]);
  });

  it('the admin’s dispatch-accuracy tab counts that return against the operator who dispatched, as the API does', async () => {
    const period = 'from=2027-03-01&to=2027-03-01';
    const admin = await b.intake.bearer('admin');
    const fromApi = await api(b.intake).get<{ rows: { dispatcher: { id: string; name: string }; dispatches: number; returned: number; wrongDispatches: number }[] }>(
      `/api/v1/evaluation/dispatchers?${period}`,
      admin,
    );
    expect(fromApi.status).toBe(200);
    const operatorRow = fromApi.body.rows.find((r) => r.dispatcher.name && r.dispatches === 3);
    expect(operatorRow, JSON.stringify(fromApi.body)).toMatchObject({ dispatches: 3, returned: 1, wrongDispatches: 1 });

    const page = await b.open('admin', '/admin/dispatch');
    await page.waitForSelector('[data-testid=dispatch-accuracy] input[name=from]', { timeout: 20_000 });
    await page.fill('[data-testid=dispatch-accuracy] input[name=from]', '2027-03-01');
    await page.fill('[data-testid=dispatch-accuracy] input[name=to]', '2027-03-01');
    const row = page.locator(`[data-testid=dispatch-accuracy-table] tr[data-dispatcher="${operatorRow!.dispatcher.id}"]`);
    await expect.poll(() => row.count(), { timeout: 20_000 }).toBe(1);
    const cells = await row.locator('td').allTextContents();
    expect(cells.slice(0, 5)).toEqual([operatorRow!.dispatcher.name, '3', '1', '1', '66.7%']);
    expect(cells[5]).toContain('类别错误 1');
    await page.screenshot({ path: 'docs/screenshots/dispatch-accuracy.png' });
    expect(b.errors).toEqual([]);
  });
});
