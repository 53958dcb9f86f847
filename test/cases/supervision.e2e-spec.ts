import { hashPassword } from '@wangge/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDispatcher, startFeed } from '../support/apps';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { FeedClient } from '../feed/helpers/feed-client';
import { must, onDuty, startWorld, type CaseBody, type World } from './helpers/workflow';
import { until } from '../support/until';

type Supervised = CaseBody & { source: string; description: string; supervision?: { by: { name: string }; instruction: string; dueAt: string | null; at: string } | null };

interface EvaluationBody {
  rows: { group: { id: string }; supervision: { supervised: number; handledOnTime: number; onTimeRate: number | null } }[];
  totals: { supervision: { supervised: number; handledOnTime: number; onTimeRate: number | null } };
}

describe('leaders supervise (督办) and instruct (批示) cases', () => {
  let redis: RedisServer;
  let w: World;
  let dispatcher: Awaited<ReturnType<typeof startDispatcher>>;
  let feed: Awaited<ReturnType<typeof startFeed>>;
  let chiefFeed: FeedClient;
  let streetLeader: string;
  let otherStreet: string;

  beforeAll(async () => {
    redis = await startRedisServer();
    const env = { REDIS_URL: redis.url, OUTBOX_POLL_MS: '50', SWEEP_INTERVAL_MS: '3600000' };
    w = await startWorld('supervision', env);
    await onDuty(w, 'warden1'); // the check of a resolved case in their cells is their task
    dispatcher = await startDispatcher(w.app.databaseUrl, env);
    feed = await startFeed(w.app.databaseUrl, env);
    chiefFeed = new FeedClient(feed.url, { token: w.auth.chief3 });
    await chiefFeed.connected();
    // A leader of one street (a street's 值班长), and a street that is not theirs.
    const streets = (await w.db.query(`SELECT code FROM street ORDER BY code`)).rows.map((r: { code: string }) => r.code);
    expect(streets.length).toBeGreaterThan(1);
    await w.db.query(`INSERT INTO app_user (username, name, role, street_code, password_hash) VALUES ('street_leader', '街道值班长', 'leader', $1, $2)`, [
      streets[0],
      await hashPassword('street-leader-pass-1'),
    ]);
    streetLeader = await w.app.bearer('street_leader', 'street-leader-pass-1');
    otherStreet = streets[1];
  });
  afterAll(async () => {
    chiefFeed?.close();
    await feed?.close();
    await dispatcher?.close();
    await w?.close();
    await redis?.close();
  });

  const view = (id: string, as = 'leader') => w.http.get<Supervised>(`/api/v1/cases/${id}`, w.auth[as]).then((a) => a.body);

  /** A warden's report, routed by the dispatcher, then handed to chief3 by hand (a demo login). */
  async function caseOfChief3(description: string): Promise<string> {
    const p = await w.point('warden1');
    const created = must(await w.http.post<CaseBody>('/api/v1/cases', { categoryCode: 'E0102', description, location: { lng: p.lng, lat: p.lat } }, w.auth.warden1), 201);
    await until('dispatch', 15_000, async () => (await view(created.id)).status === 'dispatched');
    if ((await view(created.id)).assignee?.id !== w.chiefs.chief3) {
      must(await w.http.act(created.id, 'dispatch', { assigneeId: w.chiefs.chief3, reason: 'by hand' }, w.auth.operator));
    }
    return created.id;
  }

  it('督办 on a dispatched case: the event, the mark in the chief’s tasks (first), the chief’s socket, evaluation', async () => {
    const first = await caseOfChief3('暴露垃圾 first');
    const second = await caseOfChief3('暴露垃圾 second');
    const dueAt = new Date(Date.now() + 24 * 3600_000).toISOString();

    const supervised = must(await w.http.post<Supervised>(`/api/v1/cases/${second}/supervise`, { instruction: '今日下班前处置完毕', dueAt }, w.auth.leader));
    expect(supervised.supervision).toMatchObject({ instruction: '今日下班前处置完毕', dueAt });
    expect(supervised.timeline?.at(-1)).toMatchObject({ type: 'case.supervised', reason: '今日下班前处置完毕', evidence: { instruction: '今日下班前处置完毕', dueAt } });
    // The same order again changes nothing.
    must(await w.http.post(`/api/v1/cases/${second}/supervise`, { instruction: '今日下班前处置完毕', dueAt }, w.auth.leader));
    expect((await view(second)).timeline?.filter((e) => e.type === 'case.supervised')).toHaveLength(1);

    await chiefFeed.until(() => chiefFeed.events.some((e) => e.caseId === second && e.type === 'case.supervised'), 10_000, 'case.supervised on the chief’s socket');

    const tasks = must(await w.http.get<Supervised[]>('/api/v1/me/tasks', w.auth.chief3));
    const ids = tasks.map((t) => t.id);
    expect(ids).toContain(first);
    expect(ids[0]).toBe(second);
    expect(tasks[0].supervision?.instruction).toBe('今日下班前处置完毕');
    expect(tasks.find((t) => t.id === first)?.supervision).toBeNull();

    // The chief handles it in time; once closed, the case no longer carries the supervision.
    must(await w.http.act(second, 'accept', {}, w.auth.chief3));
    must(await w.http.act(second, 'resolve', { note: '已清运' }, w.auth.chief3));
    must(await w.http.act(second, 'verify', { passed: true }, w.auth.warden1));
    const closed = await view(second);
    expect(closed.status).toBe('closed');
    expect(closed.supervision).toBeNull();

    const period = `from=${encodeURIComponent(new Date(Date.now() - 86400_000).toISOString())}&to=${encodeURIComponent(new Date(Date.now() + 86400_000).toISOString())}`;
    const report = must(await w.http.get<EvaluationBody>(`/api/v1/evaluation?${period}&groupBy=chief`, w.auth.leader));
    expect(report.totals.supervision).toEqual({ supervised: 1, handledOnTime: 1, onTimeRate: 1 });
    expect(report.rows.find((r) => r.group.id === String(w.chiefs.chief3))?.supervision.supervised).toBe(1);
  });

  it('批示 on a case: case.instructed in its timeline, the case unchanged', async () => {
    const id = await caseOfChief3('暴露垃圾 instructed');
    const before = await view(id);
    const after = must(await w.http.post<Supervised>(`/api/v1/cases/${id}/instruct`, { instruction: '请举一反三，排查全路段' }, w.auth.leader));
    expect(after.status).toBe(before.status);
    expect(after.supervision).toBeNull();
    expect(after.timeline?.at(-1)).toMatchObject({ type: 'case.instructed', reason: '请举一反三，排查全路段' });
    await chiefFeed.until(() => chiefFeed.events.some((e) => e.caseId === id && e.type === 'case.instructed'), 10_000, 'case.instructed on the chief’s socket');
  });

  it('a 批示件 becomes a registered case with source leader, routed as usual', async () => {
    const p = await w.point('warden2');
    const created = must(
      await w.http.post<Supervised>('/api/v1/instructions', { text: '路口积水严重，请立即处置', location: { lng: p.lng, lat: p.lat }, categoryCode: 'E0102' }, w.auth.leader),
      201,
    );
    expect(created.source).toBe('leader');
    expect(created.status).toBe('registered');
    const routed = await until('the 批示件 routed', 15_000, async () => {
      const v = await view(created.id);
      return v.status === 'dispatched' && v;
    });
    const located = must(await w.http.get<{ assignee: { id: number } }>(`/api/v1/locate?lng=${p.lng}&lat=${p.lat}`, w.auth.operator));
    expect(routed.assignee?.id).toBe(located.assignee.id);
    expect(routed.description).toBe('路口积水严重，请立即处置');
    expect(routed.timeline?.map((e) => e.type)).toEqual(['case.reported', 'case.registered', 'case.dispatched']);
  });

  it('who may: leaders only (a chief or an operator: 403), a street leader in their street only, district leaders everywhere; bad input names the field', async () => {
    const id = await caseOfChief3('暴露垃圾 scope');
    expect((await w.http.post(`/api/v1/cases/${id}/supervise`, { instruction: '督办' }, w.auth.chief3)).status).toBe(403);
    expect((await w.http.post(`/api/v1/cases/${id}/supervise`, { instruction: '督办' }, w.auth.operator)).status).toBe(403);
    expect((await w.http.post(`/api/v1/cases/${id}/instruct`, { instruction: '批示' }, w.auth.chief3)).status).toBe(403);
    const p = await w.point('warden1');
    expect((await w.http.post('/api/v1/instructions', { text: '批示件', location: { lng: p.lng, lat: p.lat }, categoryCode: 'E0102' }, w.auth.chief3)).status).toBe(403);

    const c = await view(id);
    const ownStreet = c.street.code !== otherStreet;
    const byStreetLeader = await w.http.post(`/api/v1/cases/${id}/supervise`, { instruction: '街道督办' }, streetLeader);
    if (ownStreet) expect(byStreetLeader.status, JSON.stringify(byStreetLeader.body)).toBe(200);
    else expect(byStreetLeader.status).toBe(403);
    // A case in the other street: the street leader is refused and nothing is written; the district leader may.
    const far = (await w.db.query(`SELECT id FROM case_file WHERE street_code = $1 AND status IN ('registered', 'dispatched', 'in_progress') LIMIT 1`, [otherStreet])).rows[0] as
      | { id: string }
      | undefined;
    const target = far?.id ?? (await reportIn(otherStreet));
    const events = async () => Number((await w.db.query(`SELECT count(*) FROM case_event WHERE case_id = $1`, [target])).rows[0].count);
    const n = await events();
    const refused = await w.http.post(`/api/v1/cases/${target}/supervise`, { instruction: '越权督办' }, streetLeader);
    expect(refused.status).toBe(403);
    expect(await events()).toBe(n);
    expect((await w.http.post(`/api/v1/cases/${target}/supervise`, { instruction: '区级督办' }, w.auth.leader)).status).toBe(200);

    const empty = await w.http.post(`/api/v1/cases/${id}/supervise`, {}, w.auth.leader);
    expect(empty.status).toBe(400);
    expect(JSON.stringify(empty.body)).toContain('instruction');
    const past = await w.http.post(`/api/v1/cases/${id}/supervise`, { instruction: '督办', dueAt: '2020-01-01T00:00:00Z' }, w.auth.leader);
    expect(past.status).toBe(400);
    expect(past.body.details?.[0]?.field ?? JSON.stringify(past.body)).toContain('dueAt');
    const noPlace = await w.http.post('/api/v1/instructions', { text: '批示件', categoryCode: 'E0102' }, w.auth.leader);
    expect(noPlace.status).toBe(400);
    expect(JSON.stringify(noPlace.body)).toContain('location');
    const closedCase = (await w.db.query(`SELECT id FROM case_file WHERE status = 'closed' LIMIT 1`)).rows[0] as { id: string };
    expect((await w.http.post(`/api/v1/cases/${closedCase.id}/supervise`, { instruction: '督办' }, w.auth.leader)).status).toBe(409);
  });

  /** A hotline report in a street (a point of one of its cells), registered by the operator. */
  async function reportIn(street: string): Promise<string> {
    const { rows } = await w.db.query(`SELECT ST_X(ST_PointOnSurface(geom)) AS lng, ST_Y(ST_PointOnSurface(geom)) AS lat FROM grid_cell WHERE street_code = $1 LIMIT 1`, [street]);
    const created = must(await w.http.post<CaseBody>('/api/v1/cases', { categoryCode: 'C0101', description: '井盖缺失', location: rows[0] }, w.auth.operator), 201);
    return created.id;
  }
});
