import { localDate } from '@wangge/clock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDb, addStreetAdmin } from '../support/cases';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { SHOTS, startAdminBrowser, type AdminBrowser } from './support/admin-browser';

/** A screenshot of what the window shows (the catalogue and the chiefs are pages long), `locator` scrolled into view. */
async function viewShot(page: Page, name: string, locator: ReturnType<Page['locator']>): Promise<void> {
  await locator.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

/** Pages load their lists over a busy test machine: wait longer than expect.poll's default second. */
const WAIT = { timeout: 20_000 };

describe('the admin console: reference data tabs (Chromium)', () => {
  let b: AdminBrowser;
  const query = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => withDb(b.intake.databaseUrl, async (db) => (await db.query(sql, params)).rows as T[]);

  beforeAll(async () => {
    b = await startAdminBrowser('admin-refdata');
    await withDb(b.intake.databaseUrl, async (db) => {
      await addStreetAdmin(db);
    });
  }, 180_000);

  afterAll(async () => {
    await b?.close();
  });

  it('adds a version of a standard: the new version is in force, the old one kept', async () => {
    const page = await b.open('admin', '/admin/catalogue');
    const row = page.locator('tr[data-code=E0102]');
    await expect.poll(() => row.count(), WAIT).toBe(1);
    expect(await row.textContent()).toContain('v1');
    await row.locator('[data-testid=category-new-version]').click();
    const form = page.locator('[data-testid=standard-form]');
    await form.locator('input[name=value]').first().fill('3');
    await form.locator('select[name=clockType]').first().selectOption('urgent_hours');
    await viewShot(page, 'admin-catalogue-new-version', form);
    await form.locator('button[type=submit]').click();
    await expect.poll(() => row.textContent(), WAIT).toContain('v2');
    await expect.poll(() => page.locator('[data-testid=category-detail] .card').count(), WAIT).toBe(2);
    const versions = await query<{ version: number; time_limit_value: string; clock_type: string }>(
      `SELECT version, time_limit_value, clock_type FROM category_standard WHERE category_code = 'E0102' AND condition_no = 1 ORDER BY version`,
    );
    expect(versions.map((v) => [v.version, Number(v.time_limit_value), v.clock_type])).toEqual([
      [1, expect.any(Number), expect.any(String)],
      [2, 3, 'urgent_hours'],
    ]);
    await viewShot(page, 'admin-catalogue', row);
  });

  it('saves a calendar year, the form pointing out a date listed twice before sending', async () => {
    const page = await b.open('admin', '/admin/calendar');
    await page.selectOption('select[name=year]', '2027');
    const rows = page.locator('[data-testid=calendar-table] tbody tr');
    await expect.poll(() => rows.first().locator('input[name=date]').inputValue().catch(() => ''), WAIT).toMatch(/^2027-/);
    const before = await rows.count();
    await page.click('[data-testid=calendar-add]');
    const last = rows.last();
    // The new row starts on 1 January, which the year already lists: the form says so and holds the save.
    await expect.poll(() => page.locator('form ul.error').textContent(), WAIT).toMatch(/日期重复/);
    expect(await page.locator('[data-testid=calendar-save]').isDisabled()).toBe(true);
    await last.locator('input[name=date]').fill('2027-03-02');
    await last.locator('input[name=name]').fill('测试假日');
    await last.locator('input[name=nameEn]').fill('Test holiday');
    await page.click('[data-testid=calendar-save]');
    await expect.poll(() => page.locator('[role=status]').textContent(), WAIT).toBe('已保存');
    expect(await rows.count()).toBe(before + 1);
    expect(await query(`SELECT kind, name, name_en FROM holiday WHERE date = '2027-03-02'`)).toEqual([{ kind: 'holiday', name: '测试假日', name_en: 'Test holiday' }]);
    await b.shot(page, 'admin-calendar');
  });

  it('adds a formula version only when the weights add up to 100', async () => {
    const page = await b.open('admin', '/admin/formulas');
    const form = page.locator('[data-testid=formula-form]');
    await expect.poll(() => page.locator('[data-testid=formulas-table] tbody tr').count(), WAIT).toBe(1);
    await form.locator('input[name=extensionRate]').fill('11');
    await form.locator('input[name=effectiveFrom]').fill(localDate(new Date(), 480));
    await expect.poll(() => page.locator('[data-testid=formula-total]').textContent(), WAIT).toContain('101');
    expect(await form.locator('button[type=submit]').isDisabled()).toBe(true);
    expect(await page.locator('[data-testid=formula-rule]').textContent()).toContain('合计必须等于 100');
    await b.shot(page, 'admin-formulas-sum');
    await form.locator('input[name=extensionRate]').fill('5');
    await form.locator('input[name=onTimeHandlingRate]').fill('35');
    await form.locator('input[name=note]').fill('加重按期处置');
    await form.locator('button[type=submit]').click();
    await expect.poll(() => page.locator('[data-testid=formulas-table] tbody tr').count(), WAIT).toBe(2);
    const [formula] = await query<{ weights: Record<string, number> }>(`SELECT weights FROM evaluation_formula WHERE version = 2`);
    expect(formula.weights).toEqual({ onTimeHandlingRate: 35, closingRate: 20, reworkRate: 20, overdueRate: 20, extensionRate: 5 });
    await b.shot(page, 'admin-formulas');
  });

  it('creates an API key, shown once with a copy button, and revokes it', async () => {
    const page = await b.open('admin', '/admin/api-keys', { context: { permissions: ['clipboard-read', 'clipboard-write'] } });
    await page.fill('input[name=name]', 'wechat-miniprogram');
    await page.click('[data-testid=api-keys] form button[type=submit]');
    const shown = page.locator('[data-testid=api-key-new] code');
    await expect.poll(() => shown.textContent(), WAIT).toMatch(/^wg_/);
    const key = (await shown.textContent())!;
    await page.click('[data-testid=api-key-copy]');
    await expect.poll(() => page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText()), WAIT).toBe(key);
    const row = page.locator('tr[data-key=wechat-miniprogram]');
    expect(await row.textContent()).toContain('有效');
    expect(await page.locator('[data-testid=api-keys-table]').textContent()).not.toContain(key);
    await b.shot(page, 'admin-api-keys');

    page.once('dialog', (d) => void d.accept());
    await row.locator('[data-testid=api-key-revoke]').click();
    await expect.poll(() => row.textContent(), WAIT).toContain('已吊销');
    expect(await page.locator('[data-testid=api-key-new]').count()).toBe(0);
    expect((await query(`SELECT revoked_at IS NOT NULL AS revoked FROM api_key WHERE name = 'wechat-miniprogram'`))[0]).toEqual({ revoked: true });
  });

  it("toggles a chief's availability with a reason and names a deputy", async () => {
    const page = await b.open('admin', '/admin/chiefs');
    const row = page.locator('tr[data-chief=chief3]');
    await expect.poll(() => row.count(), WAIT).toBe(1);
    await row.locator('input[name=reason]').fill('病假');
    await row.locator('[data-testid=chief-leave]').click();
    await expect.poll(() => row.locator('[data-testid=chief-state]').textContent(), WAIT).toBe('请假：病假');
    await row.locator('[data-testid=chief-deputy-change]').click();
    const options = await row.locator('select[name=deputy] option').evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value).filter(Boolean));
    await row.locator('select[name=deputy]').selectOption(options[0]);
    await expect.poll(async () => (await query<{ deputy_id: number | null }>(`SELECT c.deputy_id FROM road_chief c JOIN app_user u ON u.id = c.user_id WHERE u.username = 'chief3'`))[0].deputy_id, WAIT).toBe(Number(options[0]));
    expect((await query(`SELECT c.available, c.unavailable_reason FROM road_chief c JOIN app_user u ON u.id = c.user_id WHERE u.username = 'chief3'`))[0]).toEqual({ available: false, unavailable_reason: '病假' });
    await expect.poll(() => row.locator('[data-testid=chief-deputy]').textContent(), WAIT).toMatch(/^L\d /);
    await viewShot(page, 'admin-chiefs', row);

    await row.locator('[data-testid=chief-back]').click();
    await expect.poll(() => row.locator('[data-testid=chief-state]').textContent(), WAIT).toBe('在岗');
  });

  it('keeps every change in the audit trail, and shows a street admin no reference-data tab', async () => {
    const actions = (await query<{ action: string }>(`SELECT action FROM audit_entry ORDER BY id`)).map((r) => r.action);
    expect(actions).toEqual(['standard.create', 'calendar.replace', 'formula.create', 'api_key.create', 'api_key.revoke', 'chief.update', 'chief.update', 'chief.update']);
    const audit = await b.open('admin', '/admin/audit');
    await expect.poll(() => audit.locator('[data-testid=audit-table] tbody tr').count(), WAIT).toBe(actions.length);

    const page = await b.open('street_admin', '/admin', { password: 'street-admin-pass-1' });
    await expect.poll(() => page.locator('.admin-tabs a').count(), WAIT).toBe(6);
    expect(await page.locator('.admin-tabs a').allTextContents()).toEqual(['审计记录', '人员', '派遣准确率', '环节按时率', '路长值班', '巡查与值守']);
    expect(b.errors).toEqual([]);
  });
});
