import type { QueryRunner } from 'typeorm';

/** Rows of a statement run in the import's transaction (SELECT, or INSERT/UPDATE/DELETE … RETURNING). */
export async function rows<T>(tx: QueryRunner, sql: string, params: unknown[] = []): Promise<T[]> {
  const result = await tx.query(sql, params, true);
  return result.records as T[];
}

/** Runs a statement for its effect. */
export async function run(tx: QueryRunner, sql: string, params: unknown[] = []): Promise<void> {
  await tx.query(sql, params, true);
}

/**
 * Records handed to PostgreSQL as one JSON parameter, read back with json_to_recordset: one
 * round trip and one statement for any number of rows.
 */
export function asJson(records: object[]): string {
  return JSON.stringify(records);
}
