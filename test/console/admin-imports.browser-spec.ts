import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDb } from '../support/cases';
import { brokenCells, BROKEN_CELLS, OPEN_RING_PROBLEM, UNNAMED_PROBLEM, UNNAMED_WAYS, unnamedRoads } from '../import/problem-files';
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

  it('checks the files first, shows the refused records grouped by problem, and imports only once confirmed', async () => {
    const page = await b.open('admin', '/admin/imports');
    await page.waitForURL('**/admin/imports');
    const bad = cells(3, (i) => (i === 1 ? '410104990001002' : `41010400195000${i + 1}`), {});
    await page.setInputFiles('input[name=files]', { name: 'cells.geojson', mimeType: 'application/geo+json', buffer: bad });
    await page.click('[data-testid=import-check]');
    const groups = page.locator('[data-testid=import-refused] [data-testid=import-group]');
    // Three features of an unknown community (one of them in an unknown street too): a row per kind of problem.
    await expect.poll(() => groups.count(), { timeout: 30_000 }).toBe(2);
    expect(await page.locator('[data-testid=import-group-count]').allTextContents()).toEqual(['3', '1']);
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

  it('groups 758 unnamed road ways and 3 broken cells into two problems with counts and examples, and downloads the full list', async () => {
    const page = await b.open('admin', '/admin/imports');
    await page.waitForURL('**/admin/imports');
    await page.setInputFiles('input[name=files]', [
      { name: 'roads.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(unnamedRoads()) },
      { name: 'cells.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(brokenCells()) },
    ]);
    await page.click('[data-testid=import-check]');
    const groups = page.locator('[data-testid=import-refused] [data-testid=import-group]');
    await expect.poll(() => groups.count(), { timeout: 30_000 }).toBe(2);
    expect(await page.locator('[data-testid=import-group-count]').allTextContents()).toEqual([String(UNNAMED_WAYS), String(BROKEN_CELLS)]);
    const [unnamed, open] = await groups.allTextContents();
    expect(unnamed).toContain(UNNAMED_PROBLEM);
    expect(unnamed).toContain('roads.geojson · features[4]');
    expect(unnamed).not.toContain('features[5]');
    expect(unnamed).toContain(`另有 ${UNNAMED_WAYS - 5} 条`);
    expect(open).toContain(OPEN_RING_PROBLEM);
    expect(await page.locator('[data-testid=import-problems-summary]').textContent()).toBe(`2 类问题，共 ${UNNAMED_WAYS + BROKEN_CELLS} 条记录`);
    await b.shot(page, 'admin-import-problems');

    const [file] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=import-download]')]);
    expect(file.suggestedFilename()).toBe('import-problems.csv');
    const csv = readFileSync((await file.path())!, 'utf8').split('\r\n').filter((l) => l !== '');
    expect(csv).toHaveLength(UNNAMED_WAYS + BROKEN_CELLS + 1);

    await page.click('[data-testid=lang]');
    await expect.poll(() => page.locator('[data-testid=import-problems-summary]').textContent()).toBe(`2 kinds of problem, ${UNNAMED_WAYS + BROKEN_CELLS} records`);
    expect(await groups.first().textContent()).toContain(`… and ${UNNAMED_WAYS - 5} more`);
    expect(await page.locator('[data-testid=import-download]').textContent()).toBe('Download the full list (CSV)');
    expect(b.errors).toEqual([]);
  }, 180_000);
});
