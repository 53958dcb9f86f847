import gcoord from 'gcoord';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pointInWardenCell, withDb } from '../support/cases';
import { startAdminBrowser, type AdminBrowser } from './support/admin-browser';

/**
 * Places imported in the console (issue 17 item 1): on 巡查与值守 the admin picks a CSV from AMap
 * (GCJ-02), previews it (counts, nothing written), imports it, and sees a bad file refused with its
 * problems grouped, naming the row and the field. Screenshot: docs/screenshots/places-import.png.
 */
describe('places import in the console', () => {
  let b: AdminBrowser;
  let csv = '';

  beforeAll(async () => {
    b = await startAdminBrowser('places-import-browser');
    const [p0, p1] = await withDb(b.intake.databaseUrl, async (db) => [await pointInWardenCell(db, 'warden1', 0), await pointInWardenCell(db, 'warden1', 1)]);
    const gcj = (p: { lng: number; lat: number }) => gcoord.transform([p.lng, p.lat], gcoord.WGS84, gcoord.GCJ02) as [number, number];
    const [a, c] = [gcj(p0), gcj(p1)];
    csv = `kind,name,lng,lat,address,responsible,code\n工地,航海东路安置房工地,${a[0]},${a[1]},航海东路88号,warden1,GD-101\n卡点,通站路卡点,${c[0]},${c[1]},,,KD-7\n`;
  }, 180_000);

  afterAll(async () => {
    await b?.close();
  });

  const count = () => withDb(b.intake.databaseUrl, async (db) => Number((await db.query(`SELECT count(*) FROM place`)).rows[0].count));

  it('the admin previews a GCJ-02 CSV, imports it, and a bad file is refused with grouped problems', async () => {
    const page = await b.open('admin', '/admin/inspections');
    const form = '[data-testid=places-import]';
    await page.waitForSelector(form, { timeout: 20_000 });
    await page.setInputFiles(`${form} input[name=placesFile]`, { name: 'places.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await page.selectOption(`${form} select[name=coordSystem]`, 'gcj02');
    await page.click(`${form} [data-action=preview-places]`);
    await page.waitForSelector('[data-testid=places-import-report][data-dry-run=true]', { timeout: 20_000 });
    expect(await page.getAttribute('[data-testid=places-import-report]', 'data-created')).toBe('2');
    expect(await count()).toBe(0);

    await page.click(`${form} [data-action=import-places]`);
    await page.waitForSelector('[data-testid=places-import-report][data-dry-run=false]', { timeout: 20_000 });
    expect(await page.textContent('[data-testid=places-import-report]')).toContain('新增 2');
    expect(await count()).toBe(2);

    const bad = `${csv}花园,未知种类,113.6,34.7,,,\nmarket,区外市场,10.5,10.5,,nobody_here,\n`;
    await page.setInputFiles(`${form} input[name=placesFile]`, { name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad, 'utf8') });
    await page.click(`${form} [data-action=import-places]`);
    await page.waitForSelector('[data-testid=places-import-refused]', { timeout: 20_000 });
    const text = await page.textContent('[data-testid=places-import-refused]');
    expect(text).toContain('line 4 (未知种类): kind: unknown kind "花园"');
    expect(text).toContain('line 5 (区外市场)');
    expect(await count()).toBe(2);
    await page.locator(form).scrollIntoViewIfNeeded();
    await b.shot(page, 'places-import');
    await page.locator(form).screenshot({ path: 'docs/screenshots/places-import.png' });
    expect(b.errors).toEqual([]);
  });
});
