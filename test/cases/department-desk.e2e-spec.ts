import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDispatcher, startFeed } from '../support/apps';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { FeedClient, tokenFor } from '../feed/helpers/feed-client';
import { departmentMember, must, startWorld, type CaseBody, type World } from './helpers/workflow';
import { until } from '../support/until';

/** The case with a department's fields (domain.md 9). */
type DepartmentCase = Omit<CaseBody, 'assignee'> & {
  assignee: { id?: number; kind?: string; code?: string; name: string } | null;
  coordinator: { id: number; name: string; level: number } | null;
  extensionRequestedHours?: number | null;
  extensionCount?: number;
};
type Refusal = { error: string; details?: { field: string }[] };

const GREEN_SPACE = 'C0405';
const GAS_LEAK = 'E0403';

/**
 * Issue 18's leftovers: an operator dispatches a case to a department by hand (validated, the road
 * chief routing names coordinating, the feed's events as routing's), and a department's leader decides
 * its members' requests for more time (the access model's department-lead scope).
 */
describe('a department by hand, and its leader’s decisions', () => {
  let redis: RedisServer;
  let w: World;
  let dispatcher: Awaited<ReturnType<typeof startDispatcher>>;
  let feed: Awaited<ReturnType<typeof startFeed>>;
  const feeds: FeedClient[] = [];
  const auth: Record<string, string> = {};
  const ids: Record<string, string> = {};
  let caseId = '';
  let routedChief = 0;

  const admin = (method: 'POST' | 'PATCH', path: string, body: unknown) => w.http.call(method, path, { auth: w.auth.admin, body });
  const view = async (as = w.auth.leader) => must(await w.http.get<DepartmentCase>(`/api/v1/cases/${caseId}`, as));
  const events = async () => Number((await w.db.query(`SELECT count(*)::int AS n FROM case_event WHERE case_id = $1`, [caseId])).rows[0].n);

  async function member(username: string, departmentCode: string): Promise<void> {
    ({ id: ids[username], auth: auth[username] } = await departmentMember(w, username, departmentCode));
  }

  beforeAll(async () => {
    redis = await startRedisServer();
    const env = { REDIS_URL: redis.url, OUTBOX_POLL_MS: '50', SWEEP_INTERVAL_MS: '3600000' };
    w = await startWorld('department-desk', env);
    dispatcher = await startDispatcher(w.app.databaseUrl, env);
    feed = await startFeed(w.app.databaseUrl, env);
    must(await admin('POST', '/api/v1/admin/departments', { code: 'GAS', name: '燃气公司', categoryCodes: [GAS_LEAK] }), 201);
    must(await admin('POST', '/api/v1/admin/departments', { code: 'OLDPARKS', name: '旧园林所', categoryCodes: [GREEN_SPACE] }), 201);
    must(await admin('PATCH', '/api/v1/admin/departments/OLDPARKS', { active: false }));
    await member('gas.lead', 'GAS');
    must(await admin('PATCH', '/api/v1/admin/departments/GAS', { leaderId: ids['gas.lead'] }));
  });
  afterAll(async () => {
    for (const f of feeds) f.close();
    await feed?.close();
    await dispatcher?.close();
    await w?.close();
    await redis?.close();
  });

  it('an operator hands a chief’s case to a department that handles its category; the routed chief coordinates; bad departments are 4xx naming departmentCode, nothing written', async () => {
    // A green-space case no department handled when it came: routing gives it to a road chief.
    const p = await w.point('warden1');
    caseId = must(await w.http.post<CaseBody>('/api/v1/cases', { categoryCode: GREEN_SPACE, description: '绿地被占用堆放杂物', location: { lng: p.lng, lat: p.lat } }, w.auth.warden1), 201).id;
    const routed = await until('routing to a chief', 15_000, async () => {
      const c = await view();
      return c.status === 'dispatched' ? c : undefined;
    });
    expect(routed.assignee?.kind).toBeUndefined();
    routedChief = routed.assignee?.id as number;

    // Then the district gets a parks department (its leader and a member), connected to the feed.
    must(await admin('POST', '/api/v1/admin/departments', { code: 'PARKS', name: '园林局', categoryCodes: [GREEN_SPACE] }), 201);
    await member('parks.lead', 'PARKS');
    await member('parks.two', 'PARKS');
    must(await admin('PATCH', '/api/v1/admin/departments/PARKS', { leaderId: ids['parks.lead'] }));
    const parksFeed = new FeedClient(feed.url, { token: auth['parks.two'] });
    const chiefUser = (await w.db.query(`SELECT u.username FROM road_chief c JOIN app_user u ON u.id = c.user_id WHERE c.id = $1`, [routedChief])).rows[0].username as string;
    const chiefFeed = new FeedClient(feed.url, { token: `Bearer ${await tokenFor(w.app.app, w.db, chiefUser)}` });
    feeds.push(parksFeed, chiefFeed);
    await parksFeed.connected();
    await chiefFeed.connected();
    expect((await w.http.get(`/api/v1/cases/${caseId}`, auth['parks.two'])).status).toBe(404);

    // The drawer's choice: the active departments that handle the category.
    expect(must(await w.http.get<{ code: string }[]>(`/api/v1/departments?category=${GREEN_SPACE}`, w.auth.operator))).toEqual([{ code: 'PARKS', name: '园林局' }]);
    expect((must(await w.http.get<{ code: string }[]>('/api/v1/departments', w.auth.operator)) as unknown as { code: string }[]).map((d) => d.code)).toEqual(['GAS', 'PARKS']);
    expect((await w.http.get('/api/v1/departments?category=nope', w.auth.operator)).status).toBe(400);
    expect((await w.http.get('/api/v1/departments', w.auth.chief1)).status).toBe(403);

    // Refused, naming the field, nothing written: unknown, deactivated, not handling the category, malformed.
    const before = await events();
    const refusals: [string, number, string][] = [
      ['NOPE', 422, 'unknown_department'],
      ['OLDPARKS', 422, 'department_unfit'],
      ['GAS', 422, 'department_unfit'],
      ['bad code!', 400, 'validation_failed'],
    ];
    for (const [departmentCode, status, error] of refusals) {
      const answer = await w.http.act<Refusal>(caseId, 'dispatch', { departmentCode }, w.auth.operator);
      expect(answer.status, departmentCode).toBe(status);
      if (status === 422) expect(answer.body.error, departmentCode).toBe(error);
      expect(answer.body.details?.map((d) => d.field), departmentCode).toContain('departmentCode');
    }
    // Not for a chief, nor a department's leader.
    expect((await w.http.act(caseId, 'dispatch', { departmentCode: 'PARKS' }, w.auth.chief1)).status).toBe(403);
    expect((await w.http.act(caseId, 'dispatch', { departmentCode: 'PARKS' }, auth['parks.lead'])).status).toBe(403);
    expect(await events()).toBe(before);
    expect(await view()).toMatchObject({ status: 'dispatched', assignee: { id: routedChief } });

    // The operator's dispatch: to the department, the chief routing names at the place coordinating.
    const moved = must(await w.http.act<DepartmentCase>(caseId, 'dispatch', { departmentCode: 'PARKS', reason: '属园林局职责' }, w.auth.operator));
    expect(moved).toMatchObject({ status: 'dispatched', assignee: { kind: 'department', code: 'PARKS', name: '园林局' }, coordinator: { id: routedChief } });
    const dispatched = moved.timeline?.filter((e) => e.type === 'case.dispatched').at(-1);
    expect(dispatched?.evidence).toMatchObject({ assignee: { kind: 'department', code: 'PARKS', name: '园林局' }, coordinator: { id: routedChief } });
    // Again: the same department is a conflict naming the field.
    const again = await w.http.act<Refusal>(caseId, 'dispatch', { departmentCode: 'PARKS' }, w.auth.operator);
    expect(again.status).toBe(409);
    expect(again.body.details?.map((d) => d.field)).toContain('departmentCode');

    // The feed as for routing's dispatch to a department: the department's room and the coordinator's.
    await parksFeed.until(() => parksFeed.events.some((e) => e.caseId === caseId && e.type === 'case.dispatched'), 10_000, 'case.dispatched for the parks department');
    expect(parksFeed.events.find((e) => e.caseId === caseId && e.type === 'case.dispatched')).toMatchObject({
      department: { kind: 'department', code: 'PARKS', name: '园林局' },
      coordinator: { id: routedChief },
    });
    await chiefFeed.until(() => chiefFeed.events.some((e) => e.caseId === caseId && e.type === 'case.dispatched'), 10_000, 'case.dispatched for the coordinator');
    // The members are told of the task; they see it and act on it.
    expect(must(await w.http.get<DepartmentCase[]>('/api/v1/me/tasks', auth['parks.two'])).map((t) => t.id)).toContain(caseId);
    type Inbox = { items: { event: string; caseId: string | null }[] };
    await until('task.assigned to the parks department', 15_000, async () =>
      must(await w.http.get<Inbox>('/api/v1/me/notifications', auth['parks.two'])).items.some((n) => n.event === 'task.assigned' && n.caseId === caseId),
    );
    must(await w.http.act(caseId, 'accept', {}, auth['parks.two']));
  });

  it('the department’s leader sees a member’s request for more time and grants or refuses it; a member who does not lead, or another department’s leader, may not', async () => {
    expect(must(await w.http.get<{ ledDepartmentCode: string | null }>('/api/v1/auth/me', auth['parks.lead'])).ledDepartmentCode).toBe('PARKS');
    expect(must(await w.http.get<{ ledDepartmentCode: string | null }>('/api/v1/auth/me', auth['parks.two'])).ledDepartmentCode).toBeNull();
    const deadline = (await view()).deadlineAt as string;

    // A member asks; the leader's 待我审批 list (the cases with hours asked, in their scope) shows it; the other department's does not.
    must(await w.http.act(caseId, 'extend', { hours: 24, reason: '需等待苗木到货' }, auth['parks.two']));
    const waiting = async (as: string) => must(await w.http.get<{ items: DepartmentCase[] }>('/api/v1/cases?extensionRequested=true&limit=200', as)).items.map((c) => c.id);
    expect(await waiting(auth['parks.lead'])).toEqual([caseId]);
    expect(await waiting(auth['gas.lead'])).toEqual([]);

    const before = await events();
    const member = await w.http.act<Refusal>(caseId, 'refuse-extension', { reason: 'no' }, auth['parks.two']);
    expect(member.status).toBe(403);
    expect(member.body.error).toBe('forbidden');
    expect((await w.http.act(caseId, 'refuse-extension', { reason: 'no' }, auth['gas.lead'])).status).toBe(403);
    expect((await w.http.act(caseId, 'extend', {}, auth['gas.lead'])).status).toBe(403);
    expect(await events()).toBe(before);

    // The leader grants the hours asked.
    const granted = must(await w.http.act<DepartmentCase>(caseId, 'extend', { reason: '同意' }, auth['parks.lead']));
    expect(granted).toMatchObject({ extensionRequestedHours: null, extensionCount: 1 });
    expect(new Date(granted.deadlineAt as string).getTime()).toBeGreaterThan(new Date(deadline).getTime());
    expect(granted.timeline?.at(-1)).toMatchObject({ type: 'case.extended', evidence: { hours: 24 } });
    expect(await waiting(auth['parks.lead'])).toEqual([]);

    // A second request, refused by the leader with a reason.
    must(await w.http.act(caseId, 'extend', { hours: 12, reason: '雨天' }, auth['parks.two']));
    const refused = must(await w.http.act<DepartmentCase>(caseId, 'refuse-extension', { reason: '今日完成' }, auth['parks.lead']));
    expect(refused).toMatchObject({ extensionRequestedHours: null, extensionCount: 1 });
    expect(refused.timeline?.at(-1)).toMatchObject({ type: 'case.extension_refused' });
  });
});
