import { randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@wangge/clock';
import { JobName, QueueName } from '@wangge/jobs';
import { JobHandlerRegistry } from '../../apps/dispatcher/src/jobs/job-handler';
import { startDispatcher, startIntake, type RunningApp } from '../support/apps';
import { api } from '../support/cases';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { cellPoints, countEvents, reportAll } from './support/fixtures';
import { until } from '../support/until';

/**
 * No silent swallow: a registered case whose route job is gone, ended without dispatching it, or is
 * another case's job under the id the sweeper would use, is routed by the sweeper all the same; a
 * job whose case does not exist fails once, with its reason, and is counted.
 */
describe('the sweeper and registered cases without a live route job of their own', () => {
  let redis: RedisServer;
  let intake: RunningApp;
  let db: Client;
  let routing: Queue;
  let dispatcher: Awaited<ReturnType<typeof startDispatcher>> | undefined;
  let ids: string[] = [];
  const foreignCase = randomUUID();

  /** The id the sweeper gives a registered case's route job. */
  async function sweepJobId(caseId: string): Promise<string> {
    const { rows } = await db.query(`SELECT updated_at FROM case_file WHERE id = $1`, [caseId]);
    return `route-${caseId}-${new Date(rows[0].updated_at).getTime()}`;
  }

  beforeAll(async () => {
    redis = await startRedisServer();
    intake = await startIntake('route_sweep', { REDIS_URL: redis.url, REPORT_RATE_LIMIT: '100000', DUPLICATE_RADIUS_M: '0', OUTBOX_POLL_MS: '50' });
    db = new Client({ connectionString: intake.databaseUrl });
    await db.connect();
    routing = new Queue(QueueName.Routing, { connection: { url: redis.url }, prefix: intake.keys.prefix });
  });
  afterAll(async () => {
    await dispatcher?.close();
    await routing?.close();
    await db?.end();
    await intake?.close();
    await redis?.close();
  });

  it('routes each of them, and fails the foreign job once with its reason', async () => {
    // Three registered cases while no dispatcher runs; their route jobs, sent by the relay, are lost.
    ids = await reportAll(api(intake), await intake.bearer('warden1'), await cellPoints(db, 3), 'E0102', { concurrency: 1 });
    await until('the outbox to drain', 10_000, async () => (await db.query(`SELECT count(*)::int AS n FROM outbox`)).rows[0].n === 0, 50);
    await routing.drain(true);
    expect(await routing.getWaitingCount()).toBe(0);
    const [missing, finished, foreign] = ids;

    // `finished`: the sweeper's id holds a job of its own case that ended without dispatching it.
    const finishedId = await sweepJobId(finished);
    await routing.add(JobName.RouteCase, { caseId: finished }, { jobId: finishedId });
    const worker = new Worker(QueueName.Routing, async () => 'ended elsewhere', { connection: { url: redis.url }, prefix: intake.keys.prefix });
    await until('the planted job to complete', 10_000, async () => (await routing.getJobState(finishedId)) === 'completed', 50);
    await worker.close();
    // `foreign`: the sweeper's id holds another case's job (one this database does not have).
    const foreignId = await sweepJobId(foreign);
    await routing.add(JobName.RouteCase, { caseId: foreignCase }, { jobId: foreignId });

    // The dispatcher starts a minute later: all three are late, and its first sweep rebuilds them.
    dispatcher = await startDispatcher(intake.databaseUrl, { REDIS_URL: redis.url, OUTBOX_POLL_MS: '50', SWEEP_INTERVAL_MS: '3600000' }, {
      clock: new ManualClock(new Date(Date.now() + 60_000)),
    });
    await until('all three dispatched', 30_000, async () => (await countEvents(db, 'case.dispatched', ids)) === 3, 100);
    const { rows } = await db.query(`SELECT id, status FROM case_file WHERE id = ANY($1::uuid[]) ORDER BY id`, [ids]);
    expect(rows.map((r: { status: string }) => r.status)).toEqual(['dispatched', 'dispatched', 'dispatched']);
    expect(missing).toBeDefined();

    // The foreign job ran once against this database, found no case, and is listed as failed with why.
    await until('the foreign job to fail', 10_000, async () => (await routing.getJobState(foreignId)) === 'failed', 50);
    const failed = await routing.getJob(foreignId);
    expect(failed?.attemptsMade).toBe(1);
    expect(failed?.failedReason).toMatch(new RegExp(`case ${foreignCase} not found`));
    expect(dispatcher.app.get(JobHandlerRegistry).counters.caseMissing).toBe(1);
    const metrics = await (await fetch(`http://127.0.0.1:${(dispatcher.app.getHttpServer().address() as { port: number }).port}/metrics`)).text();
    expect(metrics).toMatch(/^wangge_jobs_case_missing_total 1$/m);
  });
});
