import type { AppConfig } from '@wangge/config';
import { createDataSource } from '@wangge/database';
import type { DataSource } from 'typeorm';

export interface CliContext {
  /** Validates the environment (plus overrides, e.g. the embedded DATABASE_URL) into the typed config. */
  loadConfig: (overrides?: Record<string, string | undefined>) => AppConfig;
}

/** One command of `node dist/apps/cli/src/main.js <command>`; resolves to the process exit code. */
export interface CliCommand {
  name: string;
  summary: string;
  run(args: string[], ctx: CliContext): Promise<number>;
}

/**
 * Runs `work` on a DataSource opened on DATABASE_URL and always closes it; exit 2 with a message
 * naming the command when DATABASE_URL is unset.
 */
export async function withDatabase(
  command: string,
  config: AppConfig,
  poolSize: number,
  work: (ds: DataSource) => Promise<number>,
): Promise<number> {
  if (!config.databaseUrl) {
    process.stderr.write(`${command} needs DATABASE_URL (npm start runs an embedded database by itself)\n`);
    return 2;
  }
  const ds = createDataSource({ url: config.databaseUrl, poolSize, applicationName: `wangge-${command}`, preparedStatements: config.dbPreparedStatements });
  await ds.initialize();
  try {
    return await work(ds);
  } finally {
    await ds.destroy();
  }
}
