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

  it('adds construction sites, two checkpoints and the 市场外迁 campaign of five markets, one milestone past due and not done', async () => {
    expect(run.out).toMatch(/campaigns: 12 places \(construction sites, checkpoints, markets\), 市场外迁 with 5 markets and 8 progress reports/);
    await withDb(db.url, async (c) => {
      const places = (await c.query(`SELECT kind, count(*)::int AS n FROM place GROUP BY kind ORDER BY kind`)).rows;
      expect(places).toEqual([
        { kind: 'checkpoint', n: 2 },
        { kind: 'market', n: 5 },
        { kind: 'site', n: 5 },
      ]);
      const { rows } = await c.query(
        `SELECT c.name, (SELECT count(*) FROM campaign_item ci WHERE ci.campaign_id = c.id)::int AS items,
                (SELECT count(*) FROM campaign_milestone ms JOIN campaign_item ci ON ci.id = ms.item_id WHERE ci.campaign_id = c.id AND ms.done_at IS NOT NULL)::int AS met,
                (SELECT count(*) FROM campaign_milestone ms JOIN campaign_item ci ON ci.id = ms.item_id WHERE ci.campaign_id = c.id AND ms.done_at IS NULL AND ms.due_at < now())::int AS overdue
           FROM campaign c`,
      );
      expect(rows).toEqual([{ name: '市场外迁', items: 5, met: 6, overdue: 1 }]);
      // The overdue one waits for the dispatcher's timer (its sweep at start marks and escalates it).
      const timers = (await c.query(`SELECT count(*)::int AS n FROM outbox WHERE topic = 'job' AND name = 'check-milestone'`)).rows[0].n;
      expect(timers).toBe(15);
    });
  });

  it('refuses a bad flag, naming it, before touching the database', async () => {
    const bad = await runCliCommand(seedDemoCommand, ['--history-days', 'lots'], { DATABASE_URL: databaseUrl('wangge_t_does_not_exist') });
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--history-days needs a whole number, got "lots"/);
  });
});
