import type { DataSource, Logger, QueryRunner } from 'typeorm';

/**
 * Hands every statement the app sends through `ds` to `onQuery` (TypeORM's logger, wrapped; what it
 * logged before it still logs). Returns the function that puts the app's own logger back.
 */
export function onAppQueries(ds: DataSource, onQuery: (query: string, runner?: QueryRunner) => void): () => void {
  const inner = ds.logger;
  const logger: Logger = {
    logQuery: (query, parameters, runner) => {
      onQuery(query, runner);
      inner.logQuery(query, parameters, runner);
    },
    logQueryError: (...args) => inner.logQueryError(...args),
    logQuerySlow: (...args) => inner.logQuerySlow(...args),
    logSchemaBuild: (...args) => inner.logSchemaBuild(...args),
    logMigration: (...args) => inner.logMigration(...args),
    log: (...args) => inner.log(...args),
  };
  (ds as { logger: Logger }).logger = logger;
  return () => void ((ds as { logger: Logger }).logger = inner);
}
