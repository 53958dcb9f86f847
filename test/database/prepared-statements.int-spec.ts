import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataSource } from '@wangge/database';
import { createTestDatabase } from '../support/database';

/**
 * Issue 8: parameterised queries go as named prepared statements (parsed and planned once per
 * connection, not at every execution), unless turned off (the embedded PGlite, whose connections
 * share one session).
 */
describe('named prepared statements', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;

  beforeAll(async () => {
    db = await createTestDatabase('prepared');
  });

  afterAll(async () => {
    await db?.drop();
  });

  async function preparedAfterQueries(preparedStatements: boolean | undefined): Promise<{ statements: string[]; answers: unknown[] }> {
    const ds = createDataSource({ url: db.url, poolSize: 1, preparedStatements });
    await ds.initialize();
    const runner = ds.createQueryRunner();
    try {
      const answers = [];
      for (const n of [1, 2, 3]) answers.push(await runner.query('SELECT code FROM street WHERE code > $1 ORDER BY code LIMIT $2', ['', n]));
      await runner.query('SELECT 1 AS unparameterised');
      const rows: { statement: string }[] = await runner.query(`SELECT statement FROM pg_prepared_statements WHERE NOT from_sql`);
      return { statements: rows.map((r) => r.statement), answers: answers.map((a: unknown[]) => a.length) };
    } finally {
      await runner.release();
      await ds.destroy();
    }
  }

  it('prepares each parameterised statement once per connection, and answers as before', async () => {
    const on = await preparedAfterQueries(undefined);
    expect(on.statements).toEqual(['SELECT code FROM street WHERE code > $1 ORDER BY code LIMIT $2']);
    expect(on.answers).toEqual([1, 2, 3]);
  });

  it('sends every query unnamed when turned off', async () => {
    const off = await preparedAfterQueries(false);
    expect(off.statements).toEqual([]);
    expect(off.answers).toEqual([1, 2, 3]);
  });
});
