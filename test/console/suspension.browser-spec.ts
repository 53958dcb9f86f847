import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, chiefIdOf, pointInWardenCell, withDb } from '../support/cases';
import { startAdminBrowser, type AdminBrowser } from './support/admin-browser';

const pad = (n: number) => String(n).padStart(2, '0');
/** A datetime-local value of the browser's own zone, `days` ahead at 09:00. */
function daysAhead(days: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T09:00`;
}

/**
 * 挂账 in the console (issue 22, item 1): the operator asks from the case drawer (reason, until),
 * the leader approves from theirs; the drawer and the list show the case suspended with the time its
 * clock kept, the list filters it apart, and the leader resumes it.
 */
describe('挂账 in the console: the operator asks, the leader approves and resumes', () => {
  let b: AdminBrowser;
  let caseId = '';

  beforeAll(async () => {
    b = await startAdminBrowser('suspend-browser', { REPORT_RATE_LIMIT: '100000' });
    const http = api(b.intake);
    const warden = await b.intake.bearer('warden1');
    const operator = await b.intake.bearer('operator');
    const chief3 = await withDb(b.intake.databaseUrl, (db) => chiefIdOf(db, 'chief3'));
    const p = await withDb(b.intake.databaseUrl, (db) => pointInWardenCell(db, 'warden1', 2));
    const created = await http.post<{ id: string; status: string }>('/api/v1/cases', { categoryCode: 'C0101', conditionNo: 3, description: '井盖缺失，待道路改造 manhole cover, awaiting road works', location: { lng: p.lng, lat: p.lat } }, warden);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    if (created.body.status === 'reported') expect((await http.act(created.body.id, 'register', { conditionNo: 3 }, operator)).status).toBe(200);
    caseId = created.body.id;
    expect((await http.act(caseId, 'dispatch', { assigneeId: chief3 }, operator)).status).toBe(200);
  }, 180_000);

  afterAll(async () => {
    await b?.close();
  });

  it('the operator asks to suspend the case with a reason and a date', async () => {
    const page = await b.open('operator', '/command');
    await page.waitForSelector(`[data-testid=case-list] li[data-case-id="${caseId}"]`, { timeout: 20_000 });
    await page.click(`[data-testid=case-list] li[data-case-id="${caseId}"]`);
    await page.waitForSelector('[data-testid=case-drawer][data-status=dispatched]', { timeout: 20_000 });
    await page.click('[data-testid=suspension] [data-action=suspend]');
    await page.fill('form[data-form=suspend] textarea[name=reason]', '道路改造未完成，待预算 road works pending budget');
    await page.fill('form[data-form=suspend] input[name=until]', daysAhead(30));
    await page.click('form[data-form=suspend] button[type=submit]');
    const request = await page.waitForSelector('[data-testid=suspend-request]', { timeout: 20_000 });
    expect(await request.textContent()).toContain('挂账待审批');
    // The operator cannot approve it: no approval buttons in their drawer.
    expect(await page.$('[data-action=approve-suspend]')).toBeNull();
    expect(b.errors).toEqual([]);
  });

  it('the leader approves: the case is suspended, shown apart, and resumed by the leader', async () => {
    const page = await b.open('leader', '/command');
    await page.waitForSelector(`[data-testid=case-list] li[data-case-id="${caseId}"]`, { timeout: 20_000 });
    await page.click(`[data-testid=case-list] li[data-case-id="${caseId}"]`);
    await page.click('[data-testid=suspension] [data-action=approve-suspend]', { timeout: 20_000 });
    const suspended = await page.waitForSelector('[data-testid=suspended]', { timeout: 20_000 });
    expect(await suspended.textContent()).toMatch(/挂账中 · 挂账至 .* · 剩余时限 \d+(\.\d)? h/);
    await page.waitForSelector('[data-testid=case-drawer] .timeline li:has-text("挂账")', { timeout: 20_000 });
    // The list: only the suspended case with the suspended-only filter.
    await page.reload();
    await page.waitForSelector(`[data-testid=case-list] li[data-case-id="${caseId}"] .badge.suspended`, { timeout: 20_000 });
    await page.check('[data-testid=filter-suspended]');
    const listed = await page.$$eval('[data-testid=case-list] li[data-case-id]', (lis) => lis.map((li) => li.getAttribute('data-case-id')));
    expect(listed).toEqual([caseId]);
    await page.click(`[data-testid=case-list] li[data-case-id="${caseId}"]`);
    await page.waitForSelector('[data-testid=suspended]', { timeout: 20_000 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: 'docs/screenshots/suspend.png' });
    await page.click('[data-testid=suspension] [data-action=resume]');
    await page.waitForSelector('[data-testid=suspended]', { state: 'detached', timeout: 20_000 });
    const events = await withDb(b.intake.databaseUrl, (db) =>
      db.query(`SELECT type FROM case_event WHERE case_id = $1 AND type LIKE 'case.suspen%' OR (case_id = $1 AND type = 'case.resumed') ORDER BY seq`, [caseId]).then((r) => r.rows.map((x) => x.type)),
    );
    expect(events).toEqual(['case.suspend_requested', 'case.suspended', 'case.resumed']);
    expect(b.errors).toEqual([]);
  });
});
