import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDb } from '../support/cases';
import { startAdminBrowser, type AdminBrowser } from './support/admin-browser';

/** A cells file: `n` cells of ~100 m in a row from (west, north), each `code` from `codeOf`, with optional names. */
function cells(n: number, codeOf: (i: number) => string, names: Record<string, string> = {}): Buffer {
  const features = Array.from({ length: n }, (_, i) => {
    const [x1, x2] = [114.2 + i * 0.0011, 114.2 + (i + 1) * 0.0011].map((v) => Math.round(v * 1e7) / 1e7);
    return {
      type: 'Feature',
      properties: { code: codeOf(i), ...names },
      geometry: { type: 'Polygon', coordinates: [[[x1, 34.6], [x1, 34.5991], [x2, 34.5991], [x2, 34.6], [x1, 34.6]]] },
    };
  });
  return Buffer.from(JSON.stringify({ type: 'FeatureCollection', features }));
}

describe('the admin console: the imports page (Chromium)', () => {
  let b: AdminBrowser;

  beforeAll(async () => {
    b = await startAdminBrowser('admin-imports');
  }, 180_000);
  afterAll(async () => {
    await b?.close();
  });

  it('checks the files first, lists every refused record with its reason, and imports only once confirmed', async () => {
    const page = await b.open('admin', '/admin/imports');
    await page.waitForURL('**/admin/imports');
    const bad = cells(3, (i) => (i === 1 ? '410104990001002' : `41010400195000${i + 1}`), {});
    await page.setInputFiles('input[name=files]', { name: 'cells.geojson', mimeType: 'application/geo+json', buffer: bad });
    await page.click('[data-testid=import-check]');
    const problems = page.locator('[data-testid=import-refused] [data-testid=import-problems] tbody tr');
    // Two features of an unnamed community, and one whose street and community are both unknown (a row per problem).
    await expect.poll(() => problems.count(), { timeout: 30_000 }).toBe(4);
    const refused = await page.locator('[data-testid=import-refused]').textContent();
    expect(refused).toContain('features[1] (code 410104990001002)');
    expect(refused).toContain('unknown street 410104990');
    expect(refused).toContain('unknown community 410104001950');
    expect(await page.locator('[data-testid=import-confirm]').isDisabled()).toBe(true);
    await b.shot(page, 'admin-imports-refused');

    const good = cells(4, (i) => `41010400195000${i + 1}`, { communityName: '试验社区' });
    await page.setInputFiles('input[name=files]', { name: 'cells.geojson', mimeType: 'application/geo+json', buffer: good });
    await page.click('[data-testid=import-check]');
    const plan = page.locator('[data-testid=import-plan]');
    await expect.poll(() => plan.textContent(), { timeout: 30_000 }).toContain('单元网格: 新增 4');
    expect(await withDb(b.intake.databaseUrl, async (db) => (await db.query(`SELECT count(*)::int AS n FROM grid_cell WHERE community_code = '410104001950'`)).rows[0].n)).toBe(0);
    await b.shot(page, 'admin-imports');

    await page.click('[data-testid=import-confirm]');
    await expect.poll(() => page.locator('[data-testid=import-done]').textContent(), { timeout: 30_000 }).toContain('导入完成');
    const written = await withDb(b.intake.databaseUrl, async (db) => ({
      cells: (await db.query(`SELECT count(*)::int AS n FROM grid_cell WHERE community_code = '410104001950'`)).rows[0].n as number,
      audit: (await db.query(`SELECT action, actor_username, after -> 'cells' AS cells FROM audit_entry WHERE entity = 'import'`)).rows,
    }));
    expect(written.cells).toBe(4);
    expect(written.audit).toEqual([{ action: 'import.apply', actor_username: 'admin', cells: { created: 4, updated: 0, unchanged: 0, skipped: 0 } }]);

    await page.click('[data-testid=lang]');
    await expect.poll(() => page.locator('[data-testid=admin-tab-imports]').textContent()).toBe('Imports');
    expect(b.errors).toEqual([]);
  }, 180_000);
});
