import { Queue } from 'bullmq';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobName, QueueName, REDIS_NAMESPACE, type RedisNamespace } from '@wangge/jobs';
import { startIntake, type RunningApp } from '../support/apps';
import { api } from '../support/cases';
import { TEST_JWT_SECRET } from '../support/database';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { cellPoints, countEvents, eventCounts, reportAll } from './support/fixtures';
import { spawnDispatcher, type DispatcherProcess } from './support/spawn-dispatcher';
import { until } from '../support/until';

const CASES = 500;
/** Kill the first dispatcher once this many cases are dispatched: well inside the run. */
const KILL_AFTER = 150;

describe('a dispatcher process killed (SIGKILL) while cases are being routed', () => {
  let redis: RedisServer;
  let intake: RunningApp;
  let db: Client;
  let routing: Queue;
  const processes: DispatcherProcess[] = [];
  let env: Record<string, string>;
  let ids: string[] = [];
  /** The jobs the killed dispatcher was running. */
  let orphaned: { id: string; name: string; data: { caseId: string } }[] = [];
  let dispatchedAtKill = 0;
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    redis = await startRedisServer();
    intake = await startIntake('crash', { REDIS_URL: redis.url, REPORT_RATE_LIMIT: '100000', DUPLICATE_RADIUS_M: '0', OUTBOX_POLL_MS: '50' });
    db = new Client({ connectionString: intake.databaseUrl });
    await db.connect();
    routing = new Queue(QueueName.Routing, { connection: { url: redis.url }, prefix: intake.app.get<RedisNamespace>(REDIS_NAMESPACE).prefix });
    env = {
      DATABASE_URL: intake.databaseUrl,
      REDIS_URL: redis.url,
      JWT_SECRET: TEST_JWT_SECRET,
      DISPATCHER_CONCURRENCY: '8',
      OUTBOX_POLL_MS: '50',
      DB_POOL_SIZE: '10',
    };
  });
  afterAll(async () => {
    for (const p of processes) await p.kill('SIGTERM');
    await routing?.close();
    await db?.end();
    await intake?.close();
    await redis?.close();
    console.info(`crash test timings (ms): ${JSON.stringify(timings)}`);
  });

  it(`a new dispatcher finishes the work: each of ${CASES} cases is dispatched exactly once`, async () => {
    const http = api(intake);
    const warden = await intake.bearer('warden1');
    const points = await cellPoints(db, CASES);

    let started = Date.now();
    processes.push(await spawnDispatcher(env));
    timings.firstBoot = Date.now() - started;

    started = Date.now();
    const reporting = reportAll(http, warden, points, 'E0102', { concurrency: 16 });
    reporting.catch(() => undefined);
    await until(`${KILL_AFTER} dispatches`, 60_000, async () => (await countEvents(db, 'case.dispatched')) >= KILL_AFTER, 10);
    await processes[0].kill('SIGKILL');
    timings.killedAfter = Date.now() - started;
    // A COMMIT the dead process had already sent still completes in PostgreSQL: let it land first.
    await new Promise((r) => setTimeout(r, 300));
    dispatchedAtKill = await countEvents(db, 'case.dispatched');
    // Jobs the dead worker had taken: BullMQ sees them as active until their lock runs out.
    orphaned = (await routing.getActive()).map((j) => ({ id: j.id!, name: j.name, data: j.data as { caseId: string } }));
    ids = await reporting;
    timings.reported = Date.now() - started;
    timings.dispatchedAtKill = dispatchedAtKill;
    timings.orphanedActiveJobs = orphaned.length;
    expect(ids).toHaveLength(CASES);
    expect(dispatchedAtKill).toBeLessThan(CASES);
    // Nothing moves while no dispatcher runs.
    expect(await countEvents(db, 'case.dispatched')).toBe(dispatchedAtKill);

    const restarted = Date.now();
    processes.push(await spawnDispatcher(env));
    timings.secondBoot = Date.now() - restarted;
    await until(`all ${CASES} dispatched`, 45_000, async () => (await countEvents(db, 'case.dispatched', ids)) >= CASES, 50);
    timings.recovery = Date.now() - restarted;

    const counts = await eventCounts(db, 'case.dispatched', ids);
    expect(counts.size).toBe(CASES);
    expect([...counts.values()].filter((n) => n !== 1)).toEqual([]);
    const { rows } = await db.query(
      `SELECT status, count(*)::int AS n, count(assignee_chief_id)::int AS assigned FROM case_file WHERE id = ANY($1::uuid[]) GROUP BY status`,
      [ids],
    );
    expect(rows).toEqual([{ status: 'dispatched', n: CASES, assigned: CASES }]);
    expect(await routing.getFailedCount()).toBe(0);
  }, 120_000);

  it('a job the dead dispatcher held, delivered again, changes nothing', async () => {
    // BullMQ hands a dead worker's active jobs out again once their lock runs out and a stall check
    // sees it (30 s + up to 30 s): the same payload runs a second time. Replaying the payloads now
    // tests the same thing without the wait: the jobs that were active at the kill, and those of the
    // last cases the dead dispatcher dispatched (their jobs may have died between commit and ack).
    const { rows } = await db.query(`SELECT case_id FROM case_event WHERE type = 'case.dispatched' ORDER BY seq LIMIT 8 OFFSET $1`, [Math.max(0, dispatchedAtKill - 8)]);
    const replayed = [...new Set([...orphaned.map((j) => j.data.caseId), ...rows.map((r: { case_id: string }) => r.case_id)])];
    await routing.addBulk(replayed.map((caseId) => ({ name: JobName.RouteCase, data: { caseId }, opts: { jobId: `replay-${caseId}` } })));
    const replays = await until('the replayed jobs to finish', 15_000, async () => {
      const jobs = await Promise.all(replayed.map((caseId) => routing.getJob(`replay-${caseId}`)));
      return jobs.every((j) => j?.finishedOn) && jobs;
    });
    expect(replays.map((j) => j!.returnvalue)).toEqual(replayed.map(() => ({ kind: 'skipped', status: 'dispatched' })));
    const counts = await eventCounts(db, 'case.dispatched', ids);
    expect(counts.size).toBe(CASES);
    expect([...counts.values()].filter((n) => n !== 1)).toEqual([]);
  });
});
