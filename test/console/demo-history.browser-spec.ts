import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataSource } from '@wangge/database';
import { seedHistory } from '@wangge/demo';
import { recordAppealHistory } from '@wangge/evaluation';
import { startAdminBrowser, type AdminBrowser } from './support/admin-browser';

/**
 * The first look (issue 23): on a demo district with its month of history, a leader opening the
 * command center sees a district at work — the month's open cases in the list and on the map, some
 * of them red — not an empty screen.
 */
describe('the demo history in the console', () => {
  let b: AdminBrowser;

  beforeAll(async () => {
    b = await startAdminBrowser('history-browser', {}, { feed: true });
    const ds = createDataSource({ url: b.intake.databaseUrl, poolSize: 2 });
    await ds.initialize();
    try {
      const summary = await seedHistory(ds, { days: 30, seed: 1, config: b.intake.config, recordAppeals: recordAppealHistory });
      expect(summary.cases).toBeGreaterThan(2000);
    } finally {
      await ds.destroy();
    }
  }, 300_000);

  afterAll(async () => {
    await b?.close();
  });

  it('the command center shows the open cases of the month, with their lights, to the leader', async () => {
    const page = await b.open('leader', '/command');
    await expect.poll(() => page.locator('[data-testid=case-list] li[data-case-id]').count(), { timeout: 30_000 }).toBeGreaterThan(20);
    const lights = await page.$$eval('[data-testid=case-list] li[data-case-id]', (lis) => lis.map((li) => li.getAttribute('data-light')));
    expect(lights.some((l) => l === 'green' || l === 'yellow' || l === 'red')).toBe(true);
    // The map draws the open cases too, and the live feed is connected.
    await page.waitForFunction(() => {
      const map = (globalThis as unknown as { __wanggeMap?: { getSource(id: string): unknown; querySourceFeatures(id: string): unknown[]; loaded(): boolean } }).__wanggeMap;
      return !!map?.getSource('cases') && map.loaded() && map.querySourceFeatures('cases').length > 0;
    }, undefined, { timeout: 30_000 });
    await page.waitForSelector('[data-testid=feed-status][data-status=live]', { timeout: 20_000 });
    await b.shot(page, 'demo-history-command-center');
    expect(b.errors).toEqual([]);
  });
});
