import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@wangge/clock';
import { CaseStageService } from '@wangge/workflow';
import { startDispatcher, startIntake, type RunningApp } from '../support/apps';
import { api, pointInWardenCell, withDb } from '../support/cases';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { StageSweeper } from '../../apps/dispatcher/src/clocks/stage-sweeper';
import { until } from '../support/until';

interface CaseBody {
  id: string;
  status: string;
}
interface EventRow {
  type: string;
  evidence: Record<string, unknown>;
}
interface StageReport {
  rows: { post: string; person?: { id: string | null; name: string | null }; stages: number; onTime: number; overdue: number; escalated: number; onTimeRate: number | null }[];
  totals: { stages: number };
}

/** Issue 22 items 2 and 5: stage limits of the command centre, check tasks to the nearest warden on duty. */
describe('stage limits and check tasks', () => {
  let redis: RedisServer;
  let intake: RunningApp;
  let dispatcher: Awaited<ReturnType<typeof startDispatcher>>;
  let http: ReturnType<typeof api>;
  const clock = new ManualClock(new Date());
  const startedAt = clock.now();
  const auth: Record<string, string> = {};
  const ids: Record<string, string> = {};
  let cell: { lng: number; lat: number; cellCode: string };

  beforeAll(async () => {
    redis = await startRedisServer();
    const env = { REDIS_URL: redis.url, REPORT_RATE_LIMIT: '100000', OUTBOX_POLL_MS: '50', SWEEP_INTERVAL_MS: '3600000', REGISTER_LIMIT_MIN: '10', CHECK_LIMIT_MIN: '30' };
    intake = await startIntake('stages', env, { clock });
    dispatcher = await startDispatcher(intake.databaseUrl, env, { clock });
    http = api(intake);
    for (const u of ['operator', 'leader', 'zhiban1', 'warden1', 'warden2', 'chief1']) auth[u] = await intake.bearer(u);
    cell = await withDb(intake.databaseUrl, async (db) => {
      const p = await pointInWardenCell(db, 'warden1', 2);
      // warden2 patrols warden1's cell too: two wardens of the case's cell.
      await db.query(`INSERT INTO warden_cell (user_id, cell_code) SELECT id, $1 FROM app_user WHERE username = 'warden2' ON CONFLICT DO NOTHING`, [p.cellCode]);
      const { rows } = await db.query(`SELECT id, username FROM app_user WHERE username = ANY($1)`, [['warden1', 'warden2', 'zhiban1', 'zhiban2', 'leader']]);
      for (const r of rows as { id: string; username: string }[]) ids[r.username] = r.id;
      return p;
    });
    for (const u of ['warden1', 'warden2']) auth[u] = await intake.bearer(u); // their cells are read per request
  });
  afterAll(async () => {
    await dispatcher?.close();
    await intake?.close();
    await redis?.close();
  });

  const report = async (description: string) => {
    const created = await http.post<CaseBody>('/api/v1/cases', { categoryCode: 'E0102', description, location: { lng: cell.lng, lat: cell.lat } });
    expect(created.status).toBe(201);
    expect(created.body.status).toBe('reported');
    return created.body.id;
  };
  const events = (caseId: string) =>
    withDb(intake.databaseUrl, async (db) => (await db.query(`SELECT type, evidence FROM case_event WHERE case_id = $1 ORDER BY seq`, [caseId])).rows as EventRow[]);
  const duty = (user: string, body: unknown) => http.call('PATCH', '/api/v1/me/duty', { auth: auth[user], body });

  it('a report not registered within its limit is marked against the intake post and escalated once to the leader on duty', async () => {
    expect((await duty('zhiban1', { onDuty: true })).status).toBe(200);
    const id = await report('waits too long');
    const sweeper = dispatcher.app.get(StageSweeper);
    clock.advance(9 * 60_000);
    await sweeper.sweep(false);
    await new Promise((r) => setTimeout(r, 300));
    expect((await events(id)).map((e) => e.type)).not.toContain('case.stage_overdue');

    clock.advance(2 * 60_000 + 11_000);
    await sweeper.sweep(false);
    const marked = await until('stage overdue', 10_000, async () => (await events(id)).find((e) => e.type === 'case.stage_overdue'));
    expect(marked.evidence).toMatchObject({ stage: 'register', post: 'intake', escalatedTo: [{ id: ids.zhiban1 }] });

    // Once: the timer again, and the sweeper again, change nothing.
    const stages = dispatcher.app.get(CaseStageService);
    expect(await stages.expire(id, 'register', new Date(marked.evidence.dueAt as string))).toEqual({ kind: 'stale' });
    await sweeper.sweep(false);
    await new Promise((r) => setTimeout(r, 300));
    expect((await events(id)).filter((e) => e.type === 'case.stage_overdue')).toHaveLength(1);

    // The leader sees the mark on the case's timeline; a registration ends the stage, late.
    const seen = await http.get<{ timeline: { type: string }[] }>(`/api/v1/cases/${id}`, auth.zhiban1);
    expect(seen.body.timeline.map((e) => e.type)).toContain('case.stage_overdue');
    expect((await http.act(id, 'register', {}, auth.operator)).status).toBe(200);
    const stage = await withDb(intake.databaseUrl, async (db) => (await db.query(`SELECT ended_at, overdue_at, ended_by FROM case_stage WHERE case_id = $1 AND stage = 'register'`, [id])).rows[0]);
    expect(stage.ended_at).toBeTruthy();
    expect(stage.overdue_at).toBeTruthy();
  });

  it('two wardens on duty in the cell: the nearer gets the check, and only they (or an operator) may verify', async () => {
    // warden1 about 550 m away, warden2 about 11 m away.
    expect((await duty('warden1', { onDuty: true, location: { lng: cell.lng + 0.006, lat: cell.lat } })).status).toBe(200);
    expect((await duty('warden2', { onDuty: true, location: { lng: cell.lng + 0.0001, lat: cell.lat + 0.00005 } })).status).toBe(200);
    expect((await http.get<{ onDuty: boolean; location: { lng: number } }>('/api/v1/me/duty', auth.warden2)).body).toMatchObject({ onDuty: true, location: { lng: cell.lng + 0.0001 } });

    const id = await report('is it there?');
    expect((await http.act(id, 'verify-request', {}, auth.operator)).status).toBe(200);
    const given = (await events(id)).find((e) => e.type === 'case.check_assigned');
    expect(given?.evidence.assignee).toMatchObject({ id: ids.warden2 });
    expect((given?.evidence.assignee as { distanceM: number }).distanceM).toBeLessThan(30);

    const tasksOf = async (u: string) => (await http.get<CaseBody[]>('/api/v1/me/tasks', auth[u])).body.map((c) => c.id);
    expect(await tasksOf('warden2')).toContain(id);
    expect(await tasksOf('warden1')).not.toContain(id);

    const refused = await http.act(id, 'verify', { passed: true }, auth.warden1);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe('not_assignee');
    expect((await http.act(id, 'verify', { passed: true, note: 'seen' }, auth.warden2)).status).toBe(200);
    const stage = await withDb(intake.databaseUrl, async (db) => (await db.query(`SELECT assignee_id, ended_by, ended_at <= due_at AS on_time FROM case_stage WHERE case_id = $1 AND stage = 'check'`, [id])).rows[0]);
    expect(stage).toMatchObject({ assignee_id: ids.warden2, ended_by: ids.warden2, on_time: true });
    // The task is done: the case is no check of anyone's now.
    expect(await tasksOf('warden2')).not.toContain(id);
  });

  it("no warden on duty: the operator gets the check, and the cell's wardens may not verify it", async () => {
    expect((await duty('warden1', { onDuty: false })).status).toBe(200);
    expect((await duty('warden2', { onDuty: false })).status).toBe(200);
    const id = await report('nobody on duty');
    expect((await http.act(id, 'verify-request', {}, auth.operator)).status).toBe(200);
    const given = (await events(id)).find((e) => e.type === 'case.check_assigned');
    expect(given?.evidence.assignee).toBeNull();
    const stage = await withDb(intake.databaseUrl, async (db) => (await db.query(`SELECT assignee_id FROM case_stage WHERE case_id = $1 AND stage = 'check' AND ended_at IS NULL`, [id])).rows[0]);
    expect(stage).toEqual({ assignee_id: null });
    for (const w of ['warden1', 'warden2']) {
      const refused = await http.act(id, 'verify', { passed: true }, auth[w]);
      expect(refused.status).toBe(403);
      expect(refused.body.error).toBe('not_assignee');
    }
    expect((await http.act(id, 'verify', { passed: true, note: 'phoned the reporter' }, auth.operator)).status).toBe(200);
  });

  it("a warden of the cell who goes on duty takes the operators' open check, keeping its due time", async () => {
    const id = await report('taken when on duty');
    expect((await http.act(id, 'verify-request', {}, auth.operator)).status).toBe(200);
    const held = (await events(id)).filter((e) => e.type === 'case.check_assigned');
    expect(held.map((e) => e.evidence.assignee)).toEqual([null]);

    expect((await duty('warden1', { onDuty: true, location: { lng: cell.lng + 0.001, lat: cell.lat } })).status).toBe(200);
    const given = (await events(id)).filter((e) => e.type === 'case.check_assigned');
    expect(given).toHaveLength(2);
    expect(given[1].evidence).toMatchObject({ assignee: { id: ids.warden1 }, dueAt: held[0].evidence.dueAt, fromOperator: true });
    const stage = await withDb(intake.databaseUrl, async (db) => (await db.query(`SELECT assignee_id, due_at FROM case_stage WHERE case_id = $1 AND stage = 'check' AND ended_at IS NULL`, [id])).rows[0]);
    expect(stage.assignee_id).toBe(ids.warden1);
    expect(new Date(stage.due_at).toISOString()).toBe(held[0].evidence.dueAt);

    // Going on duty again takes nothing twice; the other warden of the cell, now on duty, gets nothing either.
    expect((await duty('warden1', { onDuty: true })).status).toBe(200);
    expect((await duty('warden2', { onDuty: true })).status).toBe(200);
    expect((await events(id)).filter((e) => e.type === 'case.check_assigned')).toHaveLength(2);
    const refused = await http.act(id, 'verify', { passed: true }, auth.warden2);
    expect(refused.status).toBe(403);
    expect((await http.act(id, 'verify', { passed: true, note: 'seen on site' }, auth.warden1)).status).toBe(200);
    for (const w of ['warden1', 'warden2']) expect((await duty(w, { onDuty: false })).status).toBe(200);
  });

  it('groupBy=post counts the stages per post, and per person for staff', async () => {
    const period = `from=${new Date(startedAt.getTime() - 86_400_000).toISOString()}&to=${new Date(clock.now().getTime() + 86_400_000).toISOString()}`;
    const byPost = await http.get<StageReport>(`/api/v1/evaluation?groupBy=post&${period}`, auth.leader);
    expect(byPost.status).toBe(200);
    const post = (p: string) => byPost.body.rows.find((r) => r.post === p);
    // Register: four reports, one late (marked and escalated), three registered or still waiting within their limit.
    expect(post('intake')).toMatchObject({ stages: 4, overdue: 1, escalated: 1 });
    expect(post('dispatch')).toMatchObject({ stages: 1 });
    expect(post('supervisor')).toMatchObject({ stages: 3, onTime: 3, overdue: 0, onTimeRate: 1 });

    const byPerson = await http.get<StageReport>(`/api/v1/evaluation?groupBy=person&${period}`, auth.operator);
    expect(byPerson.status).toBe(200);
    expect(byPerson.body.rows.find((r) => r.post === 'supervisor' && r.person?.id === ids.warden2)).toMatchObject({ stages: 1, onTime: 1 });
    expect(byPerson.body.rows.find((r) => r.post === 'supervisor' && r.person?.id === ids.warden1)).toMatchObject({ stages: 1, onTime: 1 });

    // A chief sees no stage timeliness.
    expect((await http.get(`/api/v1/evaluation?groupBy=post&${period}`, auth.chief1)).status).toBe(403);
  });

  it('bad input answers 4xx naming the field, and writes nothing', async () => {
    const bad = await http.get(`/api/v1/evaluation?groupBy=posts&from=2026-01-01&to=2026-01-31`, auth.leader);
    expect(bad.status).toBe(400);
    expect(bad.body.details?.map((d) => d.field)).toContain('groupBy');
    const before = await withDb(intake.databaseUrl, async (db) => (await db.query(`SELECT on_duty FROM staff_duty WHERE user_id = $1`, [ids.warden1])).rows[0]);
    for (const [body, field] of [
      [{}, 'onDuty'],
      [{ onDuty: 'yes' }, 'onDuty'],
      [{ onDuty: true, location: { lng: 999, lat: 34 } }, 'lng'],
      [{ onDuty: true, location: 'here' }, 'location'],
    ] as const) {
      const answer = await duty('warden1', body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.details?.map((d) => d.field).join(',')).toContain(field);
    }
    const after = await withDb(intake.databaseUrl, async (db) => (await db.query(`SELECT on_duty FROM staff_duty WHERE user_id = $1`, [ids.warden1])).rows[0]);
    expect(after).toEqual(before);
    expect((await http.call('PATCH', '/api/v1/me/duty', { auth: auth.chief1, body: { onDuty: true } })).status).toBe(403);
  });
});
