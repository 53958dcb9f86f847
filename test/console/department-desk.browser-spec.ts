import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDispatcher } from '../support/apps';
import { api, pointInWardenCell, withDb } from '../support/cases';
import { craftCase, departmentLoop } from '../bulletins/crafted-cases';
import { startAdminBrowser, type AdminBrowser } from './support/admin-browser';

const GREEN_SPACE = 'C0405';
const LIVE = 30_000;

/**
 * Issue 18's leftovers in the console: an operator hands a road chief's case to a department from the
 * case drawer (派遣至 部门), and the department's leader (部门负责人) decides their members' request
 * for more time and appeal on 待我审批, which a member who does not lead cannot open. Screenshots:
 * docs/screenshots/dispatch-to-department.png, department-approvals.png.
 */
describe('a department by hand, and its leader’s 待我审批', () => {
  let b: AdminBrowser;
  let dispatcher: Awaited<ReturnType<typeof startDispatcher>>;
  let caseId = '';
  let lateId = '';

  /** A department member made through the admin API, with the demo password (the one-time password's change is the people page's test). */
  async function member(username: string, name: string): Promise<string> {
    const made = await api(b.intake).post<{ id: string }>('/api/v1/admin/users', { username, name, role: 'department', departmentCode: 'PARKS' }, await b.intake.bearer('admin'));
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    await withDb(b.intake.databaseUrl, (db) =>
      db.query(`UPDATE app_user SET password_hash = (SELECT password_hash FROM app_user WHERE username = 'warden1'), password_change_required = false WHERE id = $1`, [made.body.id]),
    );
    return made.body.id;
  }

  beforeAll(async () => {
    b = await startAdminBrowser('department-desk', { REPORT_RATE_LIMIT: '100000', OUTBOX_POLL_MS: '50' }, { feed: true });
    dispatcher = await startDispatcher(b.intake.databaseUrl, b.env);
    const http = api(b.intake);
    // A green-space case goes to its road chief: no department handles the category when it comes.
    const p = await withDb(b.intake.databaseUrl, (db) => pointInWardenCell(db, 'warden1', 0));
    const created = await http.post<{ id: string }>('/api/v1/cases', { categoryCode: GREEN_SPACE, description: '绿化带被占用堆放建材', location: { lng: p.lng, lat: p.lat } }, await b.intake.bearer('warden1'));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    caseId = created.body.id;
    const end = Date.now() + 60_000;
    while ((await withDb(b.intake.databaseUrl, (db) => db.query(`SELECT status FROM case_file WHERE id = $1`, [caseId]).then((r) => r.rows[0]?.status))) !== 'dispatched') {
      if (Date.now() > end) throw new Error('the case was not routed');
      await new Promise((r) => setTimeout(r, 100));
    }
    // Then the parks department, its leader and a member.
    const admin = await b.intake.bearer('admin');
    expect((await http.post('/api/v1/admin/departments', { code: 'PARKS', name: '园林局', categoryCodes: [GREEN_SPACE] }, admin)).status).toBe(201);
    const lead = await member('parks1', '园林局 王科长');
    await member('parks2', '园林局 赵师傅');
    expect((await http.call('PATCH', '/api/v1/admin/departments/PARKS', { auth: admin, body: { leaderId: lead } })).status).toBe(200);
  }, 240_000);

  afterAll(async () => {
    await dispatcher?.close();
    await b?.close();
  });

  it('an operator dispatches the chief’s case to the parks department from the drawer; the chief coordinates', async () => {
    const chiefBefore = await withDb(b.intake.databaseUrl, (db) => db.query(`SELECT assignee_chief_id FROM case_file WHERE id = $1`, [caseId]).then((r) => r.rows[0].assignee_chief_id as number));
    const page = await b.open('operator', '/command');
    await page.click(`[data-testid=case-list] li[data-case-id="${caseId}"]`, { timeout: LIVE });
    await page.waitForSelector('[data-testid=case-drawer][data-status=dispatched]', { timeout: LIVE });
    await page.click('[data-testid=case-drawer] [data-action=dispatch]');
    const form = '[data-testid=case-drawer] form[data-form=dispatch]';
    await page.waitForSelector(`${form} input[name=to][value=department]:not([disabled])`, { timeout: LIVE });
    await page.check(`${form} input[name=to][value=department]`);
    await page.waitForSelector(`${form} select[name=departmentCode] option[value=PARKS]`, { state: 'attached', timeout: LIVE });
    await page.selectOption(`${form} select[name=departmentCode]`, 'PARKS');
    await page.fill(`${form} textarea`, '绿地管护属园林局职责');
    expect(await page.textContent(form)).toContain('协调路长');
    await page.screenshot({ path: 'docs/screenshots/dispatch-to-department.png' });
    await page.click(`${form} button[type=submit]`);
    await page.waitForFunction(
      () => (globalThis as unknown as { document: { querySelector(s: string): { textContent: string | null } | null } }).document.querySelector('[data-testid=case-department]')?.textContent?.includes('园林局'),
      undefined,
      { timeout: LIVE },
    );
    expect(await page.textContent('[data-testid=case-coordinator]')).not.toBe('—');
    const row = await withDb(b.intake.databaseUrl, (db) => db.query(`SELECT status, assignee_department_code, coordinator_chief_id FROM case_file WHERE id = $1`, [caseId]).then((r) => r.rows[0]));
    expect(row).toEqual({ status: 'dispatched', assignee_department_code: 'PARKS', coordinator_chief_id: chiefBefore });
    expect(b.errors).toEqual([]);
  }, 180_000);

  it('the department’s leader decides a member’s request for more time and appeal on 待我审批; a member who does not lead cannot open it', async () => {
    const http = api(b.intake);
    const memberToken = await b.intake.bearer('parks2', 'demo1234');
    expect((await http.act(caseId, 'accept', {}, memberToken)).status).toBe(200);
    expect((await http.act(caseId, 'extend', { hours: 24, reason: '苗木未到货' }, memberToken)).status).toBe(200);
    // An overdue case of the department, appealed by the member.
    const p = await withDb(b.intake.databaseUrl, (db) => pointInWardenCell(db, 'warden1', 1));
    const t0 = new Date(Date.now() - 86_400_000);
    const l = departmentLoop(t0, { code: 'PARKS', name: '园林局' }, null);
    lateId = (
      await withDb(b.intake.databaseUrl, (db) =>
        craftCase(db, { ...p, category: GREEN_SPACE, status: l.status, createdAt: t0, assigneeDepartmentCode: 'PARKS', deadlineAt: l.deadlineAt, overdue: true, events: l.events }),
      )
    ).id;
    expect((await http.post('/api/v1/appeals', { caseId: lateId, reason: '连续暴雨无法施工' }, memberToken)).status).toBe(201);

    // The member: no 待我审批 in the top bar, and the page refuses them.
    const memberPage = await b.open('parks2', '/chief');
    await memberPage.waitForSelector('[data-testid=tasks]', { timeout: LIVE });
    expect(await memberPage.$('[data-testid=nav-approvals]')).toBeNull();
    await memberPage.goto('/approvals');
    await memberPage.waitForSelector('main [role=alert]', { timeout: LIVE });
    expect(await memberPage.$('[data-testid=approvals-page]')).toBeNull();

    // The leader: lands on their tasks, opens 待我审批 from the top bar; both wait there.
    const lead = await b.open('parks1', '/');
    await lead.waitForURL((url) => url.pathname === '/chief', { timeout: LIVE });
    await lead.click('[data-testid=nav-approvals]', { timeout: LIVE });
    const request = lead.locator(`[data-testid=extension-requests] li[data-case-id="${caseId}"]`);
    await request.waitFor({ timeout: LIVE });
    expect(await request.textContent()).toContain('部门 园林局');
    const appeal = lead.locator(`[data-testid=pending-appeals] [data-case-id="${lateId}"]`).first();
    await appeal.waitFor({ timeout: LIVE });
    expect(await appeal.textContent()).toContain('连续暴雨无法施工');
    await lead.screenshot({ path: 'docs/screenshots/department-approvals.png', fullPage: true });

    // In English too.
    await lead.click('[data-testid=lang]');
    expect(await lead.textContent('[data-testid=approvals-page] h2')).toBe('Awaiting me');
    expect(await request.textContent()).toContain('Department 园林局');
    await lead.click('[data-testid=lang]');

    // Granted: the hours asked; the appeal approved.
    await request.locator('[data-decide=approve]').click();
    await request.waitFor({ state: 'detached', timeout: LIVE });
    const granted = await withDb(b.intake.databaseUrl, (db) => db.query(`SELECT extension_count, extension_requested_hours FROM case_file WHERE id = $1`, [caseId]).then((r) => r.rows[0]));
    expect(granted).toEqual({ extension_count: 1, extension_requested_hours: null });
    await appeal.locator('[data-decide=approve]').click();
    await lead.locator(`[data-testid=pending-appeals] [data-case-id="${lateId}"]`).first().waitFor({ state: 'detached', timeout: LIVE });
    const decided = await withDb(b.intake.databaseUrl, (db) => db.query(`SELECT a.status, u.username FROM appeal a JOIN app_user u ON u.id = a.decided_by WHERE a.case_id = $1`, [lateId]).then((r) => r.rows));
    expect(decided).toEqual([{ status: 'approved', username: 'parks1' }]);
    await lead.waitForSelector('[data-testid=nothing-waiting]', { timeout: LIVE });
    expect(b.errors).toEqual([]);
  }, 180_000);
});
