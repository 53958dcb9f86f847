import { runMigrations } from '@wangge/database';
import { withDatabase, type CliCommand } from './cli-command';

export const migrateCommand: CliCommand = {
  name: 'migrate',
  summary: 'apply pending database migrations (DATABASE_URL)',
  run: (_args, ctx) =>
    withDatabase('migrate', ctx.loadConfig(), 1, async (ds) => {
      const applied = await runMigrations(ds);
      process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'schema is up to date\n');
      return 0;
    }),
};
