import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDb, addStreetAdmin } from '../support/cases';
import { startAdminBrowser, type AdminBrowser } from './support/admin-browser';

describe('the admin console: the audit trail page (Chromium)', () => {
  let b: AdminBrowser;

  beforeAll(async () => {
    b = await startAdminBrowser('admin-audit');
    await withDb(b.intake.databaseUrl, async (db) => {
      const street = await addStreetAdmin(db);
      const add = (action: string, entityId: string, streetCode: string | null, before: object | null, after: object) =>
        db.query(
          `INSERT INTO audit_entry (actor_id, actor_username, action, entity, entity_id, street_code, before, after)
           SELECT id, username, $1, split_part($1, '.', 1), $2, $3, $4, $5 FROM app_user WHERE username = 'admin'`,
          [action, entityId, streetCode, before && JSON.stringify(before), JSON.stringify(after)],
        );
      await add('user.create', 'warden15', street, null, { username: 'warden15', name: '王五', role: 'warden' });
      await add('user.update', 'warden15', street, { active: true }, { active: false });
      await add('category.create', 'E0199', null, null, { code: 'E0199', name: '其他事件' });
    });
  }, 180_000);

  afterAll(async () => {
    await b?.close();
  });

  it('lists every admin change with what changed, filters by entity, and exports CSV', async () => {
    const page = await b.open('admin', '/admin');
    await page.waitForURL('**/admin/audit');
    const table = page.locator('[data-testid=audit-table]');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(3);
    expect(await table.locator('tbody tr').first().textContent()).toContain('category.create');
    expect(await table.textContent()).toContain('active: true → false');
    await b.shot(page, 'admin-audit');

    await page.selectOption('select[name=entity]', 'user');
    await page.click('form.filters button[type=submit]');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(2);

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=audit-export]')]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv).toContain('user.update');
    expect(csv).not.toContain('category.create');

    await page.click('[data-testid=lang]');
    await expect.poll(() => page.locator('[data-testid=admin-tab-audit]').textContent()).toBe('Audit trail');
    expect(b.errors).toEqual([]);
  });

  it("shows a street-level admin the entries of their street only, and other roles no admin page", async () => {
    const page = await b.open('street_admin', '/admin/audit', { password: 'street-admin-pass-1' });
    const rows = page.locator('[data-testid=audit-table] tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await page.locator('[data-testid=audit-table]').textContent()).not.toContain('category.create');

    const operator = await b.open('operator', '/admin');
    await expect.poll(() => operator.locator('p.error').textContent()).toMatch(/无权/);
    expect(await operator.locator('[data-testid=nav-admin]').count()).toBe(0);
  });
});
