import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { inject } from 'vitest';
import { createDataSource, runMigrations } from '@wangge/database';
import { seedDemo } from '@wangge/demo';

/**
 * Test databases live on the real PostgreSQL + PostGIS server given by TEST_PG_URL (default: the
 * local server, user postgres). Global setup builds one template database (migrated and seeded with
 * the demo district); each test file takes its own copy of it, so tests that write never meet.
 */
export const SERVER_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** The template this run's global setup built (see global-setup.ts). */
export function templateDb(): string {
  return inject('templateDb');
}
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export function databaseUrl(name: string): string {
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function withServer<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: SERVER_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Copies the seeded template into a new database; returns its URL and a function that drops it. */
export async function createTestDatabase(label = 'case'): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  const name = `wangge_t_${label.replace(/[^a-z0-9_]/gi, '_').toLowerCase().slice(0, 30)}_${randomBytes(4).toString('hex')}`;
  await withServer(async (c) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await c.query(`CREATE DATABASE "${name}" TEMPLATE "${templateDb()}"`);
        return;
      } catch (err) {
        // Another file copying the template at the same moment: wait and try again.
        if (attempt < 20 && /being accessed by other users/.test(String(err))) {
          await new Promise((r) => setTimeout(r, 250));
          continue;
        }
        throw err;
      }
    }
  });
  return {
    name,
    url: databaseUrl(name),
    drop: () => withServer(async (c) => void (await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`))),
  };
}

/** A secret for tests only (never used outside test runs). */
export const TEST_JWT_SECRET = randomBytes(32).toString('hex');
/** The tracking tokens' secret of test runs (required in production, so given to every test app). */
export const TEST_TRACKING_TOKEN_SECRET = randomBytes(32).toString('hex');

/** Runs the migrations on the database at `url`, then seeds the demo district into it. */
export async function migrateAndSeedDemo(url: string): Promise<void> {
  const ds = createDataSource({ url, poolSize: 2 });
  await ds.initialize();
  try {
    await runMigrations(ds);
    // No history: tests start from an empty case table (test/demo seeds a history of its own).
    await seedDemo(ds, { districtCode: '410104', demoPassword: 'demo1234', history: { days: 0 } });
  } finally {
    await ds.destroy();
  }
}

/** A new empty database (no schema, no demo): for what starts from nothing, such as `npm run setup`. */
export async function createEmptyDatabase(label: string): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  const name = `wangge_t_${label.replace(/[^a-z0-9_]/gi, '_').toLowerCase().slice(0, 30)}_${randomBytes(4).toString('hex')}`;
  await withServer(async (c) => void (await c.query(`CREATE DATABASE "${name}"`)));
  return {
    name,
    url: databaseUrl(name),
    drop: () => withServer(async (c) => void (await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`))),
  };
}
