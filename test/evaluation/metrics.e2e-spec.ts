import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvaluationCounts, EvaluationReport } from '@wangge/evaluation';
import { startIntake, type RunningApp } from '../support/apps';
import { api, chiefIdOf, withDb } from '../support/cases';
import { craftCase, type CraftedEvent } from './crafted-cases';

/**
 * Crafted case histories whose metrics are counted by hand below (docs/evaluation.md).
 * Period: January 2026 (local time, +08:00). Chief A = chief3, chief B = chief2.
 * Street S1 holds A's cases (and c5, c11), street S2 holds B's.
 */
let app: RunningApp;
let http: ReturnType<typeof api>;
let leader: string;
let A: number;
let B: number;
let S1: { street: string; community: string; cell: string };
let S2: { street: string; community: string; cell: string };
/** Standards: urgent_hours (continuous) and work_hours (08-12, 14-18 on work days). */
let urgent: { id: number; category: string };
let work: { id: number; category: string };

const d = (type: string, at: string, extra: Partial<CraftedEvent> = {}): CraftedEvent => ({ type, at, ...extra });
const reportAndRegister = (at: string): CraftedEvent[] => [d('case.reported', at), d('case.registered', at)];

beforeAll(async () => {
  app = await startIntake('evaluation_metrics');
  http = api(app);
  leader = await app.bearer('leader');
  await withDb(app.databaseUrl, async (db) => {
    A = await chiefIdOf(db, 'chief3');
    B = await chiefIdOf(db, 'chief2');
    const { rows: cells } = await db.query(
      `SELECT DISTINCT ON (street_code) street_code AS street, community_code AS community, code AS cell FROM grid_cell ORDER BY street_code, code LIMIT 2`,
    );
    [S1, S2] = cells;
    const { rows: std } = await db.query(
      `SELECT DISTINCT ON (clock_type) id, category_code AS category, clock_type FROM category_standard
        WHERE clock_type = 'urgent_hours' ORDER BY clock_type, id`,
    );
    urgent = std[0];
    // A work-hour standard of another category, so the category rows tell the two apart.
    const { rows: workStd } = await db.query(
      `SELECT id, category_code AS category FROM category_standard WHERE clock_type = 'work_hours' AND category_code <> $1 ORDER BY id LIMIT 1`,
      [urgent.category],
    );
    work = workStd[0];

    const a = (events: CraftedEvent[], std = urgent) => craftCase(db, { cell: S1.cell, category: std.category, standardId: std.id, events });
    const b = (events: CraftedEvent[], std = urgent) => craftCase(db, { cell: S2.cell, category: std.category, standardId: std.id, events });

    // c1 on time: handled in 2 h, closed before the deadline.
    const c1 = await a([...reportAndRegister('2026-01-05T09:00'), d('case.dispatched', '2026-01-05T09:20', { chief: A, deadline: '2026-01-05T13:20' }),
      d('case.resolved', '2026-01-05T11:20'), d('case.closed', '2026-01-05T12:00')]);
    // c2 rework: resolved on time, reworked, resolved again late (6 h after dispatch).
    await a([...reportAndRegister('2026-01-06T09:00'), d('case.dispatched', '2026-01-06T10:00', { chief: A, deadline: '2026-01-06T14:00' }),
      d('case.resolved', '2026-01-06T12:00'), d('case.reworked', '2026-01-06T13:00'), d('case.resolved', '2026-01-06T16:00'), d('case.closed', '2026-01-06T17:00')]);
    // c3 extension, work-hour clock: Wed 10:00 → Thu 10:00 = 2 + 4 + 2 = 8 work hours; the extended deadline counts.
    await a([...reportAndRegister('2026-01-07T09:00'), d('case.dispatched', '2026-01-07T10:00', { chief: A, deadline: '2026-01-07T14:00' }),
      d('case.extended', '2026-01-07T13:00', { deadline: '2026-01-08T14:00' }), d('case.resolved', '2026-01-08T10:00'), d('case.closed', '2026-01-08T11:00')], work);
    // c4 open overdue at the period end.
    await a([...reportAndRegister('2026-01-20T09:00'), d('case.dispatched', '2026-01-20T10:00', { chief: A, deadline: '2026-01-20T14:00' }),
      d('case.overdue', '2026-01-20T14:00')]);
    // c5 merged duplicate (of c1): counted nowhere.
    await craftCase(db, { cell: S1.cell, category: urgent.category, standardId: urgent.id, events: [d('case.reported', '2026-01-09T09:00'), d('case.merged', '2026-01-09T10:00')] }, c1);
    // c6 crosses the boundary: reported, registered, dispatched in December; due, handled (Dec 30 11:00 → Jan 3 09:00 = 94 h) and closed in January.
    await a([...reportAndRegister('2025-12-30T10:00'), d('case.dispatched', '2025-12-30T11:00', { chief: A, deadline: '2026-01-02T11:00' }),
      d('case.resolved', '2026-01-03T09:00'), d('case.closed', '2026-01-03T10:00')]);
    // c7 approved appeal: overdue, resolved late (8 h), exempt from timeliness.
    await a([...reportAndRegister('2026-01-12T09:00'), d('case.dispatched', '2026-01-12T10:00', { chief: A, deadline: '2026-01-12T14:00' }),
      d('case.overdue', '2026-01-12T14:00'), d('case.resolved', '2026-01-12T18:00'), d('case.appealed', '2026-01-12T19:00'),
      d('case.appeal_decided', '2026-01-13T09:00', { approved: true })]);
    // c8 rejected appeal: still due and late; handled in 24 h.
    await b([...reportAndRegister('2026-01-13T09:00'), d('case.dispatched', '2026-01-13T10:00', { chief: B, deadline: '2026-01-13T14:00' }),
      d('case.overdue', '2026-01-13T14:00'), d('case.appealed', '2026-01-13T15:00'), d('case.appeal_decided', '2026-01-13T16:00', { approved: false }),
      d('case.resolved', '2026-01-14T10:00'), d('case.closed', '2026-01-14T11:00')]);
    // c9 overdue since December and still open: due in December and again in January.
    await b([...reportAndRegister('2025-12-20T09:00'), d('case.dispatched', '2025-12-20T10:00', { chief: B, deadline: '2025-12-21T10:00' }),
      d('case.overdue', '2025-12-21T10:00')]);
    // c10 cancelled before its deadline: dispatched, never due.
    await b([...reportAndRegister('2026-01-15T09:00'), d('case.dispatched', '2026-01-15T10:00', { chief: B, deadline: '2026-01-15T14:00' }),
      d('case.cancelled', '2026-01-15T12:00')]);
    // c11 reported and rejected (no chief).
    await craftCase(db, { cell: S1.cell, category: urgent.category, standardId: urgent.id, events: [d('case.reported', '2026-01-16T09:00'), d('case.rejected', '2026-01-16T10:00')] });
    // c12 returned by A, dispatched again to B: counts for B only (on time, 3.5 h).
    await b([...reportAndRegister('2026-01-17T09:00'), d('case.dispatched', '2026-01-17T10:00', { chief: A, deadline: '2026-01-17T14:00' }),
      d('case.returned', '2026-01-17T11:00'), d('case.dispatched', '2026-01-17T11:30', { chief: B, deadline: '2026-01-17T15:30' }),
      d('case.resolved', '2026-01-17T15:00'), d('case.closed', '2026-01-17T15:30')]);
  });
}, 120_000);

afterAll(async () => {
  await app?.close();
});

async function evaluate(query: string, auth = leader): Promise<EvaluationReport> {
  const res = await http.get<EvaluationReport>(`/api/v1/evaluation?${query}`, auth);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as unknown as EvaluationReport;
}

const zero: EvaluationCounts = {
  reported: 0, registered: 0, registeredClosed: 0, closed: 0, dispatched: 0, due: 0, resolvedOnTime: 0, closedOnTime: 0,
  extended: 0, overdueOpen: 0, exempted: 0, handled: 0, resolutions: 0, reworks: 0, handlingHours: 0,
};

describe('metrics of crafted case histories, counted by hand', () => {
  // [group, id, counts, metrics, score, rank]
  const january: [string, () => string, Partial<EvaluationCounts>, Record<string, number | null>, number, number][] = [
    [
      'chief A',
      () => String(A),
      // reported/registered/dispatched c1 c2 c3 c4 c7; closed c1 c2 c3 c6; due c1 c2 c3 c4 c6 (c7 exempt);
      // on time c1 c3; closed on time c1 c3; handled c1 c2 c3 c6 c7 = 2 + 6 + 8 + 94 + 8 h
      { reported: 5, registered: 5, registeredClosed: 3, closed: 4, dispatched: 5, due: 5, resolvedOnTime: 2, closedOnTime: 2, extended: 1,
        overdueOpen: 1, exempted: 1, handled: 5, resolutions: 6, reworks: 1, handlingHours: 118 },
      { registrationRate: null, onTimeHandlingRate: 0.4, closingRate: 0.6, onTimeClosingRate: 0.4, reworkRate: 1 / 6, overdueRate: 0.2,
        extensionRate: 0.2, overdueOpenCount: 1, meanHandlingHours: 23.6 },
      // (40*30 + 60*20 + (500/6)*20 + 80*20 + 80*10) / 100
      64.67,
      2,
    ],
    [
      'chief B',
      () => String(B),
      // reported c8 c10 c12; due c8, c9 (carried over, open), c12; on time c12; handled c8 (24 h), c12 (3.5 h)
      { reported: 3, registered: 3, registeredClosed: 2, closed: 2, dispatched: 3, due: 3, resolvedOnTime: 1, closedOnTime: 1, extended: 0,
        overdueOpen: 1, exempted: 0, handled: 2, resolutions: 2, reworks: 0, handlingHours: 27.5 },
      { registrationRate: null, onTimeHandlingRate: 1 / 3, closingRate: 2 / 3, onTimeClosingRate: 1 / 3, reworkRate: 0, overdueRate: 1 / 3,
        extensionRate: 0, overdueOpenCount: 1, meanHandlingHours: 13.75 },
      // (33.33*30 + 66.67*20 + 100*20 + 66.67*20 + 100*10) / 100
      66.67,
      1,
    ],
  ];

  it.each(january)('January by chief: %s', async (_name, id, counts, metrics, score, rank) => {
    const report = await evaluate('from=2026-01-01&to=2026-01-31&groupBy=chief');
    expect(report.formula.version).toBe(1);
    expect(report.period).toEqual({ from: '2025-12-31T16:00:00.000Z', to: '2026-01-31T16:00:00.000Z' });
    expect(report.rows.map((r) => r.group.id)).toEqual([String(B), String(A)]);
    const row = report.rows.find((r) => r.group.id === id())!;
    expect(row.counts).toEqual({ ...zero, ...counts });
    for (const [k, v] of Object.entries(metrics)) {
      if (v === null) expect(row.metrics[k as keyof typeof row.metrics], k).toBeNull();
      else expect(row.metrics[k as keyof typeof row.metrics], k).toBeCloseTo(v, 10);
    }
    expect(row.score).toBe(score);
    expect(row.rank).toBe(rank);
    expect(row.group.level).toBeTypeOf('number');
  });

  it('by street: the merged duplicate is left out of the registration rate, the rejected report is in', async () => {
    const report = await evaluate('from=2026-01-01&to=2026-01-31&groupBy=street');
    const s1 = report.rows.find((r) => r.group.id === S1.street)!;
    const s2 = report.rows.find((r) => r.group.id === S2.street)!;
    // S1: reported c1 c2 c3 c4 c7 c11 (c5 merged, c6 December); registered the first five.
    expect([s1.counts.reported, s1.counts.registered, s1.metrics.registrationRate]).toEqual([6, 5, 5 / 6]);
    expect(s1.counts.due).toBe(5);
    expect(s1.group.name).toBeTruthy();
    // S2 holds c12 whose first dispatch went to A: the street counts it once.
    expect([s2.counts.reported, s2.counts.registered, s2.counts.due, s2.counts.resolvedOnTime]).toEqual([3, 3, 3, 1]);
    expect(report.totals.counts.reported).toBe(9);
  });

  it('by category and community: every crafted case lands in exactly one row', async () => {
    const byCategory = await evaluate('from=2026-01-01&to=2026-01-31&groupBy=category');
    expect(byCategory.rows.find((r) => r.group.id === work.category)!.counts).toMatchObject({ due: 1, extended: 1, handled: 1, handlingHours: 8 });
    expect(byCategory.totals.counts.due).toBe(8);
    const byCommunity = await evaluate('from=2026-01-01&to=2026-01-31&groupBy=community');
    expect(byCommunity.rows.map((r) => r.group.id).sort()).toEqual([S1.community, S2.community].sort());
    expect(byCommunity.totals.counts).toEqual(byCategory.totals.counts);
  });

  it('December: the boundary case is reported, registered and dispatched there, the carried-over case is due and open', async () => {
    const report = await evaluate('from=2025-12-01&to=2025-12-31&groupBy=chief');
    const a = report.rows.find((r) => r.group.id === String(A))!;
    const b = report.rows.find((r) => r.group.id === String(B))!;
    expect(a.counts).toEqual({ ...zero, reported: 1, registered: 1, dispatched: 1 });
    // Only the closing rate has a denominator: 0 of 1 registered closed by December's end.
    expect([a.metrics.closingRate, a.score]).toEqual([0, 0]);
    expect(b.counts).toEqual({ ...zero, reported: 1, registered: 1, dispatched: 1, due: 1, overdueOpen: 1 });
    // (0*30 + 0*20 + (1-1)*100*20 + (1-0)*100*10) / (30 + 20 + 20 + 10); no resolutions: no rework component.
    expect(b.score).toBe(12.5);
    expect([b.rank, a.rank]).toEqual([1, 2]);
  });

  it('a half-open instant range: January 5 12:00 to 13:00 holds the close of c1 and the still-open overdue c9', async () => {
    const report = await evaluate('from=2026-01-05T12:00:00%2B08:00&to=2026-01-05T13:00:00%2B08:00&groupBy=chief');
    expect(report.rows.find((r) => r.group.id === String(A))!.counts).toEqual({ ...zero, closed: 1 });
    expect(report.rows.find((r) => r.group.id === String(B))!.counts).toEqual({ ...zero, due: 1, overdueOpen: 1 });
    expect(report.rows).toHaveLength(2);
  });

  it('the facts follow new events: a late resolution of c4 moves it out of the open overdue count', async () => {
    await withDb(app.databaseUrl, async (db) => {
      const { rows } = await db.query(
        `SELECT case_id FROM case_event WHERE type = 'case.dispatched' AND at = $1`, [new Date('2026-01-20T10:00:00+08:00')],
      );
      await db.query(`INSERT INTO case_event (case_id, type, actor_role, to_status, at) VALUES ($1, 'case.resolved', 'system', 'resolved', $2)`, [
        rows[0].case_id, new Date('2026-02-02T10:00:00+08:00'),
      ]);
    });
    const jan = await evaluate('from=2026-01-01&to=2026-01-31&groupBy=chief');
    // Resolved after January ended: still open overdue at January's end.
    expect(jan.rows.find((r) => r.group.id === String(A))!.counts.overdueOpen).toBe(1);
    const feb = await evaluate('from=2026-02-01&to=2026-02-28&groupBy=chief');
    const a = feb.rows.find((r) => r.group.id === String(A))!;
    // February: c4 carried over (open at Feb 1), handled late on Feb 2 (13 days after dispatch).
    expect(a.counts).toMatchObject({ due: 1, resolvedOnTime: 0, overdueOpen: 0, handled: 1, handlingHours: 13 * 24 });
  });
});

describe('ranking ties and formula versions', () => {
  beforeAll(async () => {
    await withDb(app.databaseUrl, async (db) => {
      const chiefs: number[] = (await db.query(`SELECT c.id FROM road_chief c WHERE c.id <> ALL($1) ORDER BY c.id LIMIT 3`, [[A, B]])).rows.map((r) => r.id);
      const [x, y, z] = chiefs;
      const onTime = (chief: number, day: string) =>
        craftCase(db, { cell: S1.cell, category: urgent.category, standardId: urgent.id, events: [
          ...reportAndRegister(`${day}T09:00`), d('case.dispatched', `${day}T10:00`, { chief, deadline: `${day}T14:00` }),
          d('case.resolved', `${day}T11:00`), d('case.closed', `${day}T12:00`)] });
      await onTime(x, '2026-03-02');
      await onTime(y, '2026-03-03');
      // z: late and extended.
      await craftCase(db, { cell: S1.cell, category: urgent.category, standardId: urgent.id, events: [
        ...reportAndRegister('2026-03-04T09:00'), d('case.dispatched', '2026-03-04T10:00', { chief: z, deadline: '2026-03-04T14:00' }),
        d('case.extended', '2026-03-04T13:00', { deadline: '2026-03-04T15:00' }), d('case.resolved', '2026-03-04T16:00'), d('case.closed', '2026-03-04T17:00')] });
    });
  });

  it('equal scores share a rank and the next rank skips (1, 1, 3), ties ordered by id', async () => {
    const report = await evaluate('from=2026-03-01&to=2026-03-31&groupBy=chief');
    // z: on time 0/1, closed 1/1, rework 0/1, overdue open 0/1, extended 1/1 → (0 + 100*20 + 100*20 + 100*20 + 0) / 100 = 60;
    // B: c9 still open overdue → (0*30 + 0*20 + 100*10) / 60 = 16.67.
    expect(report.rows.map((r) => [r.score, r.rank])).toEqual([[100, 1], [100, 1], [60, 3], [16.67, 4]]);
    expect(report.rows[3].group.id).toBe(String(B));
    expect(Number(report.rows[0].group.id)).toBeLessThan(Number(report.rows[1].group.id));
  });

  it('a new formula version applies from its date; January keeps version 1 and its numbers', async () => {
    const before = await evaluate('from=2026-01-01&to=2026-01-31&groupBy=chief');
    await withDb(app.databaseUrl, async (db) => {
      await db.query(`INSERT INTO evaluation_formula (version, weights, effective_from, note) VALUES (2, $1, $2, 'on time only')`, [
        { onTimeHandlingRate: 1, closingRate: 0, reworkRate: 0, overdueRate: 0, extensionRate: 0 },
        new Date('2026-02-01T00:00:00+08:00'),
      ]);
      // Versions are frozen.
      await expect(db.query(`UPDATE evaluation_formula SET weights = '{}' WHERE version = 1`)).rejects.toThrow(/frozen/);
    });
    const after = await evaluate('from=2026-01-01&to=2026-01-31&groupBy=chief');
    expect(after.formula.version).toBe(1);
    expect(after.rows.map((r) => [r.group.id, r.score, r.rank])).toEqual(before.rows.map((r) => [r.group.id, r.score, r.rank]));
    const march = await evaluate('from=2026-03-01&to=2026-03-31&groupBy=chief');
    expect(march.formula.version).toBe(2);
    // z and B: on time 0 of 1 → 0 under "on time only"; the tie at 0 is ordered by id.
    expect(march.rows.map((r) => [r.score, r.rank])).toEqual([[100, 1], [100, 1], [0, 3], [0, 3]]);
    const asked = await evaluate('from=2026-01-01&to=2026-01-31&groupBy=chief&formulaVersion=2');
    expect(asked.formula.version).toBe(2);
    expect(asked.rows.map((r) => [r.group.id, r.score])).toEqual([[String(A), 40], [String(B), 33.33]]);
    const formulas = await http.get<{ version: number }[]>('/api/v1/evaluation/formulas', leader);
    expect((formulas.body as unknown as { version: number }[]).map((f) => f.version)).toEqual([1, 2]);
  });
});
