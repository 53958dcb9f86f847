import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIntake, type RunningApp } from '../support/apps';

/** Intake serves the built console at `/` with a single-page fallback, and leaves its other routes alone. */
describe('intake serves the web console', () => {
  let app: RunningApp;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wangge-console-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="app">console-index</div>');
    writeFileSync(join(dir, 'assets', 'main-abc123.js'), 'console.log("bundle")');
    app = await startIntake('console-serving', { CONSOLE_DIR: dir, FEED_PUBLIC_URL: 'https://feed.example.org', MAP_TILE_URL: 'https://tiles.example.org/{z}/{x}/{y}.png' });
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (path: string, init?: RequestInit) => fetch(`${app.baseUrl}${path}`, init);

  it('serves index.html at / and for client-side routes, and the hashed assets with long caching', async () => {
    for (const path of ['/', '/command', '/track/5f0c6c58-8f7e-4a59-9d65-2d0c2a7f1c11?token=abc', '/login']) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      expect(await res.text()).toContain('console-index');
    }
    const asset = await get('/assets/main-abc123.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(await asset.text()).toContain('bundle');
  });

  it('tells the browser where the feed is and which base map to draw', async () => {
    const res = await get('/config.json');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      feedUrl: 'https://feed.example.org',
      feedPort: app.config.ports.feed,
      mapTileUrl: 'https://tiles.example.org/{z}/{x}/{y}.png',
      mapTileAttribution: null,
    });
  });

  it('leaves the API, Open311, docs, health and metrics to their own handlers (JSON 404s stay JSON)', async () => {
    const missing = await get('/api/v1/no-such-thing');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/json/);
    expect(await missing.json()).toMatchObject({ statusCode: 404 });
    const categories = await get('/api/v1/categories');
    expect(categories.status).toBe(200);
    expect(Array.isArray(await categories.json())).toBe(true);
    const media = await get('/api/v1/media/00000000-0000-4000-8000-000000000000');
    expect(media.status).toBe(404);
    expect(media.headers.get('content-type')).toMatch(/json/);
    expect((await get('/open311/v2/services.json')).headers.get('content-type')).toMatch(/json/);
    const open311Missing = await get('/open311/v2/nothing-here.json');
    expect(open311Missing.status).toBe(404);
    expect(open311Missing.headers.get('content-type')).not.toMatch(/text\/html/);
    expect((await get('/docs-json')).headers.get('content-type')).toMatch(/json/);
    expect((await get('/docs')).status).toBe(200);
    expect(await (await get('/docs')).text()).not.toContain('console-index');
    const health = await get('/health');
    expect(health.headers.get('content-type')).toMatch(/json/);
    const metrics = await get('/metrics');
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(/^# HELP/m);
  });

  it('does not answer non-GET requests with the page', async () => {
    const res = await get('/command', { method: 'POST' });
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('console-index');
  });
});
