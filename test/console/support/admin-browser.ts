import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { INestApplication } from '@nestjs/common';
import { startIntake, testConfig, type RunningApp } from '../../support/apps';
import { freePort, startRedisServer } from '../../support/redis-server';

/**
 * One intake (demo district, its console) and Debian's Chromium, for the browser tests of the console's
 * pages; with `feed: true` also a live feed (on a private Redis), so pages that show the feed's state
 * show it connected. Screenshots go to CONSOLE_SCREENSHOTS (e.g. docs/screenshots) when set, else to a
 * temporary directory.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CONSOLE_DIR = resolve('dist/console');
export const SHOTS = process.env.CONSOLE_SCREENSHOTS ? resolve(process.env.CONSOLE_SCREENSHOTS) : join(tmpdir(), 'wangge-console-screenshots');
export const DESKTOP = { viewport: { width: 1440, height: 900 } };

export interface AdminBrowser {
  intake: RunningApp;
  /** The environment the apps were started with (with `feed: true`, the private Redis and the feed's address): for a spec's own dispatcher. */
  env: Record<string, string>;
  browser: Browser;
  /** A new page of its own context, signed in as `username` (password `demo1234` unless given), at `path`. */
  open(username: string, path: string, options?: { password?: string; context?: Parameters<Browser['newContext']>[0] }): Promise<Page>;
  /** Saves `<SHOTS>/<name>.png`. */
  shot(page: Page, name: string): Promise<void>;
  /** JavaScript errors any page raised (a page test expects none). */
  errors: string[];
  close(): Promise<void>;
}

/** The console build, rebuilt when a source file is newer than it (a stale build would hide new pages). */
export function ensureConsoleBuild(): void {
  const index = join(CONSOLE_DIR, 'index.html');
  const built = existsSync(index) ? statSync(index).mtimeMs : 0;
  if (!built || newestIn(resolve('apps/console')) > built) {
    execFileSync('npm', ['run', 'build:console', '--silent'], { stdio: 'inherit' });
  }
}

function newestIn(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestIn(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export async function startAdminBrowser(
  label: string,
  env: Record<string, string> = {},
  options: { clock?: import('@wangge/clock').Clock; feed?: boolean } = {},
): Promise<AdminBrowser> {
  ensureConsoleBuild();
  mkdirSync(SHOTS, { recursive: true });
  const redis = options.feed ? await startRedisServer() : null;
  const feedPort = options.feed ? await freePort() : null;
  const feedEnv: Record<string, string> = redis ? { REDIS_URL: redis.url, FEED_PUBLIC_URL: `http://127.0.0.1:${feedPort}`, FEED_RESUME_GRACE_MS: '0' } : {};
  const intake = await startIntake(label, { CONSOLE_DIR, ...feedEnv, ...env }, options);
  let feed: INestApplication | null = null;
  if (redis) {
    const { createFeedApp } = await import('../../../apps/feed/src/feed.app');
    feed = await createFeedApp(testConfig(intake.databaseUrl, { ...feedEnv, ...env }));
    await feed.listen(feedPort!, '127.0.0.1');
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
  });
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  return {
    intake,
    env: { ...feedEnv, ...env },
    browser,
    errors,
    async open(username, path, options = {}) {
      const context = await browser.newContext({ baseURL: intake.baseUrl, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ...DESKTOP, ...options.context });
      contexts.push(context);
      const page = await context.newPage();
      page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
      await page.goto('/login');
      await page.fill('input[name=username]', username);
      await page.fill('input[name=password]', options.password ?? 'demo1234');
      await page.click('button[type=submit]');
      await page.waitForURL((url) => url.pathname !== '/login');
      await page.goto(path);
      return page;
    },
    async shot(page, name) {
      await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => {});
      await browser.close().catch(() => {});
      await feed?.close();
      await intake.close();
      await redis?.close();
    },
  };
}
