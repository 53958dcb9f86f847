import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clockMsBetween, HolidayCalendar, ManualClock } from '@wangge/clock';
import { CaseClockService, CaseCountsQuery, OverdueCasesQuery } from '@wangge/workflow';
import { startDispatcher, startIntake, type RunningApp } from '../support/apps';
import { api, pointInWardenCell } from '../support/cases';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { TimerSweeper } from '../../apps/dispatcher/src/clocks/timer-sweeper';
import { until } from '../support/until';

interface SuspendedCase {
  id: string;
  status: string;
  deadlineAt: string | null;
  overdue: boolean;
  light?: string | null;
  suspension?: { since: string; until: string; reason: string | null; clockType: string | null; leftMs: number } | null;
  suspendRequest?: { reason: string; until: string } | null;
  timeline?: { type: string; reason: string | null; evidence: Record<string, unknown>; actor: { role: string } }[];
}

/** The instant of a local time in UTC+8 (the demo district's zone). */
const local = (text: string) => new Date(`${text.replace(' ', 'T')}:00+08:00`);
const HOUR = 3_600_000;

/**
 * 挂账 (issue 22, item 1) on real PostgreSQL and Redis with a ManualClock: the 5-work-day cases are
 * dispatched on Monday 2027-03-01 09:00, with Friday 03-05 a holiday. An operator asks, a leader
 * approves; the clock stands still while suspended (never overdue, no colour, counted apart) and
 * restarts with exactly the work time that was left; an expired suspension resumes by itself.
 */
describe('挂账: suspend with approval, the clock paused and resumed exactly', () => {
  const clock = new ManualClock(local('2027-03-01 09:00'));
  let redis: RedisServer;
  let intake: RunningApp;
  let dispatcher: Awaited<ReturnType<typeof startDispatcher>>;
  let http: ReturnType<typeof api>;
  let db: Client;
  const auth: Record<string, string> = {};
  const ids = { paused: '', expiring: '' };
  let calendar: HolidayCalendar;

  const view = async (id: string) => {
    const answer = await http.get<SuspendedCase>(`/api/v1/cases/${id}`, auth.operator);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body;
  };

  beforeAll(async () => {
    redis = await startRedisServer();
    const env = { REDIS_URL: redis.url, REPORT_RATE_LIMIT: '100000', OUTBOX_POLL_MS: '50', SWEEP_INTERVAL_MS: '3600000' };
    intake = await startIntake('suspend', env, { clock });
    db = new Client({ connectionString: intake.databaseUrl });
    await db.connect();
    // Friday 2027-03-05 is a holiday: the suspension below spans it and a weekend.
    await db.query(`INSERT INTO holiday (date, kind, name, name_en) VALUES ('2027-03-05', 'holiday', '测试假日', 'test holiday') ON CONFLICT (date) DO UPDATE SET kind = 'holiday'`);
    const { rows } = await db.query(`SELECT date::text AS date, kind, name FROM holiday`);
    calendar = HolidayCalendar.fromRows(rows as never[]);
    dispatcher = await startDispatcher(intake.databaseUrl, env, { clock });
    http = api(intake);
    for (const u of ['operator', 'leader', 'warden1', 'chief3', 'admin']) auth[u] = await intake.bearer(u);
    let n = 0;
    for (const key of Object.keys(ids) as (keyof typeof ids)[]) {
      const p = await pointInWardenCell(db, 'warden1', 20 + n++);
      const created = await http.post<SuspendedCase>('/api/v1/cases', { categoryCode: 'C0101', conditionNo: 3, description: `挂账 ${key}`, location: { lng: p.lng, lat: p.lat } }, auth.warden1);
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      if (created.body.status === 'reported') expect((await http.act(created.body.id, 'register', { conditionNo: 3 }, auth.operator)).status).toBe(200);
      ids[key] = created.body.id;
      await until('dispatch', 15_000, async () => (await view(created.body.id)).status === 'dispatched');
    }
  }, 120_000);

  afterAll(async () => {
    await db?.end();
    await dispatcher?.close();
    await intake?.close();
    await redis?.close();
  });

  it('the 5-work-day limit from Monday 09:00 ends Tuesday 03-09 09:00 (the holiday skipped)', async () => {
    expect((await view(ids.paused)).deadlineAt).toBe(local('2027-03-09 09:00').toISOString());
  });

  it('bad input answers 400 naming the field, and nothing is written', async () => {
    const id = ids.expiring;
    const events = async () => Number((await db.query(`SELECT count(*) FROM case_event WHERE case_id = $1`, [id])).rows[0].count);
    const before = await events();
    const cases: [Record<string, unknown>, string][] = [
      [{ reason: '土地纠纷 land dispute', until: new Date(local('2028-03-01 09:00').getTime() + 60_000).toISOString() }, 'until'],
      [{ reason: '土地纠纷 land dispute', until: local('2027-02-28 09:00').toISOString() }, 'until'],
      [{ reason: '土地纠纷 land dispute', until: '2027-04-01' }, 'until'],
      [{ reason: '土地纠纷 land dispute' }, 'until'],
      [{ until: local('2027-04-01 09:00').toISOString() }, 'reason'],
      [{ reason: '   ', until: local('2027-04-01 09:00').toISOString() }, 'reason'],
    ];
    for (const [body, field] of cases) {
      const answer = await http.act(id, 'suspend', body, auth.operator);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.details?.map((d) => d.field), JSON.stringify(answer.body)).toContain(field);
    }
    expect(await events()).toBe(before);
    // Exactly a year ahead is allowed (then withdrawn by a leader's refusal).
    expect((await http.act(id, 'suspend', { reason: '一年 a year', until: local('2028-03-01 09:00').toISOString() }, auth.operator)).status).toBe(200);
    expect((await http.act(id, 'suspend', { passed: false, reason: '不同意 no' }, auth.leader)).status).toBe(200);
  });

  it('two approvals are needed: an operator alone only asks, a chief cannot, a leader cannot without a request', async () => {
    clock.set(local('2027-03-01 10:00'));
    const id = ids.expiring;
    const chief = await http.act(id, 'suspend', { reason: '我来挂账 mine', until: local('2027-03-02 10:00').toISOString() }, auth.chief3);
    expect(chief.status).toBe(403);
    const leaderAlone = await http.act(id, 'suspend', {}, auth.leader);
    expect(leaderAlone.status).toBe(409);
    const asked = await http.act<SuspendedCase>(id, 'suspend', { reason: '待预算 waiting for budget', until: local('2027-03-02 10:00').toISOString() }, auth.operator);
    expect(asked.status).toBe(200);
    expect(asked.body.suspension).toBeNull();
    expect(asked.body.suspendRequest).toEqual({ reason: '待预算 waiting for budget', until: local('2027-03-02 10:00').toISOString() });
    expect(asked.body.light).toBe('green');
    // A second request while one waits is refused.
    expect((await http.act(id, 'suspend', { reason: 'again', until: local('2027-03-03 10:00').toISOString() }, auth.operator)).status).toBe(409);
    const approved = await http.act<SuspendedCase>(id, 'suspend', { note: '同意 approved' }, auth.leader);
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body.suspension).toMatchObject({ until: local('2027-03-02 10:00').toISOString(), reason: '待预算 waiting for budget', clockType: 'work_days', leftMs: 39 * HOUR });
    expect(approved.body.suspendRequest).toBeNull();
    expect(approved.body.light).toBeNull();
    // While suspended the chief cannot go on with it: resume first.
    expect((await http.act(id, 'accept', {}, auth.chief3)).status).not.toBe(200);
  });

  it('when until passes the dispatcher resumes the case by itself and announces it', async () => {
    const id = ids.expiring;
    const at = local('2027-03-02 10:00');
    clock.set(new Date(at.getTime() + 60_000));
    await dispatcher.app.get(TimerSweeper).sweep(false);
    const resumed = await until('the automatic resume', 15_000, async () => {
      const v = await view(id);
      return v.suspension === null && v;
    });
    const event = resumed.timeline!.find((e) => e.type === 'case.resumed')!;
    expect(event).toMatchObject({ actor: { role: 'system' }, evidence: { auto: true, until: at.toISOString() } });
    // 39 work hours were left; they run again from the resume.
    const resumedAt = new Date(at.getTime() + 60_000);
    expect(clockMsBetween(resumedAt, new Date(resumed.deadlineAt!), 'work_hours', calendar, 480)).toBe(39 * HOUR);
    // The event reached the outbox for the feed.
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM case_event WHERE case_id = $1 AND type = 'case.resumed'`, [id]);
    expect(rows[0].n).toBe(1);
  });

  it('suspended for 3 work days across a weekend and a holiday, it resumes with exactly the time it had left', async () => {
    const id = ids.paused;
    // Thursday 03-04 10:00: 25 of its 40 work hours used, 15 left.
    clock.set(local('2027-03-04 10:00'));
    expect((await http.act(id, 'suspend', { reason: '土地纠纷 land dispute', until: local('2027-06-01 09:00').toISOString() }, auth.operator)).status).toBe(200);
    const approved = await http.act<SuspendedCase>(id, 'suspend', {}, auth.leader);
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body.suspension?.leftMs).toBe(15 * HOUR);

    // Past its old deadline (Tuesday 03-09 09:00): the old check is void, the case is never overdue.
    const oldDeadline = local('2027-03-09 09:00');
    clock.set(local('2027-03-09 11:00'));
    expect((await intake.app.get(CaseClockService).check(id, oldDeadline)).kind).toBe('stale');
    await dispatcher.app.get(TimerSweeper).sweep(false);
    await new Promise((r) => setTimeout(r, 500));
    const still = await view(id);
    expect(still.overdue).toBe(false);
    expect(still.light).toBeNull();
    expect(still.timeline!.map((e) => e.type)).not.toContain('case.overdue');
    // Lists and counts show it apart.
    const overdueList = await http.get<{ items: SuspendedCase[] }>('/api/v1/cases?overdue=true&limit=200', auth.operator);
    expect(overdueList.body.items.map((c) => c.id)).not.toContain(id);
    const suspendedList = await http.get<{ items: SuspendedCase[] }>('/api/v1/cases?suspended=true&limit=200', auth.operator);
    expect(suspendedList.body.items.map((c) => c.id)).toEqual([id]);
    const others = await http.get<{ items: SuspendedCase[] }>('/api/v1/cases?suspended=false&limit=200', auth.operator);
    expect(others.body.items.map((c) => c.id)).not.toContain(id);
    const bad = await http.get('/api/v1/cases?suspended=maybe', auth.operator);
    expect(bad.status).toBe(400);
    const counts = await new CaseCountsQuery(intake.app.get(DataSource)).byStreet({ role: 'leader', streetCode: null, cellCodes: new Set(), chiefId: null, id: 'x' } as never, 'Asia/Shanghai');
    const street = counts.find((c) => Number(c.suspended) > 0)!;
    expect(Number(street.suspended)).toBe(1);
    // The bulletins' read at a period end counts it apart (suspendedCount), never on the overdue list.
    const bulletinRead = intake.app.get(OverdueCasesQuery, { strict: false });
    expect(await bulletinRead.suspendedCountAt(local('2027-03-09 10:00'))).toBe(1);
    expect(await bulletinRead.suspendedCountAt(local('2027-03-04 09:00'))).toBe(0);
    expect((await bulletinRead.at(local('2027-03-09 10:00'))).map((c) => c.id)).not.toContain(id);
    // Evaluation counts it apart (挂账件 put on the ledger in the period), not in the score: the only
    // case approved on Thursday 03-04 (the file's other suspensions are of Monday 03-01).
    const period = `from=${encodeURIComponent(local('2027-03-04 00:00').toISOString())}&to=${encodeURIComponent(local('2027-03-05 00:00').toISOString())}`;
    const evaluation = await http.get<{ totals: { suspended: number } }>(`/api/v1/evaluation?${period}&groupBy=street`, auth.leader);
    expect(evaluation.status, JSON.stringify(evaluation.body)).toBe(200);
    expect(evaluation.body.totals.suspended).toBe(1);

    // Wednesday 03-10 10:00 (Thu, holiday Fri, weekend, Mon, Tue: 3 work days later) the operator resumes.
    clock.set(local('2027-03-10 10:00'));
    const resumed = await http.act<SuspendedCase>(id, 'resume', { note: '纠纷已解决 settled' }, auth.operator);
    expect(resumed.status, JSON.stringify(resumed.body)).toBe(200);
    // 15 work hours from Wednesday 10:00: 6 on Wednesday, 8 on Thursday, 1 on Friday → Friday 09:00.
    expect(resumed.body.deadlineAt).toBe(local('2027-03-12 09:00').toISOString());
    expect(resumed.body.suspension).toBeNull();
    expect(resumed.body.overdue).toBe(false);
    expect(resumed.body.light).not.toBeNull();
    expect((await http.act(id, 'resume', {}, auth.leader)).status).toBe(409);

    // The clock runs again: overdue once the time left is used.
    clock.set(local('2027-03-12 09:01'));
    await dispatcher.app.get(TimerSweeper).sweep(false);
    const overdue = await until('overdue after the resume', 15_000, async () => {
      const v = await view(id);
      return v.overdue && v;
    });
    expect(overdue.timeline!.filter((e) => e.type === 'case.overdue')).toHaveLength(1);
  });
});
