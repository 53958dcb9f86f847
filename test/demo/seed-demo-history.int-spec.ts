import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoCommand } from '../../apps/cli/src/commands/seed-demo.command';
import { runCliCommand } from '../support/cli';
import { createEmptyDatabase, databaseUrl } from '../support/database';
import { withDb } from '../support/cases';

/** `npm run seed:demo -- --history-days N --seed N` on an empty database: the district, its history, the history's bulletins. */
describe('seed-demo with a history', () => {
  let db: Awaited<ReturnType<typeof createEmptyDatabase>>;
  let run: Awaited<ReturnType<typeof runCliCommand>>;

  beforeAll(async () => {
    db = await createEmptyDatabase('seed_history_cli');
    run = await runCliCommand(seedDemoCommand, ['--history-days', '3', '--seed', '3'], { DATABASE_URL: db.url });
  }, 600_000);
  afterAll(async () => {
    await db?.drop();
  });

  it('seeds the district, three days of cases with their appeals and the bulletins of the past days, and says so', async () => {
    expect(run.code, run.err).toBe(0);
    expect(run.out).toMatch(/history: \d+ cases over 3 days/);
    expect(run.out).toMatch(/evaluation and bulletins of the history: 3 daily summaries/);
    expect(run.out).toContain('history 历史案卷');
    await withDb(db.url, async (c) => {
      const { rows } = await c.query(`SELECT (SELECT count(*) FROM case_file)::int AS cases, (SELECT count(*) FROM bulletin WHERE kind = 'daily')::int AS daily,
                                             (SELECT count(*) FROM case_event WHERE type = 'case.appealed')::int AS appealed, (SELECT count(*) FROM appeal)::int AS appeals,
                                             (SELECT last_seq FROM evaluation_watermark)::int AS watermark, (SELECT max(seq) FROM case_event)::int AS top`);
      expect(rows[0].cases).toBeGreaterThan(150);
      expect(rows[0].daily).toBe(3);
      expect(rows[0].appeals).toBe(rows[0].appealed);
      expect(rows[0].watermark).toBe(rows[0].top);
    });
  });

  it('refuses a bad flag, naming it, before touching the database', async () => {
    const bad = await runCliCommand(seedDemoCommand, ['--history-days', 'lots'], { DATABASE_URL: databaseUrl('wangge_t_does_not_exist') });
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--history-days needs a whole number, got "lots"/);
  });
});
