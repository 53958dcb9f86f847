import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@wangge/clock';
import { hashPassword } from '@wangge/auth';
import { InspectionSweeper } from '../../apps/dispatcher/src/clocks/inspection-sweeper';
import { startDispatcher, startIntake, type RunningApp } from '../support/apps';
import { addStreetAdmin, api, STREET_ADMIN, withDb } from '../support/cases';
import { startRedisServer, type RedisServer } from '../support/redis-server';

interface PlaceBody {
  id: string;
}
interface PlanBody {
  id: string;
  placeKind: string | null;
  scope: { streets: { code: string; name: string }[] } | null;
  places: { id: string; name: string; unassigned: boolean }[];
  assigneeIds: string[] | null;
  to: string | null;
  active: boolean;
}
interface DueRow {
  id: string;
  plan_id: string;
  place_id: string;
  slot_start: Date;
  due_at: Date;
  state: string;
  assignee_ids: string[];
  missed_at: Date | null;
  escalated_to: unknown;
  handled_at: Date | null;
}
interface ErrorBody {
  details?: { field: string }[];
}

const HOUR = 3_600_000;
const OTHER_ADMIN = { username: 'other_street_admin', password: 'other-street-admin-1' } as const;

/**
 * Issue 17 leftover: a plan by kind follows its kind within the jurisdiction it was made for (a site
 * registered later is due at once and at the next slot; one whose kind changes leaves, its open due
 * inspection cancelled, never missed), and `PATCH /inspection-plans/:id` changes places, assignees
 * and the end, refused naming the field with nothing written, only by whoever holds the plan. Real
 * PostgreSQL + PostGIS and Redis, the apps in process, time from a ManualClock.
 */
describe('inspection plans follow their places', () => {
  let redis: RedisServer;
  let intake: RunningApp;
  let dispatcher: Awaited<ReturnType<typeof startDispatcher>>;
  let http: ReturnType<typeof api>;
  // Monday 1 March 2027, 08:00 in Zhengzhou.
  const clock = new ManualClock(new Date('2027-03-01T08:00:00+08:00'));
  const start = clock.now().getTime();
  const auth: Record<string, string> = {};
  const ids: Record<string, string> = {};
  let street1 = '';
  let street2 = '';
  let checklistId = '';
  const sites: Record<string, PlaceBody> = {};
  let district: PlanBody;
  let streetPlan: PlanBody;

  const patch = <T = Record<string, unknown>>(path: string, body: unknown, token: string) => http.call<T>('PATCH', path, { auth: token, body });
  const sql = <T>(text: string, params: unknown[] = []) => withDb(intake.databaseUrl, async (db) => (await db.query(text, params)).rows as T[]);
  const dueOf = (planId: string, placeId: string) =>
    sql<DueRow>(`SELECT id, plan_id, place_id, slot_start, due_at, state, assignee_ids, missed_at, escalated_to, handled_at FROM inspection_due WHERE plan_id = $1 AND place_id = $2 ORDER BY slot_start`, [planId, placeId]);
  const plan = async (id: string) => (await http.get<PlanBody[]>('/api/v1/inspection-plans', auth.leader)).body.find((p) => p.id === id)!;
  /** A point inside the n-th cell of a street. */
  const pointIn = async (street: string, n: number) => {
    const [r] = await sql<{ lng: number; lat: number }>(
      `SELECT ST_X(ST_PointOnSurface(geom)) AS lng, ST_Y(ST_PointOnSurface(geom)) AS lat FROM grid_cell WHERE street_code = $1 ORDER BY code OFFSET $2 LIMIT 1`,
      [street, n],
    );
    if (!r) throw new Error(`street ${street} has no cell #${n}`);
    return r;
  };
  const register = async (name: string, street: string, n: number, kind: string, responsibleId: string | null, user = 'leader') => {
    const p = await pointIn(street, n);
    const r = await http.post<PlaceBody>('/api/v1/places', { kind, name, geometry: { type: 'Point', coordinates: [p.lng, p.lat] }, ...(responsibleId ? { responsibleId } : {}) }, auth[user]);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    sites[name] = r.body;
    return r.body;
  };
  /** Moves the clock on, sweeps, and waits until every timer due by then has run. */
  const advanceTo = async (ms: number) => {
    clock.set(new Date(ms));
    const sweeper = dispatcher.app.get(InspectionSweeper);
    const end = Date.now() + 30_000;
    for (;;) {
      await sweeper.sweep(false);
      const [{ n }] = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM inspection_due WHERE handled_at IS NULL AND due_at < $1`, [new Date(ms - 10_000)]);
      if (n === 0) return;
      if (Date.now() > end) throw new Error(`${n} timers did not run`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  /** What a refused request must leave as it was. */
  const snapshot = async () =>
    (await sql<{ plans: unknown; places: unknown; due: unknown; audits: string }>(
      `SELECT (SELECT json_agg(p ORDER BY p.id) FROM inspection_plan p) AS plans,
              (SELECT json_agg(pp ORDER BY pp.plan_id, pp.place_id) FROM inspection_plan_place pp) AS places,
              (SELECT json_agg(d ORDER BY d.id) FROM inspection_due d) AS due,
              (SELECT count(*) FROM audit_entry) AS audits`,
    ))[0];

  beforeAll(async () => {
    redis = await startRedisServer();
    const env = { REDIS_URL: redis.url, REPORT_RATE_LIMIT: '100000', OUTBOX_POLL_MS: '50', SWEEP_INTERVAL_MS: '3600000' };
    intake = await startIntake('plans-follow-places', env, { clock });
    dispatcher = await startDispatcher(intake.databaseUrl, env, { clock });
    http = api(intake);
    await withDb(intake.databaseUrl, async (db) => {
      street1 = await addStreetAdmin(db);
      street2 = (await db.query(`SELECT code FROM street WHERE code <> $1 ORDER BY code LIMIT 1`, [street1])).rows[0].code;
      await db.query(`INSERT INTO app_user (username, name, role, street_code, password_hash) VALUES ($1, '另一街道管理员', 'admin', $2, $3)`, [
        OTHER_ADMIN.username,
        street2,
        await hashPassword(OTHER_ADMIN.password),
      ]);
      const { rows } = await db.query(`SELECT id, username FROM app_user WHERE username = ANY($1)`, [['leader', 'warden1', 'warden2', 'zhiban1']]);
      for (const r of rows as { id: string; username: string }[]) ids[r.username] = r.id;
    });
    for (const u of ['leader', 'warden1', 'zhiban1']) auth[u] = await intake.bearer(u);
    auth.streetAdmin = await intake.bearer(STREET_ADMIN.username, STREET_ADMIN.password);
    auth.otherAdmin = await intake.bearer(OTHER_ADMIN.username, OTHER_ADMIN.password);
    checklistId = (await http.get<{ id: string; name: string }[]>('/api/v1/checklists', auth.leader)).body.find((c) => c.name === '工地"8个100%"')!.id;
  });
  afterAll(async () => {
    await dispatcher?.close();
    await intake?.close();
    await redis?.close();
  });

  it('a plan by kind keeps the jurisdiction it was made for', async () => {
    await register('一号工地', street1, 0, 'site', ids.warden1);
    await register('二号工地', street2, 0, 'site', ids.warden2);
    const made = await http.post<PlanBody>('/api/v1/inspection-plans', { checklistId, placeKind: 'site', every: 'PT4H', from: '2027-03-01T08:00:00+08:00' }, auth.leader);
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    district = made.body;
    expect(district.places.map((p) => p.id).sort()).toEqual([sites['一号工地'].id, sites['二号工地'].id].sort());
    expect(district.scope).toEqual({ streets: [] });
    const s = await http.post<PlanBody>('/api/v1/inspection-plans', { checklistId, placeKind: 'site', every: 'PT4H', from: '2027-03-01T08:00:00+08:00' }, auth.streetAdmin);
    expect(s.status, JSON.stringify(s.body)).toBe(201);
    streetPlan = s.body;
    expect(streetPlan.places.map((p) => p.id)).toEqual([sites['一号工地'].id]);
    expect(streetPlan.scope!.streets.map((x) => x.code)).toEqual([street1]);
  });

  it('a site registered afterwards is due at the current slot and at the next', async () => {
    clock.set(new Date(start + HOUR));
    const third = await register('三号工地', street1, 1, 'site', ids.warden1);
    for (const p of [district, streetPlan]) {
      expect((await plan(p.id)).places.map((x) => x.id)).toContain(third.id);
      const rows = await dueOf(p.id, third.id);
      expect(rows.map((r) => [new Date(r.slot_start).getTime(), new Date(r.due_at).getTime(), r.state])).toEqual([[start, start + 4 * HOUR, 'due']]);
      expect(rows[0].assignee_ids).toEqual([ids.warden1]);
    }
    const mine = await http.get<{ due: { planId: string; place: { id: string } }[] }>('/api/v1/me/inspections', auth.warden1);
    expect(mine.body.due.filter((d) => d.place.id === third.id).map((d) => d.planId).sort()).toEqual([district.id, streetPlan.id].sort());
    const [audit] = await sql<{ after: { joined: string[] } }>(`SELECT after FROM audit_entry WHERE action = 'inspection_plan.places' AND entity_id = $1`, [district.id]);
    expect(audit.after.joined).toEqual([third.id]);

    await advanceTo(start + 4 * HOUR + 11_000);
    const rows = await dueOf(district.id, third.id);
    expect(rows.map((r) => [new Date(r.slot_start).getTime(), r.state])).toEqual([
      [start, 'missed'],
      [start + 4 * HOUR, 'due'],
    ]);
  });

  it('a street-scoped plan by kind does not take a site registered in another street; a site nobody inspects joins shown as unassigned', async () => {
    const fourth = await register('四号工地', street2, 1, 'site', ids.warden2);
    expect((await plan(district.id)).places.map((p) => p.id)).toContain(fourth.id);
    expect((await plan(streetPlan.id)).places.map((p) => p.id)).not.toContain(fourth.id);
    expect(await dueOf(streetPlan.id, fourth.id)).toEqual([]);

    const nobody = await register('无人工地', street1, 2, 'site', null);
    const shown = (await plan(district.id)).places.find((p) => p.id === nobody.id)!;
    expect(shown.unassigned).toBe(true);
    expect((await plan(district.id)).places.filter((p) => p.unassigned).map((p) => p.id)).toEqual([nobody.id]);
    const [row] = await dueOf(district.id, nobody.id);
    expect(row).toMatchObject({ state: 'due', assignee_ids: [] });
    // Naming a responsible person hands them its open due inspection.
    const named = await patch(`/api/v1/places/${nobody.id}`, { responsibleId: ids.warden1 }, auth.leader);
    expect(named.status, JSON.stringify(named.body)).toBe(200);
    expect((await dueOf(district.id, nobody.id))[0].assignee_ids).toEqual([ids.warden1]);
    expect((await plan(district.id)).places.find((p) => p.id === nobody.id)!.unassigned).toBe(false);
  });

  it('a site whose kind changes to market leaves: its open due inspection cancelled, not missed, not escalated; its history stays', async () => {
    const first = sites['一号工地'];
    clock.set(new Date(start + 5 * HOUR));
    const changed = await patch(`/api/v1/places/${first.id}`, { kind: 'market' }, auth.leader);
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    for (const p of [district, streetPlan]) expect((await plan(p.id)).places.map((x) => x.id)).not.toContain(first.id);
    await advanceTo(start + 8 * HOUR + 11_000);
    const rows = await dueOf(district.id, first.id);
    expect(rows.map((r) => [new Date(r.slot_start).getTime(), r.state])).toEqual([
      [start, 'missed'],
      [start + 4 * HOUR, 'cancelled'],
    ]);
    expect(rows[1]).toMatchObject({ missed_at: null, escalated_to: null });
    // The third site, still a site, goes on.
    expect((await dueOf(district.id, sites['三号工地'].id)).map((r) => r.state)).toEqual(['missed', 'missed', 'due']);
    const left = await sql<{ after: { left: string[]; cancelledDueIds: string[] } }>(`SELECT after FROM audit_entry WHERE action = 'inspection_plan.places' AND entity_id = $1 AND after->'left' ? $2`, [district.id, first.id]);
    expect(left[0].after.cancelledDueIds).toEqual([rows[1].id]);
    // Back to a site: it joins again with the current slot.
    expect((await patch(`/api/v1/places/${first.id}`, { kind: 'site' }, auth.leader)).status).toBe(200);
    expect((await dueOf(district.id, first.id)).map((r) => [new Date(r.slot_start).getTime(), r.state]).at(-1)).toEqual([start + 8 * HOUR, 'due']);
  });

  it('PATCH refuses bad changes naming the field and writes nothing; only whoever holds the plan may change it', async () => {
    const byIds = await http.post<PlanBody>('/api/v1/inspection-plans', { checklistId, placeIds: [sites['二号工地'].id, sites['三号工地'].id], every: 'PT4H', from: '2027-03-01T08:00:00+08:00' }, auth.leader);
    expect(byIds.status, JSON.stringify(byIds.body)).toBe(201);
    const id = byIds.body.id;
    const unknown = '00000000-0000-4000-8000-000000000000';
    const before = await snapshot();
    const bad: [string, unknown, number, string][] = [
      [id, {}, 400, 'addPlaceIds'],
      [id, { addPlaceIds: ['not-a-uuid'] }, 400, 'addPlaceIds'],
      [id, { addPlaceIds: [sites['二号工地'].id] }, 400, 'addPlaceIds[0]'],
      [id, { addPlaceIds: [unknown] }, 404, 'addPlaceIds[0]'],
      [id, { addPlaceIds: [sites['四号工地'].id], removePlaceIds: [sites['四号工地'].id] }, 400, 'addPlaceIds[0]'],
      [id, { removePlaceIds: [sites['四号工地'].id] }, 400, 'removePlaceIds[0]'],
      [id, { removePlaceIds: [sites['二号工地'].id, sites['三号工地'].id] }, 400, 'removePlaceIds'],
      [id, { to: 'next week' }, 400, 'to'],
      [id, { to: '2027-03-01T09:00:00+08:00' }, 400, 'to'],
      [id, { assigneeIds: [unknown] }, 422, 'assigneeIds[0]'],
      [id, { assigneeIds: [] }, 400, 'assigneeIds'],
      [district.id, { addPlaceIds: [sites['四号工地'].id] }, 400, 'addPlaceIds'],
      [unknown, { to: null }, 404, 'id'],
    ];
    for (const [planId, body, status, field] of bad) {
      const r = await patch<ErrorBody>(`/api/v1/inspection-plans/${planId}`, body, auth.leader);
      expect(r.status, `${JSON.stringify(body)} ${JSON.stringify(r.body)}`).toBe(status);
      expect(r.body.details?.map((d) => d.field)).toContain(field);
    }
    // A place nobody would inspect is refused on a plan naming nobody.
    const bare = await register('无责任人工地', street1, 3, 'market', null);
    const r = await patch<ErrorBody>(`/api/v1/inspection-plans/${id}`, { addPlaceIds: [bare.id] }, auth.leader);
    expect(r.status).toBe(422);
    expect(r.body.details?.[0].field).toBe('addPlaceIds[0]');

    // A warden changes no plan; another street's admin, or a street admin over a plan reaching beyond their street, finds none.
    expect((await patch(`/api/v1/inspection-plans/${id}`, { to: null }, auth.warden1)).status).toBe(403);
    for (const [planId, who] of [
      [id, 'otherAdmin'],
      [id, 'streetAdmin'],
      [streetPlan.id, 'otherAdmin'],
      [district.id, 'streetAdmin'],
    ] as const) {
      const r = await patch<ErrorBody>(`/api/v1/inspection-plans/${planId}`, { to: '2027-04-01T08:00:00+08:00' }, auth[who]);
      expect(r.status, `${who} on ${planId}`).toBe(404);
    }
    expect((await http.post(`/api/v1/inspection-plans/${district.id}/deactivate`, {}, auth.streetAdmin)).status).toBe(404);
    const after = await snapshot();
    // The market registered above wrote its own rows (a place and its audit): nothing else changed.
    expect({ ...after, audits: null }).toEqual({ ...before, audits: null });
    expect(Number(after.audits)).toBe(Number(before.audits) + 1);
    // Whoever holds it does: the street admin changes their own street's plan.
    const own = await patch<PlanBody>(`/api/v1/inspection-plans/${streetPlan.id}`, { to: '2027-04-01T08:00:00+08:00' }, auth.streetAdmin);
    expect(own.status, JSON.stringify(own.body)).toBe(200);
    expect(own.body.to).toBe('2027-04-01T00:00:00.000Z');
  });

  it('PATCH adds and removes places, changes assignees (open due inspections too) and the end, audited', async () => {
    const [second, third, fourth] = [sites['二号工地'], sites['三号工地'], sites['四号工地']];
    const byIds = (await http.get<PlanBody[]>('/api/v1/inspection-plans', auth.leader)).body.find((p) => p.placeKind === null && p.places.some((x) => x.id === second.id))!;
    const id = byIds.id;
    clock.set(new Date(start + 9 * HOUR));
    const changed = await patch<PlanBody>(`/api/v1/inspection-plans/${id}`, { addPlaceIds: [fourth.id], removePlaceIds: [third.id] }, auth.leader);
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body.places.map((p) => p.id).sort()).toEqual([second.id, fourth.id].sort());
    expect((await dueOf(id, third.id)).map((r) => r.state)).toEqual(['cancelled']);
    expect((await dueOf(id, fourth.id)).map((r) => [new Date(r.slot_start).getTime(), r.state, r.assignee_ids])).toEqual([[start + 8 * HOUR, 'due', [ids.warden2]]]);

    // New assignees take the open due inspections at once; null hands them back to each place's responsible person.
    const zhiban = await patch<PlanBody>(`/api/v1/inspection-plans/${id}`, { assigneeIds: [ids.zhiban1] }, auth.leader);
    expect(zhiban.status, JSON.stringify(zhiban.body)).toBe(200);
    expect(zhiban.body.assigneeIds).toEqual([ids.zhiban1]);
    for (const p of [second, fourth]) expect((await dueOf(id, p.id)).filter((r) => r.state === 'due').map((r) => r.assignee_ids)).toEqual([[ids.zhiban1]]);
    const mine = await http.get<{ due: { planId: string; place: { id: string } }[] }>('/api/v1/me/inspections', auth.zhiban1);
    expect(mine.body.due.filter((d) => d.planId === id).map((d) => d.place.id).sort()).toEqual([second.id, fourth.id].sort());

    // An end within the current slot brings its deadline forward, with its own timer.
    const end = await patch<PlanBody>(`/api/v1/inspection-plans/${id}`, { to: '2027-03-01T19:00:00+08:00' }, auth.leader);
    expect(end.status, JSON.stringify(end.body)).toBe(200);
    expect((await dueOf(id, fourth.id)).map((r) => new Date(r.due_at).getTime())).toEqual([start + 11 * HOUR]);
    await advanceTo(start + 11 * HOUR + 11_000);
    expect((await dueOf(id, fourth.id)).map((r) => r.state)).toEqual(['missed']);
    // Open-ended again (and back to the responsible persons): the plan runs on from the current slot.
    clock.set(new Date(start + 13 * HOUR));
    const open = await patch<PlanBody>(`/api/v1/inspection-plans/${id}`, { to: null, assigneeIds: null }, auth.leader);
    expect(open.status, JSON.stringify(open.body)).toBe(200);
    expect(open.body).toMatchObject({ to: null, assigneeIds: null });
    expect((await dueOf(id, fourth.id)).map((r) => [new Date(r.slot_start).getTime(), r.state, r.assignee_ids])).toEqual([
      [start + 8 * HOUR, 'missed', [ids.zhiban1]],
      [start + 12 * HOUR, 'due', [ids.warden2]],
    ]);

    const trail = await sql<{ before: PlanBody; after: PlanBody }>(`SELECT before, after FROM audit_entry WHERE action = 'inspection_plan.update' AND entity_id = $1 ORDER BY id`, [id]);
    expect(trail).toHaveLength(4);
    expect(trail[0].before.places.map((p) => p.id)).toContain(third.id);
    expect(trail[0].after.places.map((p) => p.id)).toContain(fourth.id);
    expect(trail[3].before.to).toBe('2027-03-01T11:00:00.000Z');

    // A deactivated plan is changed no more.
    expect((await http.post(`/api/v1/inspection-plans/${id}/deactivate`, {}, auth.leader)).status).toBe(200);
    const stopped = await patch<ErrorBody>(`/api/v1/inspection-plans/${id}`, { to: null }, auth.leader);
    expect(stopped.status).toBe(409);
    expect(stopped.body.details?.[0].field).toBe('id');
  });
});
