import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrendsReport } from '@wangge/evaluation';
import { startIntake, type RunningApp } from '../support/apps';
import { api, chiefIdOf, withDb } from '../support/cases';
import { craftCase, type CraftedEvent } from './crafted-cases';

/**
 * GET /api/v1/evaluation/trends: the counts per local day from the case events, filtered by street
 * and category, scoped by the one access model (a chief: their cases; street staff: their street).
 */
let app: RunningApp;
let http: ReturnType<typeof api>;
const auth: Record<string, string> = {};
let S1: { street: string; cell: string };
let S2: { street: string; cell: string };
let std: { id: number; category: string };

const d = (type: string, at: string, extra: Partial<CraftedEvent> = {}): CraftedEvent => ({ type, at, ...extra });

beforeAll(async () => {
  app = await startIntake('evaluation_trends');
  http = api(app);
  await withDb(app.databaseUrl, async (db) => {
    const A = await chiefIdOf(db, 'chief3');
    const B = await chiefIdOf(db, 'chief2');
    [S1, S2] = (await db.query(`SELECT DISTINCT ON (street_code) street_code AS street, code AS cell FROM grid_cell ORDER BY street_code, code LIMIT 2`)).rows;
    std = (await db.query(`SELECT id, category_code AS category FROM category_standard WHERE clock_type = 'urgent_hours' ORDER BY id LIMIT 1`)).rows[0];
    await db.query(
      `INSERT INTO app_user (username, name, role, password_hash, street_code)
       SELECT 'trend-op', '街道操作员', 'operator', password_hash, $1 FROM app_user WHERE username = 'operator'`,
      [S2.street],
    );
    const start = (day: string, chief: number) => [
      d('case.reported', `${day}T09:00`),
      d('case.registered', `${day}T09:00`),
      d('case.dispatched', `${day}T10:00`, { chief, deadline: `${day}T14:00` }),
      d('case.accepted', `${day}T10:30`),
    ];
    // April 6, S1, chief A: overdue at 14:00. April 7, S1, chief A: resolved at 12:00 (2 h), closed 13:00.
    // April 8, S2, chief B: overdue. April 8, S2, chief B: only reported (not yet registered).
    await craftCase(db, { cell: S1.cell, category: std.category, standardId: std.id, events: [...start('2026-04-06', A), d('case.overdue', '2026-04-06T14:00')] });
    await craftCase(db, {
      cell: S1.cell,
      category: std.category,
      standardId: std.id,
      events: [...start('2026-04-07', A), d('case.resolved', '2026-04-07T12:00'), d('case.closed', '2026-04-07T13:00')],
    });
    await craftCase(db, { cell: S2.cell, category: std.category, standardId: std.id, events: [...start('2026-04-08', B), d('case.overdue', '2026-04-08T14:00')] });
    await craftCase(db, { cell: S2.cell, category: std.category, standardId: std.id, events: [d('case.reported', '2026-04-08T16:00')] });
    // Today: a case whose deadline is still to come (in two hours) is not overdue yet.
    const soon = new Date(Date.now() + 2 * 3600_000).toISOString();
    const hourAgo = new Date(Date.now() - 3600_000).toISOString();
    await craftCase(db, {
      cell: S1.cell,
      category: std.category,
      standardId: std.id,
      events: [d('case.reported', hourAgo), d('case.registered', hourAgo), d('case.dispatched', hourAgo, { chief: A, deadline: soon }), d('case.accepted', hourAgo)],
    });
  });
  for (const u of ['leader', 'operator', 'chief3', 'chief2', 'warden1', 'trend-op']) auth[u] = await app.bearer(u);
}, 120_000);

afterAll(async () => {
  await app?.close();
});

const PERIOD = 'from=2026-04-05&to=2026-04-09';

async function trends(user: string, query = PERIOD): Promise<TrendsReport> {
  const res = await http.get<TrendsReport>(`/api/v1/evaluation/trends?${query}`, auth[user]);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as unknown as TrendsReport;
}

const series = (r: TrendsReport, key: 'reported' | 'registered' | 'closed' | 'overdue' | 'handled') => r.days.map((x) => x[key]);

describe('GET /api/v1/evaluation/trends', () => {
  it('counts each day of the period (every day listed, the empty ones at 0) and the mean handling time', async () => {
    const r = await trends('leader');
    expect(r.days.map((x) => x.day)).toEqual(['2026-04-05', '2026-04-06', '2026-04-07', '2026-04-08', '2026-04-09']);
    expect(series(r, 'reported')).toEqual([0, 1, 1, 2, 0]);
    expect(series(r, 'registered')).toEqual([0, 1, 1, 1, 0]);
    expect(series(r, 'closed')).toEqual([0, 0, 1, 0, 0]);
    expect(series(r, 'overdue')).toEqual([0, 1, 0, 1, 0]);
    expect(series(r, 'handled')).toEqual([0, 0, 1, 0, 0]);
    expect(r.days[2].meanHandlingHours).toBeCloseTo(2, 5);
    expect(r.totals).toMatchObject({ reported: 4, registered: 3, closed: 1, overdue: 2, handled: 1 });
    expect(r.totals.meanHandlingHours).toBeCloseTo(2, 5);
  });

  it('agrees with GET /evaluation over the same period (reported, registered, closed, mean handling time)', async () => {
    const r = await trends('leader');
    const ev = await http.get<{ totals: { counts: Record<string, number>; metrics: { meanHandlingHours: number | null } } }>(
      `/api/v1/evaluation?${PERIOD}&groupBy=street`,
      auth.leader,
    );
    const totals = (ev.body as unknown as { totals: { counts: Record<string, number>; metrics: { meanHandlingHours: number | null } } }).totals;
    expect(r.totals.reported).toBe(totals.counts.reported);
    expect(r.totals.registered).toBe(totals.counts.registered);
    expect(r.totals.closed).toBe(totals.counts.closed);
    expect(r.totals.handled).toBe(totals.counts.handled);
    expect(r.totals.meanHandlingHours).toBeCloseTo(totals.metrics.meanHandlingHours!, 2);
  });

  it('a deadline still to come is not counted overdue (the period may end after now)', async () => {
    const now = Date.now();
    const local = (t: number) => new Date(t + 8 * 3600_000).toISOString().slice(0, 10);
    const r = await trends('leader', `from=${local(now - 86_400_000)}&to=${local(now + 86_400_000)}`);
    expect(r.totals.reported).toBeGreaterThanOrEqual(1);
    expect(r.totals.overdue).toBe(0);
  });

  it('filters by street and by category', async () => {
    expect(series(await trends('leader', `${PERIOD}&street=${S1.street}`), 'reported')).toEqual([0, 1, 1, 0, 0]);
    expect(series(await trends('leader', `${PERIOD}&street=${S2.street}`), 'reported')).toEqual([0, 0, 0, 2, 0]);
    expect((await trends('leader', `${PERIOD}&category=${std.category}`)).totals.reported).toBe(4);
    const other = std.category === 'E0101' ? 'E0102' : 'E0101';
    expect((await trends('leader', `${PERIOD}&category=${other}`)).totals.reported).toBe(0);
  });

  it('is scoped by the access model: a chief sees their cases only, a street operator their street only', async () => {
    // chief3 (A) handles the S1 cases; chief2 (B) the dispatched S2 one (not the S2 case never dispatched).
    expect(series(await trends('chief3'), 'reported')).toEqual([0, 1, 1, 0, 0]);
    expect(series(await trends('chief2'), 'reported')).toEqual([0, 0, 0, 1, 0]);
    expect(series(await trends('trend-op'), 'reported')).toEqual([0, 0, 0, 2, 0]);
    // Asking for another street does not widen the scope.
    expect((await trends('trend-op', `${PERIOD}&street=${S1.street}`)).totals.reported).toBe(0);
    expect((await trends('chief2', `${PERIOD}&street=${S1.street}`)).totals.reported).toBe(0);
  });

  it.each([
    ['warden1', 403],
    [undefined, 401],
  ])('%s may not read trends (%i)', async (user, status) => {
    const res = await http.get(`/api/v1/evaluation/trends?${PERIOD}`, user ? auth[user] : undefined);
    expect(res.status).toBe(status);
  });

  it.each([
    ['to=2026-04-09', 'from'],
    ['from=2026-04-05', 'to'],
    ['from=2026-02-30&to=2026-04-09', 'from'],
    ['from=2026-04-09&to=2026-04-05', 'from'],
    ['from=2024-01-01&to=2026-04-09', 'to'],
    [`${PERIOD}&street=41010`, 'street'],
    [`${PERIOD}&category=pothole`, 'category'],
    [`${PERIOD}&extra=1`, 'extra'],
  ])('bad input %s → 400 naming %s', async (query, field) => {
    const res = await http.get(`/api/v1/evaluation/trends?${query}`, auth.leader);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.details?.map((x) => x.field)).toContain(field);
  });
});
