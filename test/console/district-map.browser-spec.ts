import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataSource } from '@wangge/database';
import { seedHistory } from '@wangge/demo';
import { recordAppealHistory } from '@wangge/evaluation';
import { api, withDb } from '../support/cases';
import { startAdminBrowser, type AdminBrowser } from './support/admin-browser';

/** The page's map as the tests reach it (`window.__wanggeMap`). */
interface PageMap {
  getZoom(): number;
  getLayer(id: string): unknown;
  getLayoutProperty(layer: string, name: string): unknown;
  queryRenderedFeatures(o: { layers: string[] }): { properties: Record<string, unknown> }[];
  jumpTo(o: { center: [number, number]; zoom: number }): void;
  once(event: string, f: () => void): void;
}

/** Moves the map and waits until it has drawn the new view. */
const jump = (page: Page, center: [number, number], zoom: number) =>
  page.evaluate(
    ([c, z]) =>
      new Promise<void>((resolve) => {
        const map = (globalThis as unknown as { __wanggeMap: PageMap }).__wanggeMap;
        map.once('idle', () => resolve());
        map.jumpTo({ center: c as [number, number], zoom: z as number });
      }),
    [center, zoom] as const,
  );

/** What the named layers draw in the view now: the given property of each rendered feature. */
const rendered = (page: Page, layers: string[], property: string) =>
  page.evaluate(
    ([ls, p]) => (globalThis as unknown as { __wanggeMap: PageMap }).__wanggeMap.queryRenderedFeatures({ layers: ls as string[] }).map((f) => f.properties[p as string]),
    [layers, property] as const,
  );

/**
 * The map that reads like the district (issue 19) in Chromium, on the demo district with three
 * weeks of history: the district outline and the streets' names over the whole district, the
 * communities' and roads' names closer in, the cases in clusters when zoomed out and one by one
 * zoomed in, the recurrence hotspots switched on and off. No base map and no glyph server: the
 * names are drawn with the browser's fonts.
 */
describe('the district map in the command center', () => {
  let b: AdminBrowser;
  let page: Page;
  let streets: { code: string; name: string }[];
  let community: { name: string; lng: number; lat: number };

  beforeAll(async () => {
    b = await startAdminBrowser('district-map');
    const ds = createDataSource({ url: b.intake.databaseUrl, poolSize: 2 });
    await ds.initialize();
    try {
      const summary = await seedHistory(ds, { days: 21, seed: 7, config: b.intake.config, recordAppeals: recordAppealHistory });
      expect(summary.cases).toBeGreaterThan(500);
    } finally {
      await ds.destroy();
    }
    streets = await withDb(b.intake.databaseUrl, (db) => db.query(`SELECT code, name FROM street ORDER BY code`).then((r) => r.rows));
    community = await withDb(b.intake.databaseUrl, (db) =>
      db
        .query(
          `SELECT m.name, ST_X(ST_PointOnSurface(ST_Union(c.geom))) AS lng, ST_Y(ST_PointOnSurface(ST_Union(c.geom))) AS lat
             FROM community m JOIN grid_cell c ON c.community_code = m.code AND c.retired_at IS NULL
            GROUP BY m.code, m.name ORDER BY count(*) DESC, m.code LIMIT 1`,
        )
        .then((r) => r.rows[0]),
    );
    page = await b.open('leader', '/command');
    await page.waitForFunction(
      () => {
        const map = (globalThis as unknown as { __wanggeMap?: PageMap }).__wanggeMap;
        return !!map?.getLayer('street-labels') && !!map.getLayer('case-clusters') && map.queryRenderedFeatures({ layers: ['street-labels'] }).length > 0;
      },
      undefined,
      { timeout: 60_000 },
    );
  }, 400_000);

  afterAll(async () => {
    await b?.close();
  });

  it('opens on the whole district: its outline, every street’s name, the cases in clusters', async () => {
    await expect.poll(async () => Number(await page.getAttribute('[data-testid=map]', 'data-markers')), { timeout: 30_000 }).toBeGreaterThan(20);
    const zoom = await page.evaluate(() => (globalThis as unknown as { __wanggeMap: PageMap }).__wanggeMap.getZoom());
    expect(zoom).toBeGreaterThanOrEqual(10.5);
    expect(zoom).toBeLessThan(14);
    await page.waitForTimeout(500);
    expect(new Set(await rendered(page, ['street-labels'], 'name'))).toEqual(new Set(streets.map((s) => s.name)));
    expect(await rendered(page, ['district-line'], 'code')).not.toEqual([]);
    expect(await rendered(page, ['community-labels'], 'name')).toEqual([]);
    // Zoomed out, the cases are grouped: bubbles of more than one case, the case layer itself drawn by them.
    const counts = (await rendered(page, ['case-clusters'], 'point_count')) as number[];
    expect(counts.length).toBeGreaterThan(0);
    expect(Math.max(...counts)).toBeGreaterThan(1);
    await page.screenshot({ path: 'docs/screenshots/map-district.png' });
    expect(b.errors).toEqual([]);
  });

  it('closer in: the streets’ and communities’ names, then the communities’ alone; the roads’ names; each case its own marker', async () => {
    await jump(page, [community.lng, community.lat], 14);
    await page.waitForTimeout(500);
    expect(await rendered(page, ['community-labels'], 'name')).toContain(community.name);
    expect((await rendered(page, ['street-labels'], 'name')).length).toBeGreaterThan(0);
    const roads = (await rendered(page, ['road-names'], 'name')).concat(await rendered(page, ['road-names'], 'roadName')).filter(Boolean);
    expect(roads.length).toBeGreaterThan(0);
    expect(await rendered(page, ['case-clusters'], 'point_count')).toEqual([]);
    await page.screenshot({ path: 'docs/screenshots/map-streets-zoomed.png' });
    await jump(page, [community.lng, community.lat], 15.5);
    await page.waitForTimeout(500);
    expect(await rendered(page, ['community-labels'], 'name')).toContain(community.name);
    expect(await rendered(page, ['street-labels'], 'name')).toEqual([]);
    expect(b.errors).toEqual([]);
  });

  it('switches the recurrence hotspots on (as many as the API finds for the leader) and off', async () => {
    const expected = await api(b.intake).get<{ features: { properties: { caseCount: number } }[] }>('/api/v1/hotspots', await b.intake.bearer('leader'));
    expect(expected.status).toBe(200);
    expect(expected.body.features.length).toBeGreaterThan(0);
    const visibility = () => page.evaluate(() => (globalThis as unknown as { __wanggeMap: PageMap }).__wanggeMap.getLayoutProperty('hotspots', 'visibility'));
    expect(await visibility()).toBe('none');
    await page.click('[data-testid=toggle-hotspots]');
    await page.waitForSelector('[data-testid=hotspot-count]', { timeout: 20_000 });
    expect(await page.textContent('[data-testid=hotspot-count]')).toBe(` (${expected.body.features.length})`);
    expect(await visibility()).toBe('visible');
    // Back over the whole district: the rings drawn where the API puts them.
    await jump(page, [113.7425, 34.7188], 12.3);
    await expect.poll(() => rendered(page, ['hotspots'], 'caseCount').then((r) => r.length), { timeout: 10_000 }).toBeGreaterThan(0);
    await page.screenshot({ path: 'docs/screenshots/map-hotspots.png' });
    await page.click('[data-testid=toggle-hotspots]');
    expect(await visibility()).toBe('none');
    expect(await page.$('[data-testid=hotspot-count]')).toBeNull();
    expect(b.errors).toEqual([]);
  });
});
