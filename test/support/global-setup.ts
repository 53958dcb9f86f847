import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { createDataSource, runMigrations } from '@wangge/database';
import { seedDemo } from '@wangge/demo';
import { databaseUrl, withServer } from './database';

declare module 'vitest' {
  export interface ProvidedContext {
    templateDb: string;
  }
}

/**
 * Builds the template database once per run (migrations, then the demo district) under a name of
 * this run's own, so runs side by side on one server never drop each other's template; drops it
 * at the end. TEST_TEMPLATE_DB names it explicitly.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const name = process.env.TEST_TEMPLATE_DB ?? `wangge_test_tpl_${randomBytes(4).toString('hex')}`;
  await withServer(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await c.query(`CREATE DATABASE "${name}"`);
  });
  const ds = createDataSource({ url: databaseUrl(name), poolSize: 2 });
  await ds.initialize();
  try {
    await runMigrations(ds);
    await seedDemo(ds, { districtCode: '410104', demoPassword: 'demo1234' });
  } finally {
    await ds.destroy();
  }
  project.provide('templateDb', name);
  return async () => {
    await withServer(async (c) => void (await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)));
  };
}
