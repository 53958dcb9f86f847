import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { databaseUrl, migrateAndSeedDemo, withServer } from './database';

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
  await migrateAndSeedDemo(databaseUrl(name));
  project.provide('templateDb', name);
  return async () => {
    await withServer(async (c) => void (await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)));
  };
}
