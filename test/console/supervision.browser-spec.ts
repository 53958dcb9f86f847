import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, chiefIdOf, pointInWardenCell, withDb } from '../support/cases';
import { startAdminBrowser, type AdminBrowser } from './support/admin-browser';

/**
 * Leaders' supervision in the console (issue 18): a leader's case drawer has 督办 and 批示; the
 * chief's phone lists the supervised task first, marked with the leader's instruction; a leader
 * places a 批示件 on the map. Screenshots: docs/screenshots/supervise.png, supervise-chief.png,
 * instruction-case.png.
 */
describe('督办 and 批示 in the console', () => {
  let b: AdminBrowser;
  const ids = { plain: '', supervised: '' };

  beforeAll(async () => {
    b = await startAdminBrowser('supervise-browser', { REPORT_RATE_LIMIT: '100000' });
    const http = api(b.intake);
    const warden = await b.intake.bearer('warden1');
    const operator = await b.intake.bearer('operator');
    const chief3 = await withDb(b.intake.databaseUrl, (db) => chiefIdOf(db, 'chief3'));
    let n = 0;
    for (const key of ['plain', 'supervised'] as const) {
      const p = await withDb(b.intake.databaseUrl, (db) => pointInWardenCell(db, 'warden1', n++));
      const created = await http.post<{ id: string; status: string }>('/api/v1/cases', { categoryCode: 'E0102', description: `暴露垃圾 ${key}`, location: { lng: p.lng, lat: p.lat } }, warden);
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect((await http.act(created.body.id, 'dispatch', { assigneeId: chief3 }, operator)).status).toBe(200);
      ids[key] = created.body.id;
    }
  }, 180_000);

  afterAll(async () => {
    await b?.close();
  });

  const openDrawer = async (page: Page, id: string) => {
    await page.waitForSelector(`[data-testid=case-list] li[data-case-id="${id}"]`, { timeout: 20_000 });
    await page.click(`[data-testid=case-list] li[data-case-id="${id}"]`);
    await page.waitForSelector('[data-testid=case-drawer] [data-order=supervise]', { timeout: 10_000 });
  };

  it('a leader supervises a case from its drawer, then instructs on it', async () => {
    const page = await b.open('leader', '/command');
    await openDrawer(page, ids.supervised);
    // A leader gives orders; the operator's actions are not theirs.
    expect(await page.$('[data-testid=case-drawer] [data-action=dispatch]')).toBeNull();
    await page.click('[data-testid=case-drawer] [data-order=supervise]');
    await page.fill('form[data-form=supervise] textarea[name=instruction]', '请于今日18时前清运完毕，并回传照片');
    await page.fill('form[data-form=supervise] input[name=dueAt]', '2099-12-31T18:00');
    await page.click('form[data-form=supervise] button[type=submit]');
    await page.waitForSelector('[data-testid=case-drawer] [data-testid=supervision]', { timeout: 10_000 });
    expect(await page.textContent('[data-testid=case-drawer] [data-testid=supervision]')).toContain('请于今日18时前清运完毕');
    expect(await page.textContent('[data-testid=case-drawer] .timeline')).toContain('领导督办');
    await page.screenshot({ path: 'docs/screenshots/supervise.png' });

    await page.click('[data-testid=case-drawer] [data-order=instruct]');
    await page.fill('form[data-form=instruct] textarea[name=instruction]', '举一反三，排查全路段');
    await page.click('form[data-form=instruct] button[type=submit]');
    await page.waitForFunction(
      () => (globalThis as unknown as { document: { querySelector(s: string): { textContent: string | null } | null } }).document.querySelector('[data-testid=case-drawer] .timeline')?.textContent?.includes('领导批示'),
      undefined,
      { timeout: 10_000 },
    );
    const events = await withDb(b.intake.databaseUrl, (db) =>
      db.query(`SELECT type, reason, evidence FROM case_event WHERE case_id = $1 AND type IN ('case.supervised', 'case.instructed') ORDER BY seq`, [ids.supervised]).then((r) => r.rows),
    );
    expect(events).toEqual([
      { type: 'case.supervised', reason: '请于今日18时前清运完毕，并回传照片', evidence: { instruction: '请于今日18时前清运完毕，并回传照片', dueAt: '2099-12-31T10:00:00.000Z' } },
      { type: 'case.instructed', reason: '举一反三，排查全路段', evidence: { instruction: '举一反三，排查全路段' } },
    ]);
    expect(b.errors).toEqual([]);
  });

  it('the chief’s phone shows the supervised task first, marked with the instruction', async () => {
    const page = await b.open('chief3', '/chief', { context: { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true } });
    await page.waitForSelector('[data-testid=tasks] li[data-case-id]', { timeout: 20_000 });
    const order = await page.$$eval('[data-testid=tasks] li[data-case-id]', (lis) => lis.map((li) => [li.getAttribute('data-case-id'), li.getAttribute('data-supervised')]));
    expect(order).toEqual([
      [ids.supervised, 'true'],
      [ids.plain, 'false'],
    ]);
    expect(await page.textContent(`li[data-case-id="${ids.supervised}"] [data-testid=supervision]`)).toContain('请于今日18时前清运完毕');
    expect(await page.textContent(`li[data-case-id="${ids.supervised}"]`)).toContain('领导督办');
    await page.screenshot({ path: 'docs/screenshots/supervise-chief.png' });
    expect(b.errors).toEqual([]);
  });

  it('a leader places a 批示件 on the map: a registered case with source leader', async () => {
    const page = await b.open('leader', '/command');
    const p = await withDb(b.intake.databaseUrl, (db) => pointInWardenCell(db, 'warden2', 0));
    await page.waitForFunction(() => !!(globalThis as unknown as { __wanggeMap?: { getSource(id: string): unknown } }).__wanggeMap?.getSource('cases'), undefined, { timeout: 20_000 });
    // After the roads are loaded (the map fits them once), centre the map on a cell of the district.
    await page.waitForLoadState('networkidle');
    await page.evaluate((at) => (globalThis as unknown as { __wanggeMap: { jumpTo(o: unknown): void } }).__wanggeMap.jumpTo({ center: [at.lng, at.lat], zoom: 17 }), p);
    await page.click('[data-testid=new-instruction]');
    const box = (await page.$('[data-testid=map] canvas'))!.boundingBox();
    const { x, y, width, height } = (await box)!;
    await page.mouse.click(x + width / 2, y + height / 2);
    await page.waitForSelector('form[data-form=instruction-case]', { timeout: 10_000 });
    await page.selectOption('form[data-form=instruction-case] select[name=categoryCode]', 'E0102');
    await page.fill('form[data-form=instruction-case] textarea[name=text]', '路口积水严重，请立即组织排水');
    await page.screenshot({ path: 'docs/screenshots/instruction-case.png' });
    await page.click('form[data-form=instruction-case] button[type=submit]');
    await page.waitForSelector('[data-testid=case-drawer] .badge.supervised', { timeout: 10_000 });
    const rows = await withDb(b.intake.databaseUrl, (db) =>
      db.query(`SELECT source, status, description, grid_cell_code FROM case_file WHERE description = '路口积水严重，请立即组织排水'`).then((r) => r.rows),
    );
    expect(rows).toEqual([{ source: 'leader', status: 'registered', description: '路口积水严重，请立即组织排水', grid_cell_code: p.cellCode }]);
    expect(b.errors).toEqual([]);
  });
});
