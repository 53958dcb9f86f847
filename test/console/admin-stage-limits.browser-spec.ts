import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDb } from '../support/cases';
import { startAdminBrowser, type AdminBrowser } from './support/admin-browser';

const WAIT = { timeout: 20_000 };

/** Issue 22 item 2: a district's admin sees and changes the stage limits in the console (环节时限 tab). */
describe('the admin console: stage limits tab (Chromium)', () => {
  let b: AdminBrowser;
  const query = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => withDb(b.intake.databaseUrl, async (db) => (await db.query(sql, params)).rows as T[]);

  beforeAll(async () => {
    b = await startAdminBrowser('admin-stage-limits', { REGISTER_LIMIT_MIN: '10', DISPATCH_LIMIT_MIN: '15', CHECK_LIMIT_MIN: '30' });
  }, 180_000);

  afterAll(async () => {
    await b?.close();
  });

  it('shows the defaults, holds a bad value before sending, saves the district\'s limits and keeps their history', async () => {
    const page = await b.open('admin', '/admin/stage-limits');
    const row = (stage: string) => page.locator(`[data-testid=stage-limits-form] tr[data-stage=${stage}]`);
    await expect.poll(() => row('register').getAttribute('data-source'), WAIT).toBe('default');
    expect(await row('register').locator('input').inputValue()).toBe('10');
    expect(await row('check').locator('input').inputValue()).toBe('30');
    expect(await page.locator('[data-testid=stage-limits]').textContent()).toContain('尚未设置');

    // A limit of 0 minutes: the form says so and holds the save.
    await row('register').locator('input').fill('0');
    await expect.poll(() => page.locator('[data-testid=stage-limits-rule]').textContent(), WAIT).toContain('整数分钟');
    expect(await page.locator('[data-testid=stage-limits-form] button[type=submit]').isDisabled()).toBe(true);

    await row('register').locator('input').fill('5');
    await row('check').locator('input').fill('45');
    await page.click('[data-testid=stage-limits-form] button[type=submit]');
    await expect.poll(() => page.locator('[data-testid=stage-limits] [role=status]').textContent(), WAIT).toContain('已保存');
    await expect.poll(() => row('register').getAttribute('data-source'), WAIT).toBe('district');
    expect(await row('register').textContent()).toContain('本区设置');
    expect(await page.locator('[data-testid=stage-limits-history] tbody tr').count()).toBe(3);
    expect(await query(`SELECT stage, minutes FROM stage_limit ORDER BY stage`)).toEqual([
      { stage: 'check', minutes: 45 },
      { stage: 'dispatch', minutes: 15 },
      { stage: 'register', minutes: 5 },
    ]);
    expect(await query(`SELECT action FROM audit_entry WHERE entity = 'stage_limit'`)).toEqual([{ action: 'stage_limit.update' }]);
    await b.shot(page, 'admin-stage-limits');

    // In English.
    await page.click('[data-testid=lang]');
    await expect.poll(() => page.locator('[data-testid=stage-limits] h2').textContent(), WAIT).toBe('Stage limits');
    expect(await row('register').textContent()).toContain('Set by the district');
  });
});
