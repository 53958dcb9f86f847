import type { INestApplication } from '@nestjs/common';
import { loadAppConfig, type AppConfig } from '@wangge/config';
import { REDIS_NAMESPACE, type RedisNamespace } from '@wangge/jobs';
import { createIntakeApp } from '../../apps/intake/src/intake.app';
import { createTestDatabase, REDIS_URL, TEST_JWT_SECRET, TEST_TRACKING_TOKEN_SECRET } from './database';

export interface RunningApp {
  app: INestApplication;
  baseUrl: string;
  config: AppConfig;
  databaseUrl: string;
  /** The Redis keys of the app's database (queues' prefix, feed stream). */
  keys: RedisNamespace;
  /** Logs a demo user in and returns the Authorization header value. */
  bearer(username: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

export function testConfig(databaseUrl: string, overrides: Record<string, string> = {}): AppConfig {
  return loadAppConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    JWT_SECRET: TEST_JWT_SECRET,
    TRACKING_TOKEN_SECRET: TEST_TRACKING_TOKEN_SECRET,
    DB_POOL_SIZE: '4',
    ...overrides,
  });
}

/** Starts a real intake app on a copy of the seeded demo database, on a free port. */
export async function startIntake(
  label: string,
  overrides: Record<string, string> = {},
  options: { clock?: import('@wangge/clock').Clock } = {},
): Promise<RunningApp> {
  const db = await createTestDatabase(label);
  const config = testConfig(db.url, overrides);
  const app = await createIntakeApp(config, options);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${address.port}`;
  return {
    app,
    baseUrl,
    config,
    databaseUrl: db.url,
    keys: app.get<RedisNamespace>(REDIS_NAMESPACE),
    async bearer(username, password = 'demo1234') {
      const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      });
      if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
      const body = (await res.json()) as { accessToken: string };
      return `Bearer ${body.accessToken}`;
    },
    async close() {
      await app.close();
      await db.drop();
    },
  };
}

/** A real dispatcher process-in-a-test on the given database and Redis (use a Redis of the test's own). */
export async function startDispatcher(
  databaseUrl: string,
  overrides: Record<string, string> = {},
  options: { clock?: import('@wangge/clock').Clock } = {},
): Promise<{ app: INestApplication; close(): Promise<void> }> {
  const { createDispatcherApp } = await import('../../apps/dispatcher/src/dispatcher.app');
  const app = await createDispatcherApp(testConfig(databaseUrl, overrides), options);
  await app.listen(0, '127.0.0.1');
  return { app, close: () => app.close() };
}

/** A real feed app in the test process, on the given database and Redis (use a Redis of the test's own). */
export async function startFeed(
  databaseUrl: string,
  overrides: Record<string, string> = {},
): Promise<{ app: INestApplication; url: string; close(): Promise<void> }> {
  const { createFeedApp } = await import('../../apps/feed/src/feed.app');
  const app = await createFeedApp(testConfig(databaseUrl, overrides));
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return { app, url: `http://127.0.0.1:${address.port}`, close: () => app.close() };
}
