import { DataSource, type DataSourceOptions } from 'typeorm';
import { ENTITIES } from '@wangge/domain';
import { MIGRATIONS } from './migrations';
import { PreparedStatementClient } from './prepared-statement-client';

export interface DatabaseOptions {
  url: string;
  poolSize?: number;
  applicationName?: string;
  /** Named prepared statements (default on); off where connections share one session (the embedded PGlite). */
  preparedStatements?: boolean;
}

/** TypeORM options shared by the apps and the CLI: migrations only, never `synchronize`. */
export function dataSourceOptions(options: DatabaseOptions): DataSourceOptions {
  return {
    type: 'postgres',
    url: options.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: ['error', 'migration'],
    applicationName: options.applicationName ?? 'wangge',
    extra: {
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: 10_000,
      statement_timeout: 60_000,
      ...(options.preparedStatements === false ? {} : { Client: PreparedStatementClient }),
    },
  };
}

/** A standalone DataSource (CLI, tests, the launcher). */
export function createDataSource(options: DatabaseOptions): DataSource {
  return new DataSource(dataSourceOptions(options));
}

/** Applies pending migrations; returns the names applied. */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  return applied.map((m) => m.name);
}
