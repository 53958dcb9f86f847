import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDispatcher } from '../support/apps';
import { api, pointInWardenCell, withDb } from '../support/cases';
import { craftCase, departmentLoop } from '../bulletins/crafted-cases';
import { startAdminBrowser, type AdminBrowser } from './support/admin-browser';

const GAS_LEAK = 'E0403';

/**
 * A department's member on their phone (issue 18 item 2): signed in, they land on the task page,
 * where the gas leak the dispatcher sent to their department waits; they accept and resolve it
 * there; a case of theirs marked overdue they appeal there, as a road chief does. The admin's 部门 tab adds the department and names
 * its leader. Screenshots: docs/screenshots/admin-departments.png, department-phone.png.
 */
describe("a department member's phone", () => {
  let b: AdminBrowser;
  let dispatcher: Awaited<ReturnType<typeof startDispatcher>>;
  let caseId = '';

  beforeAll(async () => {
    b = await startAdminBrowser('department-phone', { REPORT_RATE_LIMIT: '100000', OUTBOX_POLL_MS: '50' }, { feed: true });
    dispatcher = await startDispatcher(b.intake.databaseUrl, b.env);
  }, 240_000);

  afterAll(async () => {
    await dispatcher?.close();
    await b?.close();
  });

  it('an admin adds the gas company in the 部门 tab, then names its leader', async () => {
    const http = api(b.intake);
    const page = await b.open('admin', '/admin/departments');
    await page.waitForSelector('[data-testid=departments] form[data-form=department-new]', { timeout: 20_000 });
    await page.waitForSelector(`select[name=categoryCodes] option[value=${GAS_LEAK}]`, { state: 'attached', timeout: 20_000 });
    await page.fill('form[data-form=department-new] input[name=code]', 'GAS');
    await page.fill('form[data-form=department-new] input[name=name]', '燃气公司');
    await page.selectOption('form[data-form=department-new] select[name=categoryCodes]', [GAS_LEAK]);
    await page.click('form[data-form=department-new] button[type=submit]');
    await page.waitForSelector('[data-testid=departments-table] tr[data-code=GAS]', { timeout: 20_000 });
    expect(await page.textContent('[data-testid=departments-table] tr[data-code=GAS]')).toContain('全区');

    // Its member, made in the people tab's API; the tab names them leader.
    const made = await http.post<{ id: string }>('/api/v1/admin/users', { username: 'gas1', name: '燃气抢修 李工', role: 'department', departmentCode: 'GAS' }, await b.intake.bearer('admin'));
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    // Signed in with the demo's password in this test (the one-time password's change is the people page's own test).
    await withDb(b.intake.databaseUrl, (db) =>
      db.query(`UPDATE app_user SET password_hash = (SELECT password_hash FROM app_user WHERE username = 'warden1'), password_change_required = false WHERE id = $1`, [made.body.id]),
    );
    await page.reload();
    await page.waitForSelector('[data-testid=departments-table] tr[data-code=GAS] [data-action=edit]', { timeout: 20_000 });
    await page.click('[data-testid=departments-table] tr[data-code=GAS] [data-action=edit]');
    await page.waitForSelector(`form[data-form=department-edit] select[name=leaderId] option[value="${made.body.id}"]`, { state: 'attached', timeout: 20_000 });
    await page.selectOption('form[data-form=department-edit] select[name=leaderId]', made.body.id);
    await page.click('form[data-form=department-edit] button[type=submit]');
    await page.waitForFunction(
      () => (globalThis as unknown as { document: { querySelector(s: string): { textContent: string | null } | null } }).document.querySelector('[data-testid=departments-table] tr[data-code=GAS]')?.textContent?.includes('燃气抢修 李工'),
      undefined,
      { timeout: 20_000 },
    );
    expect(await page.textContent('[data-testid=departments-table] tr[data-code=GAS] [data-testid=members]')).toBe('1');
    await page.screenshot({ path: 'docs/screenshots/admin-departments.png' });
    const audit = await withDb(b.intake.databaseUrl, (db) => db.query(`SELECT action FROM audit_entry WHERE entity = 'department' ORDER BY at`).then((r) => r.rows.map((x) => x.action)));
    expect(audit).toEqual(['department.create', 'department.update']);
    expect(b.errors).toEqual([]);
  });

  it('a member lands on the task page, accepts and resolves the gas leak, with no appeal offered', async () => {
    const http = api(b.intake);
    const p = await withDb(b.intake.databaseUrl, (db) => pointInWardenCell(db, 'warden1', 0));
    const created = await http.post<{ id: string }>('/api/v1/cases', { categoryCode: GAS_LEAK, description: '路边闻到燃气味，疑似管道泄漏', location: { lng: p.lng, lat: p.lat } }, await b.intake.bearer('warden1'));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    caseId = created.body.id;
    const end = Date.now() + 60_000;
    for (;;) {
      const row = await withDb(b.intake.databaseUrl, (db) => db.query(`SELECT status, assignee_department_code FROM case_file WHERE id = $1`, [caseId]).then((r) => r.rows[0]));
      if (row?.status === 'dispatched') {
        expect(row.assignee_department_code).toBe('GAS');
        break;
      }
      if (Date.now() > end) throw new Error(`the gas leak was not dispatched: ${JSON.stringify(row)}`);
      await new Promise((r) => setTimeout(r, 100));
    }

    const page = await b.open('gas1', '/', { context: { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true } });
    await page.waitForURL((url) => url.pathname === '/chief', { timeout: 20_000 });
    const card = `[data-testid=tasks] li[data-case-id="${caseId}"]`;
    await page.waitForSelector(`${card}[data-status=dispatched]`, { timeout: 20_000 });
    expect(await page.textContent(card)).toContain('路边闻到燃气味');
    expect(await page.$(`${card} [data-action=appeal]`)).toBeNull();
    await page.click(`${card} [data-action=accept]`);
    await page.waitForSelector(`${card}[data-status=in_progress]`, { timeout: 20_000 });
    await page.waitForSelector('[data-testid=feed-status][data-status=live]', { timeout: 20_000 });
    await page.screenshot({ path: 'docs/screenshots/department-phone.png' });

    await page.click(`${card} [data-action=resolve]`);
    await page.fill(`${card} form[data-form=resolve] textarea`, '已关阀，更换泄漏管段');
    await page.click(`${card} form[data-form=resolve] button[type=submit]`);
    await page.waitForFunction(
      (id) => !(globalThis as unknown as { document: { querySelector(s: string): unknown } }).document.querySelector(`[data-testid=tasks] li[data-case-id="${id}"][data-status=in_progress]`),
      caseId,
      { timeout: 20_000 },
    );
    const row = await withDb(b.intake.databaseUrl, (db) =>
      db.query(`SELECT c.status, e.actor_name FROM case_file c JOIN case_event e ON e.case_id = c.id AND e.type = 'case.resolved' WHERE c.id = $1`, [caseId]).then((r) => r.rows[0]),
    );
    expect(row).toEqual({ status: 'resolved', actor_name: '燃气抢修 李工' });
    expect(b.errors).toEqual([]);
  });

  it('a member appeals the overdue mark of a case of the department from the phone', async () => {
    const p = await withDb(b.intake.databaseUrl, (db) => pointInWardenCell(db, 'warden1', 1));
    const t0 = new Date(Date.now() - 86_400_000);
    const l = departmentLoop(t0, { code: 'GAS', name: '燃气公司' }, null);
    const late = await withDb(b.intake.databaseUrl, (db) =>
      craftCase(db, { ...p, category: GAS_LEAK, status: l.status, createdAt: t0, assigneeDepartmentCode: 'GAS', deadlineAt: l.deadlineAt, overdue: true, events: l.events }),
    );
    const page = await b.open('gas1', '/chief', { context: { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true } });
    const card = `[data-testid=tasks] li[data-case-id="${late.id}"]`;
    await page.waitForSelector(`${card} [data-action=appeal]`, { timeout: 20_000 });
    await page.click(`${card} [data-action=appeal]`);
    await page.fill(`${card} form[data-form=appeal] textarea[name=reason]`, '管网停气检修，无法按期处置');
    await page.click(`${card} form[data-form=appeal] button[type=submit]`);
    await page.waitForSelector(`${card} [data-testid=appeal-status][data-status=pending]`, { timeout: 20_000 });
    expect(await page.$(`${card} [data-action=appeal]`)).toBeNull();
    const appeal = await withDb(b.intake.databaseUrl, (db) => db.query(`SELECT department_code, chief_id, status FROM appeal WHERE case_id = $1`, [late.id]).then((r) => r.rows));
    expect(appeal).toEqual([{ department_code: 'GAS', chief_id: null, status: 'pending' }]);
    expect(b.errors).toEqual([]);
  });
});
