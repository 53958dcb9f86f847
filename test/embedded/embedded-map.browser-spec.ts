import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@wangge/database';
import { CHROMIUM, ensureConsoleBuild, SHOTS } from '../console/support/admin-browser';
import { REDIS_URL } from '../support/database';

const ROOT = resolve(__dirname, '../..');
const CLI = join(ROOT, 'dist/apps/cli/src/main.js');
/** First start: PGlite's initdb, PostGIS, migrations, the demo district and its history, three apps. */
const READY_TIMEOUT_MS = 900_000;

interface PageMap {
  getLayer(id: string): unknown;
  getLayoutProperty(layer: string, name: string): unknown;
  queryRenderedFeatures(o: { layers: string[] }): { properties: Record<string, unknown> }[];
  jumpTo(o: { center: [number, number]; zoom: number }): void;
  once(event: string, f: () => void): void;
}

interface Outline {
  properties: { code: string; name: string; label: [number, number]; cellCount: number };
  geometry: { type: string; coordinates: unknown[] };
}

/** What the named layers draw in the view now: the given property of each rendered feature. */
const rendered = (page: Page, layers: string[], property: string) =>
  page.evaluate(
    ([ls, p]) => (globalThis as unknown as { __wanggeMap: PageMap }).__wanggeMap.queryRenderedFeatures({ layers: ls as string[] }).map((f) => f.properties[p as string]),
    [layers, property] as const,
  );

/**
 * Embedded mode draws the same map (issue 19 item 1): `npm start` with no DATABASE_URL runs on
 * PGlite + PostGIS, where the division outlines are dissolved from the cells by the migration's
 * statement triggers (transition tables) and served by `GET /api/v1/divisions/outlines`; the command
 * center's map (GeoJSON there, no vector tiles) writes every street's name over the district, the
 * communities' names closer in, and switches the hotspots on.
 */
describe('the district map in embedded mode', () => {
  let child: ChildProcess | undefined;
  let output = '';
  let dataDir = '';
  let base = '';
  let browser: Browser;
  let token = '';

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
    ensureConsoleBuild();
    dataDir = mkdtempSync(join(tmpdir(), 'wangge-embedded-map-'));
    const ports = { intake: await freePort(0), feed: await freePort(0), dispatcher: await freePort(0), pg: await freePort(0) };
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.DATABASE_URL;
    delete env.JWT_SECRET;
    Object.assign(env, {
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      DATA_DIR: dataDir,
      MEDIA_DIR: join(dataDir, 'media'),
      REDIS_URL,
      INTAKE_PORT: String(ports.intake),
      FEED_PORT: String(ports.feed),
      DISPATCHER_PORT: String(ports.dispatcher),
      EMBEDDED_PG_PORT: String(ports.pg),
      DEMO_PASSWORD: 'demo1234',
      // a few days of history: cases on the map and recurrence spots for the hotspots
      DEMO_HISTORY_DAYS: '3',
    });
    child = spawn(process.execPath, [CLI, 'start'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    base = `http://127.0.0.1:${ports.intake}`;
    for (const deadline = Date.now() + READY_TIMEOUT_MS; ; ) {
      if (child.exitCode !== null) throw new Error(`npm start exited with code ${child.exitCode}:\n${output}`);
      const ok = await fetch(`${base}/health`, { signal: AbortSignal.timeout(2000) }).then((r) => r.status === 200, () => false);
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`not ready after ${READY_TIMEOUT_MS / 1000} s:\n${output.slice(-5000)}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
    const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'leader', password: 'demo1234' }) });
    expect(login.status).toBe(200);
    token = ((await login.json()) as { accessToken: string }).accessToken;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
    });
  }, READY_TIMEOUT_MS + 60_000);

  afterAll(async () => {
    await browser?.close().catch(() => {});
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGINT');
      await Promise.race([new Promise((r) => child!.once('exit', r)), new Promise((r) => setTimeout(r, 20_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  const outlines = async (level: string): Promise<Outline[]> => {
    const res = await fetch(`${base}/api/v1/divisions/outlines?level=${level}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status, await res.clone().text()).toBe(200);
    return ((await res.json()) as { features: Outline[] }).features;
  };

  it('serves the outlines of the district, its 14 streets and its communities, dissolved from the cells', async () => {
    const [district, streets, communities] = [await outlines('district'), await outlines('street'), await outlines('community')];
    expect(district.map((f) => [f.properties.code, f.properties.name])).toEqual([['410104', '管城回族区']]);
    expect(streets).toHaveLength(14);
    expect(communities.length).toBeGreaterThan(100);
    for (const f of [...district, ...streets, ...communities]) {
      expect(['Polygon', 'MultiPolygon']).toContain(f.geometry.type);
      expect(f.properties.name).not.toBe('');
      expect(f.properties.cellCount).toBeGreaterThan(0);
    }
    // every cell is in one street and one community
    const cells = (list: Outline[]) => list.reduce((n, f) => n + f.properties.cellCount, 0);
    expect(cells(streets)).toBe(district[0].properties.cellCount);
    expect(cells(communities)).toBe(district[0].properties.cellCount);
    const bad = await fetch(`${base}/api/v1/divisions/outlines?level=province`, { headers: { authorization: `Bearer ${token}` } });
    expect(bad.status).toBe(400);
  });

  it('the command center’s map writes every street’s name, the communities’ closer in, and shows the hotspots', async () => {
    const streets = await outlines('street');
    const communities = await outlines('community');
    const context = await browser.newContext({ baseURL: base, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto('/login');
    await page.fill('input[name=username]', 'leader');
    await page.fill('input[name=password]', 'demo1234');
    await page.click('button[type=submit]');
    await page.waitForURL((url) => url.pathname !== '/login');
    await page.goto('/command');
    await page.waitForFunction(
      () => {
        const map = (globalThis as unknown as { __wanggeMap?: PageMap }).__wanggeMap;
        return !!map?.getLayer('street-labels') && map.queryRenderedFeatures({ layers: ['street-labels'] }).length > 0;
      },
      undefined,
      { timeout: 120_000 },
    );
    // no vector tiles in embedded mode: the GeoJSON sources draw the same layers
    await page.waitForTimeout(1000);
    expect(new Set(await rendered(page, ['street-labels'], 'name'))).toEqual(new Set(streets.map((s) => s.properties.name)));
    expect(await rendered(page, ['district-line'], 'code')).not.toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'embedded-map-district.png') });

    // Closer in, on the largest community: its name.
    const largest = [...communities].sort((a, b) => b.properties.cellCount - a.properties.cellCount)[0];
    await page.evaluate(
      ([c]) =>
        new Promise<void>((done) => {
          const map = (globalThis as unknown as { __wanggeMap: PageMap }).__wanggeMap;
          map.once('idle', () => done());
          map.jumpTo({ center: c as [number, number], zoom: 15 });
        }),
      [largest.properties.label] as const,
    );
    await expect.poll(() => rendered(page, ['community-labels'], 'name'), { timeout: 30_000 }).toContain(largest.properties.name);

    // The hotspots layer switches on, with as many as the API finds.
    const hotspots = (await (await fetch(`${base}/api/v1/hotspots`, { headers: { authorization: `Bearer ${token}` } })).json()) as { features: unknown[] };
    await page.click('[data-testid=toggle-hotspots]');
    await page.waitForSelector('[data-testid=hotspot-count]', { timeout: 30_000 });
    expect(await page.textContent('[data-testid=hotspot-count]')).toBe(` (${hotspots.features.length})`);
    expect(await page.evaluate(() => (globalThis as unknown as { __wanggeMap: PageMap }).__wanggeMap.getLayoutProperty('hotspots', 'visibility'))).toBe('visible');
    expect(errors).toEqual([]);
    await context.close();
  }, 240_000);
});
