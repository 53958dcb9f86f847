import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASE_EVENT_LOG_SQL, CASE_HEADER_SQL } from '@wangge/workflow';
import { REFRESH_FACTS_SQL } from '../../libs/evaluation/src/facts/evaluation-facts.sql';
import { deltaSql } from '../../libs/evaluation/src/facts/evaluation-rollup.sql';
import { createTestDatabase } from '../support/database';

/** Statements of the fact refresh and the appeals list with the workflow's relations, their parameters, and indexes their plans use. */
const PROBES: [string, string, unknown[], string[]][] = [
  ['the fact refresh', REFRESH_FACTS_SQL, [10, 2000, 480], ['case_event_pkey', 'case_event_case_idx', 'case_file_pkey', 'category_standard_pkey']],
  ['the rollup delta', deltaSql(-1), [10, 2000, 480], ['case_event_pkey']],
  ['the newest seq', `SELECT max(seq) AS seq FROM ${CASE_EVENT_LOG_SQL} e`, [], ['Index Only Scan Backward using case_event_pkey']],
  ['a case header by id', `SELECT c.code, c.clock_type FROM ${CASE_HEADER_SQL} c WHERE c.case_id = $1`, ['00000000-0000-4000-8000-000000000000'], ['case_file_pkey']],
];

/**
 * Evaluation reads the case tables only through the workflow's relations (CASE_EVENT_LOG_SQL,
 * CASE_HEADER_SQL). They must stay plain projections that PostgreSQL pulls up into the outer
 * query, so the fact refresh keeps the plans of the tables themselves (their indexes).
 */
describe("the workflow's case relations in evaluation's SQL", () => {
  let db: Client;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const t = await createTestDatabase('case_relations');
    drop = t.drop;
    db = new Client({ connectionString: t.url });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await drop?.();
  });

  const plan = async (sql: string, params: unknown[]) => {
    await db.query('BEGIN');
    try {
      // the test database holds a handful of cases: ask whether the indexes can serve, not whether they are cheapest
      await db.query('SET LOCAL enable_seqscan = off');
      await db.query(`CREATE TEMP TABLE evaluation_daily_delta (LIKE evaluation_daily) ON COMMIT DROP`);
      const { rows } = await db.query(`EXPLAIN (COSTS OFF, FORMAT TEXT) ${sql}`, params);
      return rows.map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN']).join('\n');
    } finally {
      await db.query('ROLLBACK');
    }
  };

  it.each(PROBES)('%s: pulled up, read through the tables’ indexes', async (_name, sql, params, indexes) => {
    const text = await plan(sql, params);
    expect(text).not.toMatch(/Subquery Scan on (?!"\*SELECT\*")/);
    for (const index of indexes) expect(text).toContain(index);
  });
});
