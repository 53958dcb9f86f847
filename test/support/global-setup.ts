import { createDataSource, runMigrations } from '@wangge/database';
import { seedDemo } from '@wangge/demo';
import { databaseUrl, TEMPLATE_DB, withServer } from './database';

/** Builds the template database once per run: migrations, then the demo district. */
export default async function setup(): Promise<void> {
  await withServer(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS "${TEMPLATE_DB}" WITH (FORCE)`);
    await c.query(`CREATE DATABASE "${TEMPLATE_DB}"`);
  });
  const ds = createDataSource({ url: databaseUrl(TEMPLATE_DB), poolSize: 2 });
  await ds.initialize();
  try {
    await runMigrations(ds);
    await seedDemo(ds, { districtCode: '410104', demoPassword: 'demo1234' });
  } finally {
    await ds.destroy();
  }
}
