import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addTimeLimit, HolidayCalendar, localDate, ManualClock } from '@wangge/clock';
import { startDispatcher, startIntake, type RunningApp } from '../support/apps';
import { api, chiefIdOf, pointInWardenCell, withDb } from '../support/cases';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { until } from '../support/until';

interface CaseBody {
  id: string;
  status: string;
  assignee: { id: number } | null;
  deadlineAt: string | null;
  standard: { version: number; conditionNo: number; timeLimit: { value: number; clockType: string } } | null;
}

interface CalendarYear {
  year: number;
  entries: { date: string; kind: 'holiday' | 'workday'; name: string; nameEn: string }[];
}

const HOUR = 3_600_000;
const OFFSET = 480;

/**
 * Reference data changed through the intake takes effect in the dispatcher (where routing sets
 * deadlines) without a restart, and never reaches back into cases judged before the change.
 */
describe('reference data takes effect across processes (domain.md sections 3 and 7)', () => {
  let redis: RedisServer;
  let intake: RunningApp;
  let dispatcher: Awaited<ReturnType<typeof startDispatcher>>;
  let http: ReturnType<typeof api>;
  // Monday 2027-03-01 09:00 in the district: the dispatcher's "now" when it dispatches.
  const clock = new ManualClock('2027-03-01T09:00:00+08:00');
  const auth: Record<string, string> = {};
  const today = localDate(new Date(), OFFSET);

  const condition = (value: number, clockType: string) => ({
    condition: '测试条件',
    conditionEn: 'test condition',
    timeLimit: { value, clockType },
    closingCondition: '已处理',
    closingConditionEn: 'handled',
  });
  const view = async (id: string) => (await http.get<CaseBody>(`/api/v1/cases/${id}`, auth.operator)).body;
  const dispatched = (id: string, notBy?: number) =>
    until(`dispatch of ${id}`, 15_000, async () => {
      const v = await view(id);
      return v.status === 'dispatched' && v.assignee?.id !== notBy && v;
    });
  const wardenReport = async (category: string, cell: number) => {
    const p = await withDb(intake.databaseUrl, (db) => pointInWardenCell(db, 'warden1', cell));
    const created = await http.post<CaseBody>('/api/v1/cases', { categoryCode: category, description: `report in cell ${cell}`, location: { lng: p.lng, lat: p.lat } }, auth.warden1);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body.id;
  };

  beforeAll(async () => {
    redis = await startRedisServer();
    const env = { REDIS_URL: redis.url, REPORT_RATE_LIMIT: '100000', OUTBOX_POLL_MS: '50', SWEEP_INTERVAL_MS: '3600000' };
    intake = await startIntake('refdata-effects', env);
    dispatcher = await startDispatcher(intake.databaseUrl, env, { clock });
    http = api(intake);
    for (const u of ['admin', 'operator', 'warden1', 'chief3']) auth[u] = await intake.bearer(u);
    for (const [code, limit] of [
      ['E0198', condition(4, 'urgent_hours')],
      ['E0199', condition(1, 'work_days')],
    ] as const) {
      const created = await http.post(
        '/api/v1/admin/categories',
        { code, kind: 'event', majorCode: '01', minorCode: code.slice(3), name: `测试${code}`, nameEn: `Test ${code}`, standard: { effectiveFrom: today, conditions: [limit] } },
        auth.admin,
      );
      expect(created.status, JSON.stringify(created.body)).toBe(201);
    }
  });
  afterAll(async () => {
    await dispatcher?.close();
    await intake?.close();
    await redis?.close();
  });

  it('a case keeps the standard version it was registered under; a new case gets the new version', async () => {
    const first = await wardenReport('E0198', 5);
    const v1Case = await dispatched(first);
    expect(v1Case.standard).toMatchObject({ version: 1, conditionNo: 1, timeLimit: { value: 4, clockType: 'urgent_hours' } });
    expect(v1Case.deadlineAt).toBe(new Date(clock.now().getTime() + 4 * HOUR).toISOString());

    const v2 = await http.post('/api/v1/admin/categories/E0198/standards', { effectiveFrom: today, conditions: [condition(10, 'urgent_hours')] }, auth.admin);
    expect(v2.status, JSON.stringify(v2.body)).toBe(201);

    const second = await dispatched(await wardenReport('E0198', 6));
    expect(second.standard).toMatchObject({ version: 2, timeLimit: { value: 10 } });
    expect(second.deadlineAt).toBe(new Date(clock.now().getTime() + 10 * HOUR).toISOString());

    const kept = await view(first);
    expect(kept.standard).toMatchObject({ version: 1, timeLimit: { value: 4 } });
    expect(kept.deadlineAt).toBe(v1Case.deadlineAt);

    // Its deadline set again, by hand in the intake and by routing in the dispatcher: still version 1's limit.
    const chief3 = await withDb(intake.databaseUrl, (db) => chiefIdOf(db, 'chief3'));
    const byHand = await http.act<CaseBody>(first, 'dispatch', { assigneeId: chief3, reason: 'by hand' }, auth.operator);
    expect(byHand.status, JSON.stringify(byHand.body)).toBe(200);
    const handDeadline = new Date(byHand.body.deadlineAt!).getTime();
    expect(Math.abs(handDeadline - (Date.now() + 4 * HOUR))).toBeLessThan(60_000);
    expect((await http.act(first, 'return', { reason: 'not my segment' }, auth.chief3)).status).toBe(200);
    const rerouted = await dispatched(first, chief3);
    expect(rerouted.deadlineAt).toBe(new Date(clock.now().getTime() + 4 * HOUR).toISOString());
    expect(rerouted.standard?.version).toBe(1);
  });

  it('a calendar saved through the intake counts in the next deadline the dispatcher computes', async () => {
    const original = (await http.get<CalendarYear>('/api/v1/admin/calendar/2027', auth.admin)).body;
    const limit = { value: 1, clockType: 'work_days' as const };
    const expected = (entries: CalendarYear['entries']) => addTimeLimit(clock.now(), limit, HolidayCalendar.fromRows(entries), OFFSET).toISOString();

    const before = await dispatched(await wardenReport('E0199', 7));
    expect(before.deadlineAt).toBe(expected(original.entries));

    // Tuesday 2 March becomes a day off.
    const changed = [...original.entries, { date: '2027-03-02', kind: 'holiday' as const, name: '测试假日', nameEn: 'Test holiday' }];
    const put = await http.call<CalendarYear>('PUT', '/api/v1/admin/calendar/2027', { auth: auth.admin, body: changed });
    expect(put.status, JSON.stringify(put.body)).toBe(200);

    const after = await dispatched(await wardenReport('E0199', 8));
    expect(after.deadlineAt).toBe(expected(changed));
    expect(new Date(after.deadlineAt!).getTime() - new Date(before.deadlineAt!).getTime()).toBe(24 * HOUR);

    // And back: the next deadline follows the restored year.
    expect((await http.call('PUT', '/api/v1/admin/calendar/2027', { auth: auth.admin, body: original.entries })).status).toBe(200);
    const restored = await dispatched(await wardenReport('E0199', 9));
    expect(restored.deadlineAt).toBe(before.deadlineAt);
  });
});
