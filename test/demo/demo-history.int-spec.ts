import { loadAppConfig, type AppConfig } from '@wangge/config';
import { createDataSource } from '@wangge/database';
import { seedHistory, type HistorySummary } from '@wangge/demo';
import { EVALUATION_GROUP_KINDS, EvaluationFactsService, recordAppealHistory, type EvaluationGroupKind } from '@wangge/evaluation';
import { RecurrenceHotspotsService, SYSTEM_ACTOR } from '@wangge/workflow';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluationSql, rollupEvaluationSql } from '../../libs/evaluation/src/evaluation.sql';
import { contributionsSql, ROLLUP_COLUMNS } from '../../libs/evaluation/src/facts/evaluation-rollup.sql';
import { STAGE_TIMELINESS_SQL, stageRows, type StageCountsRow } from '../../libs/evaluation/src/stage-timeliness';
import { publishPastBulletins } from '../../apps/cli/src/commands/demo-history';
import { createTestDatabase, TEST_JWT_SECRET } from '../support/database';

/**
 * A month of the demo district's history (libs/demo seedHistory), on copies of the seeded template:
 * the evaluation's own consistency checks hold on it, its events are in seq and time order, the
 * bulletins of its days are stored, and the same seed gives the same history.
 */
const END = new Date('2026-11-27T15:30:00+08:00'); // a Friday afternoon
const SEED = 7;
const OFFSET = 480;

let a: { ds: DataSource; drop: () => Promise<void>; summary: HistorySummary };
let b: { ds: DataSource; drop: () => Promise<void>; summary: HistorySummary };
let config: AppConfig;

async function seeded(label: string, seed: number) {
  const db = await createTestDatabase(label);
  const ds = createDataSource({ url: db.url, poolSize: 2 });
  await ds.initialize();
  const summary = await seedHistory(ds, { days: 30, seed, config, end: END, recordAppeals: recordAppealHistory });
  return { ds, summary, drop: async () => { await ds.destroy(); await db.drop(); } };
}

const q = async <T = Record<string, unknown>>(ds: DataSource, sql: string, params: unknown[] = []): Promise<T[]> => ds.query(sql, params);
const one = async <T = Record<string, unknown>>(ds: DataSource, sql: string, params: unknown[] = []): Promise<T> => (await q<T>(ds, sql, params))[0];

beforeAll(async () => {
  config = loadAppConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', JWT_SECRET: TEST_JWT_SECRET, DATABASE_URL: 'postgres://unused/db' });
  a = await seeded('history_a', SEED);
  b = await seeded('history_b', SEED);
}, 600_000);

afterAll(async () => {
  await a?.drop();
  await b?.drop();
});

describe('the demo history', () => {
  it('is generated in seconds', () => {
    console.info(`history of 30 days: ${a.summary.cases} cases, ${a.summary.events} events in ${a.summary.ms} ms`);
    expect(a.summary.ms).toBeGreaterThan(0);
  });

  it('is a month of cases with the loop’s variety: registered, dispatched, returned, reworked, extended, overdue and escalated, appealed, merged, rejected', async () => {
    const s = a.summary;
    expect(s.days).toBe(30);
    expect(s.cases).toBeGreaterThan(2000);
    expect(s.events).toBeGreaterThan(s.cases * 5);
    expect(s.byStatus.closed).toBeGreaterThan(s.cases * 0.6);
    for (const n of [s.overdue, s.escalated, s.returned, s.reworked, s.extended, s.appeals, s.merged, s.byStatus.rejected]) expect(n).toBeGreaterThan(3);
    const types = (await q<{ type: string }>(a.ds, `SELECT DISTINCT type FROM case_event`)).map((t) => t.type);
    expect(types).toEqual(expect.arrayContaining([
      'case.reported', 'case.registered', 'case.dispatched', 'case.accepted', 'case.returned', 'case.resolved', 'case.reworked', 'case.closed',
      'case.extension_requested', 'case.extended', 'case.overdue', 'case.escalated', 'case.appealed', 'case.appeal_decided', 'case.check_requested',
      'case.checked', 'case.merged', 'case.duplicate_merged', 'case.rejected',
    ]));
    // Reported by wardens, citizens and the hotline; categories of a 城管 centre first.
    const sources = await q<{ source: string; n: number }>(a.ds, `SELECT source, count(*)::int AS n FROM case_file GROUP BY source ORDER BY n DESC`);
    expect(sources.map((r) => r.source)).toEqual(['warden', 'citizen', 'hotline']);
    const top = await q<{ category_code: string }>(a.ds, `SELECT category_code FROM case_file GROUP BY category_code ORDER BY count(*) DESC LIMIT 5`);
    expect(top.map((r) => r.category_code)).toEqual(expect.arrayContaining(['E0504', 'E0102']));
    // Appeals: one row per appeal event, decided ones with their decision.
    expect(await one(a.ds, `SELECT (SELECT count(*) FROM appeal)::int AS rows, (SELECT count(*) FROM case_event WHERE type = 'case.appealed')::int AS events,
                               (SELECT count(*) FROM appeal WHERE status <> 'pending')::int AS decided, (SELECT count(*) FROM case_event WHERE type = 'case.appeal_decided')::int AS decisions`))
      .toEqual({ rows: s.appeals, events: s.appeals, decided: expect.any(Number), decisions: expect.any(Number) });
  });

  it('has daily and weekly rhythms: more on work days than on weekends, more by day than by night', async () => {
    const days = await q<{ dow: number; n: number }>(a.ds, `SELECT extract(isodow FROM created_at AT TIME ZONE 'Asia/Shanghai')::int AS dow, count(*)::int AS n FROM case_file GROUP BY 1`);
    const per = (d: number) => days.find((x) => x.dow === d)?.n ?? 0;
    expect(Math.min(per(2), per(3), per(4))).toBeGreaterThan(1.5 * Math.max(per(6), per(7)));
    const hours = await one<{ day: number; night: number }>(a.ds, `SELECT count(*) FILTER (WHERE h BETWEEN 8 AND 17)::int AS day, count(*) FILTER (WHERE h < 6)::int AS night
       FROM (SELECT extract(hour FROM created_at AT TIME ZONE 'Asia/Shanghai') AS h FROM case_file) x`);
    expect(hours.night).toBeLessThan(hours.day / 20);
  });

  it('keeps every event in seq order equal to time order, each case in the state its last event left it, codes per day of the report', async () => {
    expect(await one(a.ds, `SELECT count(*)::int AS n FROM (SELECT at, lag(at) OVER (ORDER BY seq) AS before FROM case_event) x WHERE at < before`)).toEqual({ n: 0 });
    expect(await one(a.ds, `SELECT count(*)::int AS n FROM (SELECT case_id, at, lag(at) OVER (PARTITION BY case_id ORDER BY seq) AS before FROM case_event) x WHERE at < before`)).toEqual({ n: 0 });
    expect(await one(a.ds, `SELECT count(*)::int AS n FROM case_event WHERE at > $1`, [END])).toEqual({ n: 0 });
    const mismatched = await one(a.ds, `
      SELECT count(*)::int AS n FROM case_file c
        JOIN LATERAL (SELECT to_status, type FROM case_event e WHERE e.case_id = c.id ORDER BY seq DESC LIMIT 1) l ON true
       WHERE l.to_status <> c.status OR c.code !~ ('^410104-' || to_char(c.created_at AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') || '-\\d{6}$')
          OR c.created_at <> (SELECT min(at) FROM case_event e WHERE e.case_id = c.id)`);
    expect(mismatched).toEqual({ n: 0 });
    // Deadlines on the real calendar: a work-hours dispatch after 18:00 on a Friday is due on the next work day.
    expect(await one(a.ds, `SELECT count(*)::int AS n FROM case_file WHERE status IN ('dispatched', 'in_progress') AND deadline_at IS NULL`)).toEqual({ n: 0 });
    // Overdue marks where the clock put them: at the deadline in force.
    expect(await one(a.ds, `SELECT count(*)::int AS n FROM case_event e WHERE type = 'case.overdue' AND e.at <> (e.evidence ->> 'deadlineAt')::timestamptz`)).toEqual({ n: 0 });
  });

  it("records the command centre's stages, back-dated with the cases, so 环节按时率 (groupBy=post) has real numbers", async () => {
    const limits = config.stageLimitsMin;
    // Every stage within its case's life, with the limit in force, ended by an event of the case at that instant.
    expect(await one(a.ds, `
      SELECT count(*)::int AS n FROM case_stage s JOIN case_file c ON c.id = s.case_id
       WHERE s.started_at < c.created_at OR s.started_at > $1 OR s.ended_at > $1
          OR s.due_at - s.started_at <> make_interval(mins => CASE s.stage WHEN 'register' THEN $2::int WHEN 'dispatch' THEN $3::int ELSE $4::int END)
          OR (s.ended_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM case_event e WHERE e.case_id = s.case_id AND e.at = s.ended_at))`,
      [END, limits.register, limits.dispatch, limits.check])).toEqual({ n: 0 });
    // A missed stage is marked at its due time with its case.stage_overdue event, told to the 值班长 on duty.
    expect(await one(a.ds, `
      SELECT count(*)::int AS n FROM case_stage s
       WHERE s.overdue_at IS NOT NULL AND (s.overdue_at <> s.due_at OR cardinality(s.escalated_to) <> 1 OR NOT EXISTS (
         SELECT 1 FROM case_event e WHERE e.case_id = s.case_id AND e.type = 'case.stage_overdue' AND e.at = s.due_at AND e.evidence ->> 'stage' = s.stage))`)).toEqual({ n: 0 });
    // Nothing left open past its due time unmarked; a case's open check is its warden's task (the access model's columns).
    expect(await one(a.ds, `SELECT count(*)::int AS n FROM case_stage WHERE ended_at IS NULL AND overdue_at IS NULL AND due_at < $1`, [END])).toEqual({ n: 0 });
    expect(await one(a.ds, `
      SELECT count(*)::int AS n FROM case_file c LEFT JOIN case_stage s ON s.case_id = c.id AND s.stage = 'check' AND s.ended_at IS NULL
       WHERE c.check_assigned <> (s.id IS NOT NULL) OR c.check_warden_id IS DISTINCT FROM s.assignee_id OR (s.id IS NOT NULL AND s.assignee_id IS NULL)`)).toEqual({ n: 0 });
    expect(await one(a.ds, `SELECT count(*)::int AS n FROM case_file c JOIN case_stage s ON s.case_id = c.id AND s.ended_at IS NULL WHERE c.status IN ('closed', 'rejected', 'merged', 'cancelled')`)).toEqual({ n: 0 });
    // The report of 环节按时率 over the month: every post has stages, most on time, some missed (against the post).
    const counted = await q<StageCountsRow>(a.ds, STAGE_TIMELINESS_SQL, [new Date('2026-10-28T00:00:00+08:00'), END, null, false]);
    const byPost = Object.fromEntries(stageRows(counted, 'post').map((r) => [r.post, r]));
    console.info(`stages: ${Object.values(byPost).map((r) => `${r.post} ${r.stages} (${r.overdue} late, on time ${((r.onTimeRate ?? 0) * 100).toFixed(1)} %)`).join('; ')}`);
    for (const post of ['intake', 'dispatch', 'supervisor']) {
      expect(byPost[post].stages, post).toBeGreaterThan(200);
      expect(byPost[post].onTimeRate, post).toBeGreaterThan(0.5);
    }
    for (const post of ['intake', 'supervisor']) {
      expect(byPost[post].overdue, post).toBeGreaterThan(10);
      expect(byPost[post].escalated, post).toBeGreaterThan(0);
      expect(byPost[post].onTimeRate, post).toBeLessThan(1);
    }
    // Each check opened gave its task (case.check_assigned), as the workflow does.
    const checks = await one<{ stages: number; events: number }>(a.ds, `SELECT (SELECT count(*) FROM case_stage WHERE stage = 'check')::int AS stages, (SELECT count(*) FROM case_event WHERE type = 'case.check_assigned')::int AS events`);
    expect(checks.stages).toBeGreaterThan(0);
    expect(checks.events).toBe(checks.stages);
    expect(a.summary.stages).toBe((await one<{ n: number }>(a.ds, `SELECT count(*)::int AS n FROM case_stage`)).n);
  });

  it('passes the evaluation engine’s consistency checks: facts equal a recomputation, rollups a rebuild, the rollup query the fact scan', async () => {
    const facts = new EvaluationFactsService(a.ds, config);
    await facts.refresh();
    const factRows = () => q(a.ds, `SELECT * FROM evaluation_case_fact ORDER BY case_id`);
    // As test/evaluation/rollups compares them: hours to 9 places, counts as numbers.
    const normalise = (rows: Record<string, unknown>[]) =>
      rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, k === 'handling_hours' ? Number(v).toFixed(9) : typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v])));
    const rollups = async () => normalise(await q(a.ds, `SELECT group_kind, day::text, group_id, ${ROLLUP_COLUMNS.join(', ')} FROM evaluation_daily ORDER BY 1, 2, 3`));
    const fromScratch = async () =>
      normalise(await q(a.ds, `SELECT group_kind, day::text AS day, group_id, ${ROLLUP_COLUMNS.join(', ')} FROM (${contributionsSql('true', 1, String(OFFSET))}) s ORDER BY 1, 2, 3`));
    const before = await factRows();
    expect(before.length).toBe(a.summary.cases);
    expect(await rollups()).toEqual(await fromScratch());
    // Every fact recomputed from all events: the same facts, the same rollups.
    await a.ds.query(`UPDATE evaluation_watermark SET last_seq = 0`);
    await facts.refresh();
    expect(await factRows()).toEqual(before);
    expect(await rollups()).toEqual(await fromScratch());
    let compared = 0;
    const day = (i: number) => new Date(Date.parse('2026-10-28T00:00:00+08:00') + i * 86_400_000);
    // Days spread over the month (work days, weekends, the last day), two ISO weeks and the whole month.
    const periods: [Date, Date][] = [...[0, 4, 5, 11, 17, 23, 29, 30].map((i): [Date, Date] => [day(i), day(i + 1)]), [day(5), day(12)], [day(12), day(19)], [day(0), day(31)]];
    for (const groupBy of EVALUATION_GROUP_KINDS as readonly EvaluationGroupKind[]) {
      for (const [from, to] of periods) {
        const local = (d: Date) => new Date(d.getTime() + OFFSET * 60_000).toISOString().slice(0, 10);
        const scan = await q(a.ds, evaluationSql(groupBy, []), [from, to]);
        const rolled = await q(a.ds, rollupEvaluationSql(groupBy), [from, to, groupBy, local(from), local(to)]);
        const norm = (rows: Record<string, unknown>[]) =>
          rows
            .map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v])))
            .filter((r) => Object.entries(r).some(([k, v]) => k !== 'group_id' && Number(v) !== 0))
            .sort((x, y) => String(x.group_id).localeCompare(String(y.group_id)));
        // Counts exactly; hours (float in one query, numeric in the other) to a millionth of their size.
        const [got, want] = [norm(rolled), norm(scan)];
        const counts = (rows: Record<string, unknown>[]) => rows.map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => !(typeof v === 'number' && !Number.isInteger(v)))));
        expect(counts(got), `${groupBy} ${local(from)}..${local(to)}`).toEqual(counts(want));
        got.forEach((r, i) => {
          for (const [k, v] of Object.entries(want[i])) {
            if (typeof v === 'number' && !Number.isInteger(v)) expect(Math.abs(Number(r[k]) - v), `${groupBy} ${k}`).toBeLessThan(1e-6 * Math.max(1, Math.abs(v)));
          }
        });
        compared += norm(scan).length;
      }
    }
    expect(compared).toBeGreaterThan(300);
  }, 300_000);

  it('stores the daily summary of every past day and the bulletin of every past week, with real numbers and hotspots', async () => {
    const published = await publishPastBulletins(a.ds, config, a.summary.from ?? '', END);
    expect(published).toEqual({ daily: 30, weekly: 4 });
    const daily = await q<{ period: string; reported: number; hotspots: number }>(a.ds, `
      SELECT period, (document -> 'totals' -> 'counts' ->> 'reported')::int AS reported, jsonb_array_length(coalesce(document -> 'hotspots', '[]')) AS hotspots
        FROM bulletin WHERE kind = 'daily' ORDER BY period`);
    expect(daily.map((d) => d.period)).toEqual(Array.from({ length: 30 }, (_, i) => new Date(Date.parse('2026-10-28T00:00:00Z') + i * 86_400_000).toISOString().slice(0, 10)));
    const weekly = await q<{ period: string }>(a.ds, `SELECT period FROM bulletin WHERE kind = 'weekly' ORDER BY period`);
    expect(weekly.map((w) => w.period)).toEqual(['2026-W44', '2026-W45', '2026-W46', '2026-W47']);
    // Published as the schedule would have: after each period, in order.
    expect(await one(a.ds, `SELECT count(*)::int AS n FROM bulletin WHERE generated_at < period_to OR generated_at > $1`, [END])).toEqual({ n: 0 });
    const hotspots = await new RecurrenceHotspotsService(a.ds).find({ from: new Date('2026-10-28T00:00:00+08:00'), to: END, radiusM: 50, windowDays: 30, caller: SYSTEM_ACTOR });
    expect(hotspots.length).toBeGreaterThanOrEqual(4);
  }, 300_000);

  it('is never made in production', async () => {
    const production = { ...config, env: 'production' as const };
    await expect(seedHistory(a.ds, { days: 30, seed: SEED, config: production, end: END })).rejects.toThrow(/never built in production/);
  });

  it('is the same history for the same seed', async () => {
    expect(b.summary).toEqual({ ...a.summary, ms: b.summary.ms });
    const history = (ds: DataSource) => q(ds, `
      SELECT c.id, c.code, c.status, c.category_code, c.source, c.created_at, ST_AsText(c.location) AS at, c.assignee_chief_id, c.deadline_at,
             (SELECT json_agg(json_build_object('type', e.type, 'at', e.at, 'actor', e.actor_id, 'state', e.state) ORDER BY e.seq) FROM case_event e WHERE e.case_id = c.id) AS events
        FROM case_file c ORDER BY c.code`);
    expect(await history(b.ds)).toEqual(await history(a.ds));
  }, 120_000);
});
