import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { withDb } from '../support/cases';
import { DESKTOP, startAdminBrowser, type AdminBrowser } from './support/admin-browser';

/** Screen points inside `n` cells of the street that the picker's map draws (away from the map's edges and controls). */
async function cellPoints(page: Page, street: string, n: number): Promise<{ code: string; x: number; y: number }[]> {
  const canvas = (await page.locator('[data-testid=cell-picker] canvas').boundingBox())!;
  const points = await page.evaluate(
    ({ street, n }) => {
      const map = (globalThis as unknown as { __wanggeCellPicker: import('maplibre-gl').Map }).__wanggeCellPicker;
      const { width, height } = map.getCanvas().getBoundingClientRect();
      const seen = new Set<string>();
      const out: { code: string; x: number; y: number }[] = [];
      for (const f of map.queryRenderedFeatures({ layers: ['picker-fill'] })) {
        const code = f.properties?.code as string;
        if (f.properties?.streetCode !== street || seen.has(code)) continue;
        seen.add(code);
        const ring = (f.geometry.type === 'Polygon' ? f.geometry.coordinates[0] : (f.geometry as GeoJSON.MultiPolygon).coordinates[0][0]) as [number, number][];
        const lng = ring.reduce((s, c) => s + c[0], 0) / ring.length;
        const lat = ring.reduce((s, c) => s + c[1], 0) / ring.length;
        const p = map.project([lng, lat]);
        if (p.x > 60 && p.x < width - 80 && p.y > 60 && p.y < height - 60) out.push({ code, x: p.x, y: p.y });
        if (out.length === n) break;
      }
      return out;
    },
    { street, n },
  );
  return points.map((p) => ({ code: p.code, x: canvas.x + p.x, y: canvas.y + p.y }));
}

describe('the admin console: the people tab and the forced password change at login (Chromium)', () => {
  let b: AdminBrowser;
  let street: { code: string; name: string };

  beforeAll(async () => {
    b = await startAdminBrowser('admin-people');
    street = await withDb(b.intake.databaseUrl, async (db) => (await db.query(`SELECT code, name FROM street ORDER BY code LIMIT 1`)).rows[0]);
  }, 180_000);

  afterAll(async () => {
    await b?.close();
  });

  it('creates a warden, picks cells on the map, resets the password, makes the warden set one at login, deactivates', async () => {
    const page = await b.open('admin', '/admin/people');
    page.on('dialog', (d) => void d.accept());
    const table = page.locator('[data-testid=people-table]');
    await expect.poll(() => table.locator('tbody tr').count()).toBeGreaterThan(10);
    await page.selectOption('select[name=role]', 'warden');
    await page.click('form.filters button[type=submit]');
    await expect.poll(async () => (await table.locator('tbody tr').allTextContents()).every((t) => t.includes('网格员'))).toBe(true);
    await b.shot(page, 'admin-people');

    // Create: a warden of the first street, three cells clicked on the map.
    await page.click('[data-testid=person-new]');
    const form = page.locator('[data-testid=person-form]');
    await form.locator('input[name=username]').fill('zhao.liu');
    await form.locator('input[name=name]').fill('赵六');
    await form.locator('input[name=phone]').fill('13800000066');
    await form.locator('select[name=streetCode]').selectOption(street.code);
    await expect.poll(() => page.locator('[data-testid=cell-picker]').getAttribute('data-ready'), { timeout: 30_000 }).toBe('true');
    const points = await cellPoints(page, street.code, 4);
    expect(points.length).toBe(4);
    for (const p of points) await page.mouse.click(p.x, p.y);
    await page.mouse.click(points[3].x, points[3].y); // a second click unselects
    const picked = points.slice(0, 3).map((p) => p.code).sort();
    await expect.poll(() => page.locator('[data-testid=picked-cells]').textContent()).toContain(picked.join(', '));
    await b.shot(page, 'admin-people-cells');
    await page.click('[data-testid=person-save]');
    const secret = page.locator('[data-testid=one-time-password-value]');
    await expect.poll(() => secret.textContent()).toMatch(/^[A-Za-z2-9]{14}$/);
    await b.shot(page, 'admin-people-created');
    const cells = await withDb(b.intake.databaseUrl, async (db) =>
      (await db.query(`SELECT w.cell_code FROM warden_cell w JOIN app_user u ON u.id = w.user_id WHERE u.username = 'zhao.liu' ORDER BY 1`)).rows.map((r) => r.cell_code),
    );
    expect(cells).toEqual(picked);

    // Reset: a new one-time password, shown once.
    const first = (await secret.textContent())!;
    await page.click('[data-testid=person-reset]');
    await expect.poll(() => secret.textContent()).not.toBe(first);
    const oneTime = (await secret.textContent())!;

    // The warden signs in with it and must set a password first.
    const context = await b.browser.newContext({ baseURL: b.intake.baseUrl, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ...DESKTOP });
    const warden = await context.newPage();
    warden.on('pageerror', (e) => b.errors.push(`${warden.url()}: ${e.message}`));
    await warden.goto('/login');
    await warden.fill('input[name=username]', 'zhao.liu');
    await warden.fill('input[name=password]', oneTime);
    await warden.click('button[type=submit]');
    const change = warden.locator('[data-testid=new-password]');
    await expect.poll(() => change.locator('h2').textContent()).toBe('请设置新密码');
    await change.locator('input[name=next]').fill('zhaoliu');
    await change.locator('input[name=again]').fill('zhaoliu');
    await change.locator('button[type=submit]').click();
    // The browser's own minLength check stops it; the server's policy speaks for a common one.
    await change.locator('input[name=next]').fill('1234567890');
    await change.locator('input[name=again]').fill('1234567890');
    await change.locator('button[type=submit]').click();
    await expect.poll(() => change.locator('[role=alert]').textContent()).toMatch(/常见|common/);
    await b.shot(warden, 'login-new-password');
    await change.locator('input[name=next]').fill('赵六的巡查密码-2026');
    await change.locator('input[name=again]').fill('赵六的巡查密码-2026');
    await change.locator('button[type=submit]').click();
    await warden.waitForURL('**/warden');
    await context.close();

    // Deactivate: the row shows it; the audit trail has each change once.
    await page.click('[data-testid=person-deactivate]');
    await expect.poll(() => page.locator('[data-testid=person-reactivate]').count()).toBe(1);
    await page.fill('input[name=q]', 'zhao.liu');
    await page.selectOption('form.filters select[name=role]', '');
    await page.click('form.filters button[type=submit]');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(1);
    expect(await table.locator('tbody tr').textContent()).toContain('已停用');
    const actions = await withDb(b.intake.databaseUrl, async (db) =>
      (await db.query(`SELECT action FROM audit_entry WHERE entity_id = (SELECT id::text FROM app_user WHERE username = 'zhao.liu') ORDER BY id`)).rows.map((r) => r.action),
    );
    expect(actions).toEqual(['user.create', 'user.reset_password', 'user.password_change', 'user.update']);

    await page.click('[data-testid=lang]');
    await expect.poll(() => page.locator('[data-testid=admin-tab-people]').textContent()).toBe('People');
    expect(b.errors).toEqual([]);
  });
});
