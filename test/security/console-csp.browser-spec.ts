import type { INestApplication } from '@nestjs/common';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../support/apps';
import { freePort, startRedisServer, type RedisServer } from '../support/redis-server';
import { startAdminBrowser, type AdminBrowser } from '../console/support/admin-browser';

/** CSP violations a page reports, from the DOM event (installed before the page's own scripts). */
async function watchViolations(page: Page): Promise<string[]> {
  const fromConsole: string[] = [];
  page.on('console', (m) => /Content Security Policy/i.test(m.text()) && fromConsole.push(m.text()));
  await page.addInitScript({
    content: `window.cspViolations = []; document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));`,
  });
  return fromConsole;
}

/**
 * The built console under intake's Content-Security-Policy (script-src 'self', frame-ancestors
 * 'none', no inline script): the command center loads, draws its map and goes live on the feed
 * without one violation in the browser's console.
 */
describe('the console under the Content-Security-Policy', () => {
  let redis: RedisServer;
  let b: AdminBrowser;
  let feed: INestApplication;

  beforeAll(async () => {
    redis = await startRedisServer();
    const feedPort = await freePort();
    const env = { REDIS_URL: redis.url, FEED_PORT: String(feedPort) };
    b = await startAdminBrowser('console_csp', env);
    const { createFeedApp } = await import('../../apps/feed/src/feed.app');
    feed = await createFeedApp(testConfig(b.intake.databaseUrl, env));
    await feed.listen(feedPort, '127.0.0.1');
  }, 180_000);

  afterAll(async () => {
    await b?.close();
    await feed?.close();
    await redis?.close();
  });

  it('loads / as the operator, map and live feed included, with no CSP violation', async () => {
    const context = await b.browser.newContext({ baseURL: b.intake.baseUrl, locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    const consoleViolations = await watchViolations(page);
    try {
      const first = await page.goto('/login');
      expect(first?.headers()['content-security-policy']).toContain("script-src 'self'");
      await page.fill('input[name=username]', 'operator');
      await page.fill('input[name=password]', 'demo1234');
      await page.click('button[type=submit]');
      await page.waitForURL((url) => url.pathname !== '/login');
      await page.goto('/');
      await page.waitForSelector('[data-testid=feed-status][data-status=live]', { timeout: 20_000 });
      await page.waitForSelector('canvas', { timeout: 20_000 });
      await page.waitForLoadState('networkidle');
      await b.shot(page, 'security-csp-command-center');
      const domViolations = await page.evaluate<string[]>('window.cspViolations');
      expect(domViolations).toEqual([]);
      expect(consoleViolations).toEqual([]);
      expect(b.errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
