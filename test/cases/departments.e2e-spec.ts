import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDispatcher, startFeed } from '../support/apps';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { FeedClient, tokenFor } from '../feed/helpers/feed-client';
import { departmentMember, must, onDuty, startWorld, type CaseBody, type World } from './helpers/workflow';
import { until } from '../support/until';

/** The case with a department's fields (domain.md 9). */
type DepartmentCase = Omit<CaseBody, 'assignee'> & {
  assignee: { id?: number; kind?: string; code?: string; name: string } | null;
  coordinator: { id: number; name: string; level: number } | null;
};

interface Department {
  code: string;
  name: string;
  categoryCodes: string[];
  streetCodes: string[];
  leader: { id: string; name: string } | null;
  members: number;
}

const GAS_LEAK = 'E0403';
const GREEN_SPACE = 'C0405';

describe('departments handle the cases of their trade; the road chief coordinates (issue 18 item 2)', () => {
  let redis: RedisServer;
  let w: World;
  let dispatcher: Awaited<ReturnType<typeof startDispatcher>>;
  let feed: Awaited<ReturnType<typeof startFeed>>;
  const auth: Record<string, string> = {};
  const ids: Record<string, string> = {};
  let gasFeed: FeedClient;
  let parksFeed: FeedClient;

  const patch = <T>(path: string, body: unknown, as: string) => w.http.call<T>('PATCH', path, { auth: as, body });

  async function member(username: string, departmentCode: string): Promise<void> {
    ({ id: ids[username], auth: auth[username] } = await departmentMember(w, username, departmentCode));
  }

  beforeAll(async () => {
    redis = await startRedisServer();
    const env = { REDIS_URL: redis.url, OUTBOX_POLL_MS: '50', SWEEP_INTERVAL_MS: '3600000' };
    w = await startWorld('departments', env);
    dispatcher = await startDispatcher(w.app.databaseUrl, env);
    feed = await startFeed(w.app.databaseUrl, env);
  });
  afterAll(async () => {
    gasFeed?.close();
    parksFeed?.close();
    await feed?.close();
    await dispatcher?.close();
    await w?.close();
    await redis?.close();
  });

  it('an admin defines departments (audited); unknown categories or streets and a taken code are 400 naming the field', async () => {
    const gas = must(await w.http.post<Department>('/api/v1/admin/departments', { code: 'GAS', name: '燃气公司', categoryCodes: [GAS_LEAK, 'C0111'] }, w.auth.admin), 201);
    expect(gas).toMatchObject({ code: 'GAS', name: '燃气公司', categoryCodes: ['C0111', GAS_LEAK], streetCodes: [], leader: null, members: 0 });
    must(await w.http.post('/api/v1/admin/departments', { code: 'PARKS', name: '园林局', categoryCodes: [GREEN_SPACE] }, w.auth.admin), 201);

    const street = (await w.db.query(`SELECT code FROM street ORDER BY code LIMIT 1`)).rows[0].code as string;
    const bad: [Record<string, unknown>, string][] = [
      [{ code: 'X1', name: 'x', categoryCodes: ['E9999'] }, 'categoryCodes'],
      [{ code: 'X1', name: 'x', categoryCodes: [GAS_LEAK], streetCodes: ['999999999'] }, 'streetCodes'],
      [{ code: 'GAS', name: '又一个燃气公司', categoryCodes: [GAS_LEAK], streetCodes: [street] }, 'code'],
      [{ code: 'X1', name: 'x', categoryCodes: [] }, 'categoryCodes'],
      [{ code: 'bad code!', name: 'x', categoryCodes: [GAS_LEAK] }, 'code'],
    ];
    for (const [body, field] of bad) {
      const answer = await w.http.post<{ details?: { field: string }[] }>('/api/v1/admin/departments', body, w.auth.admin);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.details?.map((d) => d.field)).toContain(field);
    }
    expect((await w.db.query(`SELECT code FROM department ORDER BY code`)).rows.map((r: { code: string }) => r.code)).toEqual(['GAS', 'PARKS']);
    expect((await w.db.query(`SELECT count(*)::int AS n FROM audit_entry WHERE action = 'department.create'`)).rows[0].n).toBe(2);
    // Not for anyone but admins.
    expect((await w.http.post('/api/v1/admin/departments', { code: 'X2', name: 'x', categoryCodes: [GAS_LEAK] }, w.auth.leader)).status).toBe(403);
  });

  it('accounts of role department belong to an active department; the leader is a member', async () => {
    expect((await w.http.post<{ details?: { field: string }[] }>('/api/v1/admin/users', { username: 'dept.none', name: 'x', role: 'department' }, w.auth.admin)).body.details?.[0].field).toBe(
      'departmentCode',
    );
    expect((await w.http.post<{ details?: { field: string }[] }>('/api/v1/admin/users', { username: 'dept.nope', name: 'x', role: 'department', departmentCode: 'NOPE' }, w.auth.admin)).status).toBe(400);
    expect((await w.http.post('/api/v1/admin/users', { username: 'op.gas', name: 'x', role: 'operator', departmentCode: 'GAS' }, w.auth.admin)).status).toBe(400);
    await member('gas1', 'GAS');
    await member('parks1', 'PARKS');
    const led = must(await patch<Department>('/api/v1/admin/departments/GAS', { leaderId: ids.gas1 }, w.auth.admin));
    expect(led).toMatchObject({ leader: { id: ids.gas1 }, members: 1 });
    const notMember = await patch<{ details?: { field: string }[] }>('/api/v1/admin/departments/GAS', { leaderId: ids.parks1 }, w.auth.admin);
    expect(notMember.status).toBe(400);
    expect(notMember.body.details?.[0].field).toBe('leaderId');
  });

  it('a gas leak goes to the gas company; the road chief coordinates and cannot resolve; a member resolves; another department sees nothing; evaluation counts it', async () => {
    gasFeed = new FeedClient(feed.url, { token: auth.gas1 });
    parksFeed = new FeedClient(feed.url, { token: auth.parks1 });
    await gasFeed.connected();
    await parksFeed.connected();

    const p = await w.point('warden1');
    const reported = must(await w.http.post<CaseBody>('/api/v1/cases', { categoryCode: GAS_LEAK, description: '闻到燃气泄漏', location: { lng: p.lng, lat: p.lat } }, w.auth.warden1), 201);
    const view = (as: string) => w.http.get<DepartmentCase>(`/api/v1/cases/${reported.id}`, as);
    const dispatched = await until('dispatch to the department', 15_000, async () => {
      const c = (await view(w.auth.leader)).body;
      return c.status === 'dispatched' ? c : undefined;
    });
    expect(dispatched.assignee).toEqual({ kind: 'department', code: 'GAS', name: '燃气公司' });
    expect(dispatched.coordinator?.id).toEqual(expect.any(Number));
    expect(dispatched.timeline?.find((e) => e.type === 'case.dispatched')?.evidence).toMatchObject({ assignee: { kind: 'department', code: 'GAS' }, coordinator: { id: dispatched.coordinator?.id } });

    // The coordinating chief: sees it (and in their tasks), comments, but neither accepts nor resolves.
    const coordinator = (await w.db.query(`SELECT u.username FROM road_chief c JOIN app_user u ON u.id = c.user_id WHERE c.id = $1`, [dispatched.coordinator?.id])).rows[0]
      .username as string;
    const chief = `Bearer ${await tokenFor(w.app.app, w.db, coordinator)}`;
    const chiefFeed = new FeedClient(feed.url, { token: chief });
    await chiefFeed.connected();
    expect((await view(chief)).status).toBe(200);
    expect(must(await w.http.get<DepartmentCase[]>('/api/v1/me/tasks', chief)).map((t) => t.id)).toContain(reported.id);
    must(await w.http.act(reported.id, 'comment', { note: '已设置警戒，等待燃气公司' }, chief));
    expect((await w.http.act(reported.id, 'accept', {}, chief)).status).toBe(403);

    // Another department: 403 on acting, nothing on REST.
    expect((await w.http.act(reported.id, 'accept', {}, auth.parks1)).status).toBe(403);
    expect((await view(auth.parks1)).status).toBe(404);
    expect(must(await w.http.get<DepartmentCase[]>('/api/v1/me/tasks', auth.parks1)).map((t) => t.id)).not.toContain(reported.id);
    expect(must(await w.http.get<{ items: DepartmentCase[] }>('/api/v1/cases?limit=100', auth.parks1)).items.map((t) => t.id)).not.toContain(reported.id);

    // The gas company's member: sees the case as staff (the department and its coordinator, not the public view), in their
    // tasks, accepts, resolves; the warden of the cell, on duty, verifies.
    const asMember = must(await view(auth.gas1));
    expect(asMember).toMatchObject({ assignee: { kind: 'department', code: 'GAS' }, coordinator: { id: dispatched.coordinator?.id } });
    expect(must(await w.http.get<DepartmentCase[]>('/api/v1/me/tasks', auth.gas1)).map((t) => t.id)).toContain(reported.id);
    must(await w.http.act(reported.id, 'accept', {}, auth.gas1));
    expect((await w.http.act(reported.id, 'resolve', { note: 'x' }, chief)).status).toBe(403);
    must(await w.http.act(reported.id, 'resolve', { note: '已关阀并修复管道' }, auth.gas1));
    await onDuty(w, 'warden1');
    must(await w.http.act(reported.id, 'verify', { passed: true }, w.auth.warden1));
    expect((await view(w.auth.leader)).body.status).toBe('closed');

    // The feed: the department's room and the coordinator's get the case's events, the other department none.
    await gasFeed.until(() => gasFeed.events.some((e) => e.caseId === reported.id && e.type === 'case.closed'), 10_000, 'case.closed for the gas company');
    await chiefFeed.until(() => chiefFeed.events.some((e) => e.caseId === reported.id && e.type === 'case.resolved'), 10_000, 'case.resolved for the coordinator');
    const dispatchEvent = gasFeed.events.find((e) => e.caseId === reported.id && e.type === 'case.dispatched');
    expect(dispatchEvent).toMatchObject({ department: { kind: 'department', code: 'GAS', name: '燃气公司' }, coordinator: { id: dispatched.coordinator?.id } });
    expect(dispatchEvent).not.toHaveProperty('formerDepartment');
    chiefFeed.close();
    expect(parksFeed.events.filter((e) => e.caseId === reported.id)).toEqual([]);

    // Evaluation by department counts it (and the chief rows do not: the chief only coordinated).
    const period = `from=${encodeURIComponent(new Date(Date.now() - 86400_000).toISOString())}&to=${encodeURIComponent(new Date(Date.now() + 86400_000).toISOString())}`;
    const byDepartment = must(
      await w.http.get<{ rows: { group: { kind: string; id: string; name: string }; counts: { dispatched: number; handled: number } }[] }>(`/api/v1/evaluation?${period}&groupBy=department`, w.auth.leader),
    );
    const gasRow = byDepartment.rows.find((r) => r.group.id === 'GAS');
    expect(gasRow).toMatchObject({ group: { kind: 'department', name: '燃气公司' }, counts: { dispatched: 1, handled: 1 } });
    expect(byDepartment.rows.map((r) => r.group.id)).not.toContain('PARKS');

    // The department's members heard of the task (their notifications), the other department's did not.
    type Inbox = { items: { event: string; caseId: string | null }[] };
    await until('task.assigned to the gas company', 15_000, async () =>
      must(await w.http.get<Inbox>('/api/v1/me/notifications', auth.gas1)).items.some((n) => n.event === 'task.assigned' && n.caseId === reported.id),
    );
    expect(must(await w.http.get<Inbox>('/api/v1/me/notifications', auth.parks1)).items.filter((n) => n.caseId === reported.id)).toEqual([]);
  });

  it('a member’s return takes the case from the department: routing passes the department over and the road chief handles it', async () => {
    const p = await w.point('warden2');
    const reported = must(await w.http.post<CaseBody>('/api/v1/cases', { categoryCode: GAS_LEAK, description: '燃气味，疑似误报', location: { lng: p.lng, lat: p.lat } }, w.auth.warden2), 201);
    const view = () => w.http.get<DepartmentCase>(`/api/v1/cases/${reported.id}`, w.auth.leader).then((a) => a.body);
    await until('dispatch to the department', 15_000, async () => (await view()).assignee?.code === 'GAS');
    must(await w.http.act(reported.id, 'return', { reasonType: 'not_ours', reason: '非燃气泄漏，为下水道异味' }, auth.gas1));
    const rerouted = await until('routed again', 15_000, async () => {
      const c = await view();
      return c.status === 'dispatched' && c.assignee?.kind === undefined ? c : undefined;
    });
    expect(rerouted.assignee?.id).toEqual(expect.any(Number));
    expect(rerouted.coordinator).toBeNull();
    expect((await w.http.get(`/api/v1/cases/${reported.id}`, auth.gas1)).status).toBe(404);
  });
});
