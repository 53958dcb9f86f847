import type { INestApplication } from '@nestjs/common';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@wangge/clock';
import { JobName, JobQueue, QueueName } from '@wangge/jobs';
import { CaseClockService, CaseRoutingService, CaseWorkflowService, type RoutingOutcome } from '@wangge/workflow';
import { TimerSweeper } from '../../apps/dispatcher/src/clocks/timer-sweeper';
import { timerJobId } from '../../apps/dispatcher/src/jobs/check-deadline.handler';
import { startDispatcher, startIntake, type RunningApp } from '../support/apps';
import { api } from '../support/cases';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import {
  caseRow,
  cellPoints,
  chiefActor,
  countEvents,
  eventCounts,
  fullChainPoints,
  operatorActor,
  promoteDue,
  reportAll,
  settled,
  type Point,
} from './support/fixtures';
import { until } from '../support/until';

type Dispatcher = Awaited<ReturnType<typeof startDispatcher>>;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Env of both apps: a Redis of the file's own, no throttling or duplicate flags in the way, no periodic sweep (tests sweep by hand). */
const envOf = (redis: RedisServer) => ({
  REDIS_URL: redis.url,
  REPORT_RATE_LIMIT: '100000',
  DUPLICATE_RADIUS_M: '0',
  OUTBOX_POLL_MS: '50',
  SWEEP_INTERVAL_MS: '3600000',
});

describe('two dispatchers consuming the same queues', () => {
  let redis: RedisServer;
  let intake: RunningApp;
  let db: Client;
  const dispatchers: Dispatcher[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    intake = await startIntake('resilience_pair', envOf(redis));
    db = new Client({ connectionString: intake.databaseUrl });
    await db.connect();
    for (let i = 0; i < 2; i++) dispatchers.push(await startDispatcher(intake.databaseUrl, envOf(redis)));
  });
  afterAll(async () => {
    for (const d of dispatchers) await d.close();
    await db?.end();
    await intake?.close();
    await redis?.close();
  });

  it('300 cases, each routed three times over: every case is dispatched exactly once, and both dispatchers work', async () => {
    // Per dispatcher: route attempts, and dispatches its workflow actually applied (a changed case).
    const tallies = dispatchers.map((d) => {
      const tally = { attempts: 0, dispatches: 0, errors: 0 };
      const routing = d.app.get(CaseRoutingService);
      const route = routing.route.bind(routing);
      routing.route = async (caseId: string): Promise<RoutingOutcome> => {
        tally.attempts++;
        try {
          return await route(caseId);
        } catch (err) {
          tally.errors++;
          throw err;
        }
      };
      const workflow = d.app.get(CaseWorkflowService);
      const apply = workflow.apply.bind(workflow);
      workflow.apply = async (...args: Parameters<CaseWorkflowService['apply']>) => {
        const result = await apply(...args);
        if (args[1] === 'dispatch' && result.changed) tally.dispatches++;
        return result;
      };
      return tally;
    });
    const jobs = dispatchers[0].app.get(JobQueue);
    const points = await cellPoints(db, 300);
    const warden = await intake.bearer('warden1');
    // Besides the route job of the report itself, two more per case (as a sweep re-sending it
    // would), so the two dispatchers race for the same case.
    const ids = await reportAll(api(intake), warden, points, 'E0102', {
      onCreated: (id) =>
        jobs.addAll([1, 2].map((n) => ({ jobId: `again-${id}-${n}`, request: { name: JobName.RouteCase, data: { caseId: id } } }))),
    });
    await until('300 dispatched', 30_000, async () => (await countEvents(db, 'case.dispatched', ids)) >= 300);
    await settled(dispatchers[0].app, db);

    const counts = await eventCounts(db, 'case.dispatched', ids);
    expect(counts.size).toBe(300);
    expect([...counts.values()].filter((n) => n !== 1)).toEqual([]);
    const { rows } = await db.query(
      `SELECT status, count(*)::int AS n, count(assignee_chief_id)::int AS assigned FROM case_file WHERE id = ANY($1::uuid[]) GROUP BY status`,
      [ids],
    );
    expect(rows).toEqual([{ status: 'dispatched', n: 300, assigned: 300 }]);
    console.info(`two dispatchers: ${JSON.stringify(tallies)}`);
    expect(tallies[0].attempts + tallies[1].attempts).toBe(900);
    expect(tallies.map((t) => t.errors)).toEqual([0, 0]);
    expect(tallies[0].dispatches + tallies[1].dispatches).toBe(300);
    expect(tallies[0].dispatches).toBeGreaterThan(0);
    expect(tallies[1].dispatches).toBeGreaterThan(0);
  }, 180_000); // 900 routings through two dispatchers: ~30 s alone, twice that beside the rest of the suite

  // Attempts that lose the race see the workflow's repeat ({changed: false}) and say so.
  it('concurrent route attempts on one registered case: one reports dispatched, the others skipped', async () => {
    const [point] = await cellPoints(db, 1);
    // A citizen's report waits for an operator (no route job); made `registered` behind the
    // workflow's back so no dispatcher races the attempts below.
    const created = await api(intake).post<{ id: string; status: string }>('/api/v1/cases', { categoryCode: 'E0102', description: 'race', location: point });
    expect(created.body.status).toBe('reported');
    await db.query(`UPDATE case_file SET status = 'registered' WHERE id = $1`, [created.body.id]);
    const routing = dispatchers[0].app.get(CaseRoutingService);
    const outcomes = await Promise.all(Array.from({ length: 4 }, () => routing.route(created.body.id)));
    expect(await countEvents(db, 'case.dispatched', [created.body.id])).toBe(1);
    expect(outcomes.map((o) => o.kind).sort()).toEqual(['dispatched', 'skipped', 'skipped', 'skipped']);
  });
});

describe('the clocks survive restarts and run once', () => {
  let redis: RedisServer;
  let intake: RunningApp;
  let db: Client;
  let dispatcher: Dispatcher;
  let warden: string;
  const clock = new ManualClock(new Date());

  beforeAll(async () => {
    redis = await startRedisServer();
    intake = await startIntake('resilience_clocks', envOf(redis));
    db = new Client({ connectionString: intake.databaseUrl });
    await db.connect();
    dispatcher = await startDispatcher(intake.databaseUrl, envOf(redis), { clock });
    warden = await intake.bearer('warden1');
  });
  afterAll(async () => {
    await dispatcher?.close();
    await db?.end();
    await intake?.close();
    await redis?.close();
  });

  const app = (): INestApplication => dispatcher.app;

  /** Reports cases (C0101: 2 continuous hours) and waits until the dispatcher has dispatched them all. */
  async function dispatchedCases(points: readonly Point[]): Promise<{ id: string; deadline: Date }[]> {
    const ids = await reportAll(api(intake), warden, points, 'C0101');
    await until('dispatch', 15_000, async () => (await countEvents(db, 'case.dispatched', ids)) === ids.length);
    const { rows } = await db.query(`SELECT id, deadline_at FROM case_file WHERE id = ANY($1::uuid[])`, [ids]);
    const deadlines = new Map(rows.map((r: { id: string; deadline_at: Date }) => [r.id, new Date(r.deadline_at)]));
    return ids.map((id) => ({ id, deadline: deadlines.get(id)! }));
  }

  /** Time passes up to `to`: the manual clock moves, BullMQ's delayed jobs due by then run, and the sweeper looks for lost timers. */
  async function passTime(to: Date): Promise<void> {
    clock.set(to);
    await promoteDue(app(), to);
    await app().get(TimerSweeper).sweep(false);
  }

  const events = async (type: string, ids: string[]) => {
    const counts = await eventCounts(db, type, ids);
    return ids.map((id) => counts.get(id) ?? 0);
  };

  it('the same clock check delivered twice at once marks overdue and escalates once', async () => {
    const [{ id, deadline }] = await dispatchedCases(await fullChainPoints(db, 1, 0));
    const clocks = app().get(CaseClockService);
    clock.set(new Date(deadline.getTime() + MINUTE));
    const outcomes = await Promise.all([clocks.check(id, deadline), clocks.check(id, deadline)]);
    expect(outcomes.map((o) => o.kind).sort()).toEqual(['overdue', 'stale']);
    expect(await clocks.check(id, deadline)).toEqual({ kind: 'stale' });
    expect(await events('case.overdue', [id])).toEqual([1]);
    expect(await events('case.escalated', [id])).toEqual([1]);
    const row = await caseRow(db, id);
    expect(row.escalation_level).toBe(1);
    expect(row.escalated_to).toHaveLength(1);
  });

  it('a missed limit escalates to the road’s level-2 chief, the next to its level-1 chief, and a third adds nothing', async () => {
    const [point] = await fullChainPoints(db, 1, 1);
    const [{ id, deadline }] = await dispatchedCases([point]);
    const dispatched = await caseRow(db, id);
    const chiefOf = async (where: string, value: number) =>
      ((await db.query(`SELECT chief_id FROM road_chief_scope WHERE ${where}`, [value])).rows[0] as { chief_id: number }).chief_id;
    expect(dispatched.segment_id).toBe(point.segmentId);
    expect(dispatched.assignee_chief_id).toBe(await chiefOf(`kind = 'segment' AND segment_id = $1`, point.segmentId));
    const level2 = await chiefOf(`kind = 'road' AND level = 2 AND road_id = $1`, dispatched.road_id!);
    const level1 = await chiefOf(`kind = 'road' AND level = 1 AND road_id = $1`, dispatched.road_id!);

    await passTime(new Date(deadline.getTime() + MINUTE));
    const once = await until('escalation 1', 10_000, async () => {
      const r = await caseRow(db, id);
      return r.escalation_level === 1 && r;
    });
    expect(once.overdue).toBe(true);
    expect(once.escalated_to).toEqual([level2]);
    expect(once.next_check_at!.getTime()).toBe(deadline.getTime() + MINUTE + 2 * HOUR);

    await passTime(new Date(once.next_check_at!.getTime() + MINUTE));
    const twice = await until('escalation 2', 10_000, async () => {
      const r = await caseRow(db, id);
      return r.escalation_level === 2 && r;
    });
    expect(twice.escalated_to).toEqual([level2, level1]);
    expect(twice.next_check_at).toBeNull();

    // A third limit passes: no level is left, and nothing is due any more.
    await passTime(new Date(clock.now().getTime() + 3 * HOUR));
    await settled(app(), db);
    expect(await app().get(CaseClockService).check(id, once.next_check_at!)).toEqual({ kind: 'stale' });
    const { rows } = await db.query(`SELECT type, reason, note, evidence FROM case_event WHERE case_id = $1 AND type IN ('case.overdue', 'case.escalated') ORDER BY seq`, [id]);
    expect(rows.map((r) => r.type)).toEqual(['case.overdue', 'case.escalated', 'case.escalated']);
    expect(rows[1].reason).toMatch(/^limit missed at level 3 → level-2 chief /);
    expect(rows[1].note).toMatch(/升级/);
    expect(rows[1].evidence).toEqual({ to: level2, level: 1 });
    expect(rows[2].reason).toMatch(/^limit missed at level 2 → level-1 chief /);
    expect(rows[2].evidence).toEqual({ to: level1, level: 2 });
    expect((await caseRow(db, id)).escalation_level).toBe(2);
  });

  it('a resolved case is never marked overdue; only its verification limit runs, and a verified case has none', async () => {
    const cases = await dispatchedCases(await fullChainPoints(db, 2, 2));
    const workflow = app().get(CaseWorkflowService);
    // Resolved half an hour before the handling deadline: the verification limit (work hours from
    // then) ends well after it, whatever the time of day. (Resolved at once, in work hours both
    // limits could end at the same minute, and the deadline's job would rightly find the
    // verification overdue.)
    clock.set(new Date(Math.max(...cases.map((c) => c.deadline.getTime())) - 30 * MINUTE));
    for (const c of cases) {
      const chief = await chiefActor(db, (await caseRow(db, c.id)).assignee_chief_id!);
      await workflow.apply(c.id, 'accept', chief, {});
      await workflow.apply(c.id, 'resolve', chief, { note: 'cleared' });
    }
    const [resolved, verified] = cases;
    await workflow.apply(verified.id, 'verify', await operatorActor(db), { passed: true });
    const verifyBy = (await caseRow(db, resolved.id)).verify_deadline_at!;
    expect((await caseRow(db, resolved.id)).next_check_at).toEqual(verifyBy);
    expect(verifyBy.getTime()).toBeGreaterThan(resolved.deadline.getTime() + MINUTE);
    expect((await caseRow(db, verified.id)).status).toBe('closed');
    const ids = cases.map((c) => c.id);

    // The handling deadlines pass: their jobs run and find nothing to do.
    const deadline = Math.max(...cases.map((c) => c.deadline.getTime()));
    await passTime(new Date(deadline + MINUTE));
    await settled(app(), db);
    expect(await events('case.overdue', ids)).toEqual([0, 0]);
    const clockJobs = await app().get(JobQueue).queue(QueueName.Clocks).getCompleted();
    for (const c of cases) {
      // the case clock's jobs (the resolve's check stage has a timer of its own on the clocks queue)
      const ran = clockJobs.filter((j) => j.name === JobName.CheckDeadline && j.data.caseId === c.id && j.data.dueAt === c.deadline.toISOString());
      expect(ran.length).toBeGreaterThan(0);
      expect(ran.map((j) => j.returnvalue)).toEqual(ran.map(() => ({ kind: 'stale' })));
    }

    // The verification limit passes: the resolved case is marked once, the closed one never.
    await passTime(new Date(Math.max(verifyBy.getTime(), clock.now().getTime()) + MINUTE));
    await until('verification overdue', 10_000, async () => (await events('case.verification_overdue', [resolved.id]))[0] === 1);
    await passTime(new Date(clock.now().getTime() + 4 * HOUR));
    await settled(app(), db);
    expect(await events('case.verification_overdue', ids)).toEqual([1, 0]);
    expect(await events('case.overdue', ids)).toEqual([0, 0]);
    expect(await events('case.escalated', ids)).toEqual([0, 0]);
    expect((await caseRow(db, resolved.id)).next_check_at).toBeNull();
  });

  // An early timer is re-added under an id of its own (the sweeper's id may be the running job's).
  it('a timer the sweeper sent that arrives early is looked at again when its time comes', async () => {
    const [{ id, deadline }] = await dispatchedCases(await fullChainPoints(db, 1, 40));
    const clocks = app().get(JobQueue).queue(QueueName.Clocks);
    // Only the sweeper's copy of the timer is left (as after a Redis loss) ...
    for (const job of await clocks.getDelayed()) if (job.data.caseId === id) await job.remove();
    // ... and it was sent by a host whose clock is ahead: it runs now, before its time.
    const jobId = timerJobId(id, deadline);
    await app().get(JobQueue).addAll([{ jobId, request: { name: JobName.CheckDeadline, data: { caseId: id, dueAt: deadline.toISOString() }, deliverAfter: deadline } }], deadline.getTime());
    const early = await until('the early delivery', 10_000, async () => {
      const job = await clocks.getJob(jobId);
      return job?.finishedOn ? job : undefined;
    });
    expect(early.returnvalue).toEqual({ kind: 'early', at: deadline.toISOString() });

    await passTime(new Date(deadline.getTime() + MINUTE));
    await settled(app(), db);
    expect(await events('case.overdue', [id])).toEqual([1]);
  });

  it('after a restart on an emptied Redis (FLUSHALL) deadlines and route jobs are rebuilt and fire once', async () => {
    const t0 = clock.now().getTime();
    const early = await dispatchedCases(await fullChainPoints(db, 3, 10));
    clock.set(new Date(t0 + 90 * MINUTE));
    const late = await dispatchedCases(await fullChainPoints(db, 3, 20));
    expect(early.map((c) => c.deadline.getTime())).toEqual(early.map(() => t0 + 2 * HOUR));
    expect(late.map((c) => c.deadline.getTime())).toEqual(late.map(() => t0 + 210 * MINUTE));
    await settled(app(), db);
    await dispatcher.close();

    // Reported while no dispatcher runs: their route jobs reach Redis, and are lost with it.
    const waiting = await reportAll(api(intake), warden, await fullChainPoints(db, 2, 30), 'C0101');
    await until('the outbox to drain', 10_000, async () => (await db.query(`SELECT count(*)::int AS n FROM outbox`)).rows[0].n === 0);
    const client = new Redis(redis.url);
    try {
      expect(await client.llen(`${intake.keys.prefix}:routing:wait`)).toBeGreaterThan(0);
      await client.flushall();
      expect(await client.keys('wangge:*')).toEqual([]);
    } finally {
      client.disconnect();
    }

    // Back two hours and a minute after the first dispatches: the early deadlines have passed.
    clock.set(new Date(t0 + 2 * HOUR + MINUTE));
    dispatcher = await startDispatcher(intake.databaseUrl, envOf(redis), { clock });
    const earlyIds = early.map((c) => c.id);
    const lateIds = late.map((c) => c.id);
    await until('the early cases to escalate', 15_000, async () => (await events('case.escalated', earlyIds)).every((n) => n === 1));
    await until('the waiting cases to be dispatched', 15_000, async () => (await countEvents(db, 'case.dispatched', waiting)) === waiting.length);
    await settled(app(), db);
    expect(await events('case.overdue', earlyIds)).toEqual([1, 1, 1]);
    expect(await events('case.escalated', earlyIds)).toEqual([1, 1, 1]);
    expect(await events('case.overdue', lateIds)).toEqual([0, 0, 0]);
    expect(await events('case.dispatched', waiting)).toEqual([1, 1]);

    // A deadline still to come after the restart fires when its time comes.
    await passTime(new Date(t0 + 210 * MINUTE + MINUTE));
    await until('the late cases to escalate', 10_000, async () => (await events('case.escalated', lateIds)).every((n) => n === 1));
    await settled(app(), db);
    expect(await events('case.overdue', lateIds)).toEqual([1, 1, 1]);
    expect(await events('case.escalated', lateIds)).toEqual([1, 1, 1]);
    expect(await events('case.overdue', earlyIds)).toEqual([1, 1, 1]);
    expect(await events('case.escalated', earlyIds)).toEqual([1, 1, 1]);
  });
});
