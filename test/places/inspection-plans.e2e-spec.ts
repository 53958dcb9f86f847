import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@wangge/clock';
import { DutyClockService, InspectionClockService } from '@wangge/places';
import { InspectionSweeper } from '../../apps/dispatcher/src/clocks/inspection-sweeper';
import { FeedClient } from '../feed/helpers/feed-client';
import { startDispatcher, startFeed, startIntake, type RunningApp } from '../support/apps';
import { api, pointInWardenCell, pointOutsideWarden, withDb } from '../support/cases';
import { startRedisServer, type RedisServer } from '../support/redis-server';

interface PlaceBody {
  id: string;
  point: { lng: number; lat: number };
}
interface ChecklistBody {
  id: string;
  name: string;
  items: { code: string }[];
}
interface PlanBody {
  id: string;
  places: { id: string }[];
  every: string;
  active: boolean;
}
interface DueBody {
  id: string;
  place: { id: string };
  slotStart: string;
  dueAt: string;
  state: string;
  overdue: boolean;
}
interface DueRow {
  place_id: string;
  slot_start: Date;
  due_at: Date;
  state: string;
  missed_at: Date | null;
  escalated_to: { id: string; name: string }[] | null;
}
interface ShiftBody {
  id: string;
  people: { id: string }[];
  state: string;
  checkBy: string;
}

const HOUR = 3_600_000;
/** A point `metres` east of p. */
const east = (p: { lng: number; lat: number }, metres: number) => ({ lng: p.lng + metres / (111_320 * Math.cos((p.lat * Math.PI) / 180)), lat: p.lat });

/**
 * Issue 17 items 2 and 4 (domain.md 8): inspection plans made due on the dispatcher's clocks, missed
 * ones escalated once; a 24-hour watch on the continuous clock across New Year's holiday; duty
 * shifts checked in on time, off-site, and missed; warden scope on REST and the feed. Real
 * PostgreSQL + PostGIS, Redis, the apps in process, time from a ManualClock.
 */
describe('inspection plans and duty at checkpoints', () => {
  let redis: RedisServer;
  let intake: RunningApp;
  let dispatcher: Awaited<ReturnType<typeof startDispatcher>>;
  let feed: Awaited<ReturnType<typeof startFeed>>;
  let http: ReturnType<typeof api>;
  // Thursday 31 December 2026, 08:00 in Zhengzhou: the day before New Year's holiday (1-3 January).
  const clock = new ManualClock(new Date('2026-12-31T08:00:00+08:00'));
  const start = clock.now().getTime();
  const auth: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const feeds: Record<string, FeedClient> = {};
  let siteA: PlaceBody;
  let siteB: PlaceBody;
  let watchSite: PlaceBody;
  let eight: ChecklistBody;
  let planA: PlanBody;
  let watch: PlanBody;

  const dueRows = (planId: string) =>
    withDb(intake.databaseUrl, async (db) => (await db.query(`SELECT place_id, slot_start, due_at, state, missed_at, escalated_to FROM inspection_due WHERE plan_id = $1 ORDER BY slot_start`, [planId])).rows as DueRow[]);
  /** Moves the clock on, sweeps, and waits until every timer due by then has run. */
  const advanceTo = async (ms: number) => {
    clock.set(new Date(ms));
    const sweeper = dispatcher.app.get(InspectionSweeper);
    const end = Date.now() + 30_000;
    for (;;) {
      // Timers the outbox queued wait for real time; the sweep sends those due by the manual clock (a missed slot's next one may be due already).
      await sweeper.sweep(false);
      const left = await withDb(intake.databaseUrl, async (db) => {
        const due = await db.query(`SELECT count(*)::int AS n FROM inspection_due WHERE handled_at IS NULL AND due_at < $1`, [new Date(ms - 10_000)]);
        const shifts = await db.query(`SELECT count(*)::int AS n FROM duty_shift WHERE checked_in_at IS NULL AND missed_at IS NULL AND check_by < $1`, [new Date(ms - 10_000)]);
        return due.rows[0].n + shifts.rows[0].n;
      });
      if (left === 0) return;
      if (Date.now() > end) throw new Error(`${left} timers did not run`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const inspect = (place: PlaceBody, user: string) =>
    http.post<{ id: string }>(
      '/api/v1/inspections',
      { placeId: place.id, checklistId: eight.id, location: place.point, results: eight.items.map((i) => ({ code: i.code, passed: true })) },
      auth[user],
    );

  beforeAll(async () => {
    redis = await startRedisServer();
    const env = { REDIS_URL: redis.url, REPORT_RATE_LIMIT: '100000', OUTBOX_POLL_MS: '50', SWEEP_INTERVAL_MS: '3600000', DUTY_GRACE_MIN: '15' };
    intake = await startIntake('inspection-plans', env, { clock });
    dispatcher = await startDispatcher(intake.databaseUrl, env, { clock });
    feed = await startFeed(intake.databaseUrl, env);
    http = api(intake);
    for (const u of ['admin', 'leader', 'operator', 'warden1', 'warden2', 'zhiban1', 'chief1']) auth[u] = await intake.bearer(u);
    const { a, b, w } = await withDb(intake.databaseUrl, async (db) => {
      const { rows } = await db.query(`SELECT id, username FROM app_user WHERE username = ANY($1)`, [['leader', 'warden1', 'warden2', 'zhiban1', 'zhiban2']]);
      for (const r of rows as { id: string; username: string }[]) ids[r.username] = r.id;
      return { a: await pointInWardenCell(db, 'warden1', 0), w: await pointInWardenCell(db, 'warden1', 1), b: await pointOutsideWarden(db, 'warden1') };
    });
    const place = async (name: string, p: { lng: number; lat: number }, kind: string, responsibleId: string) => {
      const r = await http.post<PlaceBody>('/api/v1/places', { kind, name, geometry: { type: 'Point', coordinates: [p.lng, p.lat] }, responsibleId }, auth.leader);
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body;
    };
    siteA = await place('计划工地A', a, 'site', ids.warden1);
    watchSite = await place('盯防工地', w, 'site', ids.warden1);
    siteB = await place('计划工地B', b, 'site', ids.leader);
    eight = (await http.get<ChecklistBody[]>('/api/v1/checklists', auth.warden1)).body.find((c) => c.name === '工地"8个100%"')!;
    for (const u of ['warden1', 'leader']) {
      feeds[u] = new FeedClient(feed.url, { token: auth[u] });
      await feeds[u].connected();
    }
  });
  afterAll(async () => {
    for (const f of Object.values(feeds)) f.socket.close();
    await feed?.close();
    await dispatcher?.close();
    await intake?.close();
    await redis?.close();
  });

  it('refuses a bad plan naming the field, and writes nothing', async () => {
    const bad: [unknown, number, string][] = [
      [{ checklistId: eight.id, placeIds: [siteA.id], every: 'PT5M', from: '2026-12-31T08:00:00+08:00' }, 400, 'every'],
      [{ checklistId: eight.id, placeIds: [siteA.id], every: 'four hours', from: '2026-12-31T08:00:00+08:00' }, 400, 'every'],
      [{ checklistId: eight.id, placeIds: [siteA.id], every: 'PT4H', from: '2026-02-30T08:00:00+08:00' }, 400, 'from'],
      [{ checklistId: eight.id, placeIds: [siteA.id], every: 'PT4H', from: '2026-12-31T08:00:00+08:00', to: '2026-12-30T08:00:00+08:00' }, 400, 'to'],
      [{ checklistId: eight.id, every: 'PT4H', from: '2026-12-31T08:00:00+08:00' }, 400, 'placeIds'],
      [{ checklistId: eight.id, placeIds: ['not-a-uuid'], every: 'PT4H', from: '2026-12-31T08:00:00+08:00' }, 400, 'placeIds'],
      [{ checklistId: eight.id, placeIds: [siteA.id], every: 'PT4H', from: '2026-12-31T08:00:00+08:00', assigneeIds: ['00000000-0000-4000-8000-000000000000'] }, 422, 'assigneeIds[0]'],
    ];
    for (const [body, status, field] of bad) {
      const r = await http.post('/api/v1/inspection-plans', body, auth.leader);
      expect(r.status, JSON.stringify(r.body)).toBe(status);
      expect(r.body.details?.map((d) => d.field)).toContain(field);
    }
    // A warden makes no plan.
    expect((await http.post('/api/v1/inspection-plans', { checklistId: eight.id, placeIds: [siteA.id], every: 'PT4H', from: '2026-12-31T08:00:00+08:00' }, auth.warden1)).status).toBe(403);
    expect(await withDb(intake.databaseUrl, async (db) => (await db.query(`SELECT count(*)::int AS n FROM inspection_plan`)).rows[0].n)).toBe(0);
  });

  it('a plan every 4 hours over a day makes six inspections due; one not done is missed and escalated once', async () => {
    const made = await http.post<PlanBody>(
      '/api/v1/inspection-plans',
      { checklistId: eight.id, placeIds: [siteA.id], every: 'PT4H', from: '2026-12-31T08:00:00+08:00', to: '2027-01-01T08:00:00+08:00' },
      auth.leader,
    );
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    planA = made.body;
    const w = await http.post<PlanBody>('/api/v1/inspection-plans', { checklistId: eight.id, placeIds: [watchSite.id], every: 'P1D', from: '2026-12-31T08:00:00+08:00' }, auth.leader);
    expect(w.status, JSON.stringify(w.body)).toBe(201);
    watch = w.body;
    expect((await http.post('/api/v1/inspection-plans', { checklistId: eight.id, placeIds: [siteB.id], every: 'PT4H', from: '2026-12-31T08:00:00+08:00' }, auth.leader)).status).toBe(201);

    // The responsible person (warden1) has the first slot due, soonest first, with its deadline.
    const mine = await http.get<{ due: DueBody[] }>('/api/v1/me/inspections', auth.warden1);
    expect(mine.body.due.map((d) => d.place.id)).toEqual([siteA.id, watchSite.id]);
    expect(mine.body.due[0]).toMatchObject({ state: 'due', overdue: false, slotStart: '2026-12-31T00:00:00.000Z', dueAt: '2026-12-31T04:00:00.000Z' });

    for (let slot = 0; slot < 6; slot++) {
      if (slot !== 1) {
        clock.set(new Date(start + slot * 4 * HOUR + HOUR));
        expect((await inspect(siteA, 'warden1')).status).toBe(201);
      }
      await advanceTo(start + (slot + 1) * 4 * HOUR + 11_000);
    }
    const rows = await dueRows(planA.id);
    expect(rows).toHaveLength(6);
    expect(rows.map((r) => new Date(r.due_at).getTime() - new Date(r.slot_start).getTime())).toEqual(Array(6).fill(4 * HOUR));
    expect(rows.map((r) => r.state)).toEqual(['done', 'missed', 'done', 'done', 'done', 'done']);
    expect(rows[1].escalated_to!.map((e) => e.id)).toEqual(expect.arrayContaining([ids.warden1]));
    expect(rows[1].escalated_to!.length).toBeGreaterThan(1); // and the leaders over its street

    // Once: the timer again, and the sweeper again, change nothing.
    const clocks = dispatcher.app.get(InspectionClockService);
    const [missedId] = await withDb(intake.databaseUrl, async (db) => (await db.query(`SELECT id FROM inspection_due WHERE plan_id = $1 AND state = 'missed'`, [planA.id])).rows.map((r) => r.id as string));
    expect(await clocks.expire(missedId, new Date(rows[1].due_at))).toEqual({ kind: 'stale' });
    await dispatcher.app.get(InspectionSweeper).sweep(false);
    await new Promise((r) => setTimeout(r, 300));
    expect((await dueRows(planA.id)).filter((r) => r.missed_at !== null)).toHaveLength(1);
    await feeds.leader.until(() => feeds.leader.inspections.some((e) => e.type === 'inspection.missed' && e.dueId === missedId), 10_000, 'missed on the feed');
    expect(feeds.leader.inspections.filter((e) => e.type === 'inspection.missed' && e.dueId === missedId)).toHaveLength(1);
    expect(feeds.warden1.inspections.filter((e) => e.type === 'inspection.missed' && e.dueId === missedId)).toHaveLength(1);
  });

  it('a 24-hour watch runs on the continuous clock across New Year’s holiday', async () => {
    await advanceTo(start + 48 * HOUR + 11_000);
    await advanceTo(start + 72 * HOUR + 11_000);
    const rows = await dueRows(watch.id);
    expect(rows.map((r) => [new Date(r.slot_start).toISOString(), new Date(r.due_at).toISOString()])).toEqual([
      ['2026-12-31T00:00:00.000Z', '2027-01-01T00:00:00.000Z'],
      ['2027-01-01T00:00:00.000Z', '2027-01-02T00:00:00.000Z'],
      ['2027-01-02T00:00:00.000Z', '2027-01-03T00:00:00.000Z'],
      ['2027-01-03T00:00:00.000Z', '2027-01-04T00:00:00.000Z'],
    ]);
    expect(rows.slice(0, 3).map((r) => r.state)).toEqual(['missed', 'missed', 'missed']);
    const mine = await http.get<{ due: DueBody[] }>('/api/v1/me/inspections', auth.warden1);
    expect(mine.body.due.find((d) => d.place.id === watchSite.id && d.state === 'due')).toMatchObject({ dueAt: '2027-01-04T00:00:00.000Z' });
    expect(mine.body.due.filter((d) => d.overdue).every((d) => d.state === 'missed')).toBe(true);
  });

  it('duty: a shift checked in on time, one checked in off-site (flagged), one missed and escalated once', async () => {
    const at = clock.now().getTime();
    const iso = (ms: number) => new Date(ms).toISOString();
    const roster = await http.post<{ id: string; shifts: ShiftBody[] }>(
      '/api/v1/duty-rosters',
      {
        placeId: siteA.id,
        shifts: [
          { from: iso(at + 30 * 60_000), to: iso(at + 8 * HOUR), userIds: [ids.warden1] },
          { from: iso(at + 30 * 60_000), to: iso(at + 8 * HOUR), userIds: [ids.warden2] },
          { from: iso(at + 30 * 60_000), to: iso(at + 8 * HOUR), userIds: [ids.zhiban1] },
        ],
      },
      auth.leader,
    );
    expect(roster.status, JSON.stringify(roster.body)).toBe(201);
    const of = (user: string) => roster.body.shifts.find((s) => s.people[0].id === ids[user])!;
    const [s1, s2, s3] = [of('warden1'), of('warden2'), of('zhiban1')];
    expect(roster.body.shifts.map((s) => s.state)).toEqual(['upcoming', 'upcoming', 'upcoming']);

    const onSite = await http.post<{ offSite: boolean; onTime: boolean }>('/api/v1/duty/check-in', { placeId: siteA.id, location: siteA.point }, auth.warden1);
    expect(onSite.status, JSON.stringify(onSite.body)).toBe(201);
    expect(onSite.body).toMatchObject({ offSite: false, onTime: true });
    clock.set(new Date(at + 40 * 60_000));
    const far = await http.post<{ offSite: boolean; distanceM: number }>('/api/v1/duty/check-in', { placeId: siteA.id, location: east(siteA.point, 400) }, auth.warden2);
    expect(far.status, JSON.stringify(far.body)).toBe(201);
    expect(far.body.offSite).toBe(true);
    expect(far.body.distanceM).toBeGreaterThan(350);
    // Someone without a shift there is refused naming the place.
    const none = await http.post('/api/v1/duty/check-in', { placeId: siteA.id, location: siteA.point }, auth.operator);
    expect(none.status).toBe(422);
    expect(none.body.details?.[0].field).toBe('placeId');

    await advanceTo(at + 45 * 60_000 + 11_000);
    const shifts = (await http.get<{ shifts: ShiftBody[] }[]>(`/api/v1/duty-rosters?placeId=${siteA.id}`, auth.leader)).body[0].shifts;
    const state = (id: string) => shifts.find((s) => s.id === id)!;
    expect([state(s1.id).state, state(s2.id).state, state(s3.id).state]).toEqual(['checked_in', 'checked_in', 'missed']);
    expect((state(s3.id) as ShiftBody & { escalatedTo: { id: string }[] }).escalatedTo.map((e) => e.id)).toEqual([ids.warden1]);
    expect(await dispatcher.app.get(DutyClockService).expire(s3.id, new Date(s3.checkBy))).toEqual({ kind: 'stale' });
    await feeds.warden1.until(() => feeds.warden1.inspections.some((e) => e.type === 'duty.missed' && e.shiftId === s3.id), 10_000, 'duty.missed');
    expect(feeds.warden1.inspections.filter((e) => e.type === 'duty.missed')).toHaveLength(1);
    expect(feeds.leader.inspections.filter((e) => e.type === 'duty.checked_in').map((e) => e.offSite).sort()).toEqual([false, true]);

    const myShifts = await http.get<ShiftBody[]>('/api/v1/me/duty-shifts', auth.zhiban1);
    expect(myShifts.body.map((s) => [s.id, s.state])).toEqual([[s3.id, 'missed']]);
  });

  it('scope: a warden sees only their cells’ places, plans and inspection events; the leader sees all', async () => {
    const places = (await http.get<{ features: { id: string }[] }>('/api/v1/places', auth.warden1)).body.features.map((f) => f.id);
    expect(places).toEqual(expect.arrayContaining([siteA.id, watchSite.id]));
    expect(places).not.toContain(siteB.id);
    const plans = (await http.get<PlanBody[]>('/api/v1/inspection-plans', auth.warden1)).body;
    expect(plans.flatMap((p) => p.places.map((x) => x.id))).not.toContain(siteB.id);
    expect((await http.get<PlanBody[]>('/api/v1/inspection-plans', auth.leader)).body.flatMap((p) => p.places.map((x) => x.id))).toContain(siteB.id);
    expect((await http.post('/api/v1/duty-rosters', { placeId: siteB.id, shifts: [{ from: '2027-01-05T08:00:00+08:00', to: '2027-01-05T12:00:00+08:00', userIds: [ids.warden1] }] }, auth.warden1)).status).toBe(403);

    await feeds.leader.until(() => feeds.leader.inspections.some((e) => e.place.id === siteB.id && e.type === 'inspection.missed'), 10_000, 'B on the leader feed');
    expect(feeds.warden1.inspections.length).toBeGreaterThan(0);
    expect(feeds.warden1.inspections.every((e) => e.place.id !== siteB.id)).toBe(true);
    expect(feeds.warden1.inspections.some((e) => e.type === 'inspection.recorded' && e.place.id === siteA.id)).toBe(true);
    expect(JSON.stringify(feeds.warden1.inspections)).not.toContain('responsibleId');

    // Evaluation of the period: per person, warden1 did five of six on time at site A, the watch missed.
    const ev = await http.get<{ rows: { key: string; due: number; onTime: number; missed: number }[] }>('/api/v1/inspections/evaluation?from=2026-12-31&to=2027-01-03&groupBy=person', auth.leader);
    expect(ev.status, JSON.stringify(ev.body)).toBe(200);
    const w1 = ev.body.rows.find((r) => r.key === ids.warden1)!;
    expect(w1).toMatchObject({ due: 9, onTime: 5, missed: 4 });
    const byStreet = await http.get<{ rows: unknown[] }>('/api/v1/inspections/evaluation?from=2026-12-31&to=2027-01-03&groupBy=street', auth.leader);
    expect(byStreet.body.rows.length).toBeGreaterThan(0);
    expect((await http.get('/api/v1/inspections/evaluation?from=2026-12-31&to=2027-01-03&groupBy=cell', auth.leader)).status).toBe(400);

    // Deactivating plan B: nothing more is due there; deactivating it again changes nothing.
    const planB = (await http.get<PlanBody[]>('/api/v1/inspection-plans', auth.leader)).body.find((p) => p.places.some((x) => x.id === siteB.id))!;
    expect((await http.post(`/api/v1/inspection-plans/${planB.id}/deactivate`, {}, auth.operator)).status).toBe(200);
    const stopped = await http.post<PlanBody>(`/api/v1/inspection-plans/${planB.id}/deactivate`, {}, auth.leader);
    expect(stopped.status).toBe(200);
    expect(stopped.body.active).toBe(false);
    expect((await dueRows(planB.id)).filter((r) => r.state === 'due')).toEqual([]);
    expect((await http.get<PlanBody[]>('/api/v1/inspection-plans?active=true', auth.leader)).body.map((p) => p.id)).not.toContain(planB.id);
  });
});
