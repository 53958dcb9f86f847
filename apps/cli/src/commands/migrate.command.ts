import { createDataSource, runMigrations } from '@wangge/database';
import type { CliCommand } from './cli-command';

export const migrateCommand: CliCommand = {
  name: 'migrate',
  summary: 'apply pending database migrations (DATABASE_URL)',
  async run(_args, ctx) {
    const config = ctx.loadConfig();
    if (!config.databaseUrl) {
      process.stderr.write('migrate needs DATABASE_URL (npm start migrates the embedded database by itself)\n');
      return 2;
    }
    const ds = createDataSource({ url: config.databaseUrl, poolSize: 1, applicationName: 'wangge-migrate' });
    await ds.initialize();
    try {
      const applied = await runMigrations(ds);
      process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'schema is up to date\n');
      return 0;
    } finally {
      await ds.destroy();
    }
  },
};
