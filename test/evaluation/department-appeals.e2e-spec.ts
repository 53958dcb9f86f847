import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { craftCase, departmentLoop } from '../bulletins/crafted-cases';
import { departmentMember, must, startWorld, type World } from '../cases/helpers/workflow';
import { startRedisServer, type RedisServer } from '../support/redis-server';

interface AppealView {
  id: string;
  case: { id: string };
  chief: { id: number } | null;
  department: { code: string; name: string } | null;
  status: string;
}

/**
 * Appeals by department members (issue 18): a member of the department a case is dispatched to
 * appeals its overdue mark; the department's leader (or a district leader) decides; an approved
 * appeal exempts the case from the department's timeliness counts.
 */
describe('appeals of overdue marks by department members', () => {
  let redis: RedisServer;
  let w: World;
  const auth: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const cases: Record<string, string> = {};

  async function member(username: string, departmentCode: string): Promise<void> {
    ({ id: ids[username], auth: auth[username] } = await departmentMember(w, username, departmentCode));
  }

  beforeAll(async () => {
    redis = await startRedisServer();
    w = await startWorld('department-appeals', { REDIS_URL: redis.url, SWEEP_INTERVAL_MS: '3600000' });
    for (const d of [
      { code: 'GAS', name: '燃气公司', categoryCodes: ['E0403'] },
      { code: 'CITY', name: '市政局', categoryCodes: ['E0601'] },
    ]) must(await w.http.post('/api/v1/admin/departments', d, w.auth.admin), 201);
    await member('gas.lead', 'GAS');
    await member('gas.two', 'GAS');
    await member('city.one', 'CITY');
    must(await w.http.call('PATCH', '/api/v1/admin/departments/GAS', { auth: w.auth.admin, body: { leaderId: ids['gas.lead'] } }));
    const t0 = new Date(Date.now() - 3 * 86_400_000);
    for (const [name, resolveAfterH] of [['late', null], ['onTime', 1], ['second', null]] as const) {
      const p = await w.point('warden1');
      const l = departmentLoop(t0, { code: 'GAS', name: '燃气公司' }, resolveAfterH);
      cases[name] = (await craftCase(w.db, { ...p, category: 'E0403', status: l.status, createdAt: t0, closedAt: l.closedAt, assigneeDepartmentCode: 'GAS', deadlineAt: l.deadlineAt, overdue: l.overdue, events: l.events })).id;
    }
  });
  afterAll(async () => {
    await w?.close();
    await redis?.close();
  });

  it('a member of the case’s department appeals its overdue mark, once; others may not', async () => {
    const res = await w.http.post<AppealView>('/api/v1/appeals', { caseId: cases.late, reason: '燃气管网停气，无法入户 / supply shut off' }, auth['gas.two']);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'pending', chief: null, department: { code: 'GAS', name: '燃气公司' }, case: { id: cases.late } });
    const event = (await w.db.query(`SELECT evidence FROM case_event WHERE case_id = $1 AND type = 'case.appealed'`, [cases.late])).rows[0].evidence;
    expect(event).toMatchObject({ appealId: res.body.id, chiefId: null, departmentCode: 'GAS' });

    expect((await w.http.post<{ error: string }>('/api/v1/appeals', { caseId: cases.late, reason: 'again' }, auth['gas.lead'])).body.error).toBe('appeal_exists');
    expect((await w.http.post<{ error: string }>('/api/v1/appeals', { caseId: cases.onTime, reason: 'x' }, auth['gas.two'])).body.error).toBe('not_overdue');
    expect((await w.http.post('/api/v1/appeals', { caseId: cases.second, reason: 'x' }, auth['city.one'])).status).toBe(403);
    expect((await w.db.query(`SELECT count(*)::int AS n FROM appeal`)).rows[0].n).toBe(1);

    const listed = async (as: string) => (must(await w.http.get<AppealView[]>('/api/v1/appeals', as)) as unknown as AppealView[]).map((a) => a.case.id);
    expect(await listed(auth['gas.lead'])).toEqual([cases.late]);
    expect(await listed(auth['city.one'])).toEqual([]);
    expect(await listed(w.auth.leader)).toEqual([cases.late]);
  });

  it('the department’s leader decides it (a member who does not lead may not); approved, it exempts the case in evaluation by department', async () => {
    const [appeal] = must(await w.http.get<AppealView[]>('/api/v1/appeals?status=pending', auth['gas.lead'])) as unknown as AppealView[];
    expect((await w.http.post(`/api/v1/appeals/${appeal.id}/decision`, { approved: true }, auth['gas.two'])).status).toBe(403);
    expect((await w.http.post(`/api/v1/appeals/${appeal.id}/decision`, { approved: true }, auth['city.one'])).status).toBe(403);
    const decided = must(await w.http.post<AppealView>(`/api/v1/appeals/${appeal.id}/decision`, { approved: true, note: '停气属实' }, auth['gas.lead']));
    expect(decided).toMatchObject({ status: 'approved', department: { code: 'GAS' }, decidedBy: { id: ids['gas.lead'] } });
    expect((await w.http.post(`/api/v1/appeals/${appeal.id}/decision`, { approved: false }, w.auth.leader)).status).toBe(409);

    const period = `from=${encodeURIComponent(new Date(Date.now() - 5 * 86_400_000).toISOString())}&to=${encodeURIComponent(new Date().toISOString())}`;
    const report = must(await w.http.get<{ rows: { group: { id: string }; counts: { exempted: number; overdueOpen: number } }[] }>(`/api/v1/evaluation?${period}&groupBy=department`, w.auth.leader));
    expect(report.rows.find((r) => r.group.id === 'GAS')?.counts).toMatchObject({ exempted: 1, overdueOpen: 1 });
  });

  it('a district leader decides a department’s appeal too', async () => {
    const made = must(await w.http.post<AppealView>('/api/v1/appeals', { caseId: cases.second, reason: '道路封闭 road closed' }, auth['gas.lead']), 201);
    const decided = must(await w.http.post<AppealView>(`/api/v1/appeals/${made.id}/decision`, { approved: false }, w.auth.leader));
    expect(decided).toMatchObject({ status: 'rejected', department: { code: 'GAS' } });
  });
});
