import type { INestApplication } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import { JobName, JobQueue, QueueName, REDIS_NAMESPACE, type JobRequest, type RedisNamespace } from '@wangge/jobs';
import { REDIS } from '@wangge/operations';
import { OutboxRelay, type DrainResult } from '@wangge/workflow';
import { createIntakeApp } from '../../apps/intake/src/intake.app';
import { startIntake, testConfig, type RunningApp } from '../support/apps';
import { api, withDb } from '../support/cases';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { feedEntries, inBatches, jobsByCase, outboxRows, queueEvents, sleep, waitFor, wardenPoints, type CaseReply, type OutboxRow } from './reliability';

/**
 * Issue 3: several relays (in several processes) share one outbox. Rows are claimed with
 * `FOR UPDATE SKIP LOCKED` and a lease, so each row is sent by one relay, and a relay that dies
 * holding rows leaves them to the others when its lease ends.
 *
 * Three intake apps run on one database and one Redis of this file's own. Their relays poll only
 * once a minute, so nothing moves unless the test says so; the backlog is built while Redis is down.
 */
const OVERRIDES = {
  REPORT_RATE_LIMIT: '100000',
  OUTBOX_POLL_MS: '60000',
  DUPLICATE_RADIUS_M: '0',
};

interface Node {
  app: INestApplication;
  db: DataSource;
  redis: Redis;
  jobs: JobQueue;
  /** The app's own relay (batch 500, polls once a minute here). */
  relay: OutboxRelay;
  /** Job ids this process added to BullMQ (from successful `JobQueue.addAll` calls). */
  added: string[];
  /** Relays of the process's own pieces (its DataSource, Redis and queues), with small batches so claims interleave. */
  extra: OutboxRelay[];
}

/**
 * A report's outbox rows: its feed events, the route job of a report that registers itself, and the
 * timer of the command centre's stage it opens (register for a citizen's report, dispatch for a
 * warden's: stage limits). The route jobs go to the routing queue, the stage timers to the clocks queue.
 */
const isRouteJob = (r: OutboxRow) => r.topic === 'job' && r.name === JobName.RouteCase;
const isStageTimer = (r: OutboxRow) => r.topic === 'job' && r.name === JobName.CheckStage;

describe('several relays on one outbox', () => {
  let redis: RedisServer;
  let first: RunningApp;
  let http: ReturnType<typeof api>;
  let warden1: string;
  let points: { lng: number; lat: number }[];
  const nodes: Node[] = [];
  const extraApps: INestApplication[] = [];
  let reporter = 0;

  beforeAll(async () => {
    redis = await startRedisServer({ persist: true });
    const overrides = { ...OVERRIDES, REDIS_URL: redis.url };
    first = await startIntake('relays', overrides);
    http = api(first);
    warden1 = await first.bearer('warden1');
    points = await wardenPoints(first.databaseUrl, 'warden1');
    for (let i = 0; i < 2; i++) {
      const app = await createIntakeApp(testConfig(first.databaseUrl, overrides));
      extraApps.push(app);
      await app.init();
    }
    for (const app of [first.app, ...extraApps]) nodes.push(nodeOf(app));
  });

  afterAll(async () => {
    for (const app of extraApps) await app.close();
    await first?.close();
    await redis?.close();
  });

  function nodeOf(app: INestApplication): Node {
    const jobs = app.get(JobQueue);
    const node: Node = {
      app,
      db: app.get(DataSource),
      redis: app.get<Redis>(REDIS),
      jobs,
      relay: app.get(OutboxRelay),
      added: [],
      extra: [],
    };
    const addAll = jobs.addAll.bind(jobs);
    vi.spyOn(jobs, 'addAll').mockImplementation(async (list: readonly { jobId: string; request: JobRequest }[], now?: number) => {
      await addAll(list, now);
      node.added.push(...list.map((j) => j.jobId));
    });
    for (const batchSize of [5, 7, 11]) {
      node.extra.push(new OutboxRelay(node.db, app.get<AppConfig>(APP_CONFIG), node.redis, jobs, { enabled: false, batchSize }, app.get<RedisNamespace>(REDIS_NAMESPACE)));
    }
    return node;
  }

  /** Reports over HTTP: `wardens` auto-registered warden reports (one job each), then `citizens` anonymous ones. */
  async function reportMany(wardens: number, citizens: number): Promise<CaseReply[]> {
    const plan = [...Array.from({ length: wardens }, () => true), ...Array.from({ length: citizens }, () => false)];
    return inBatches(plan, 10, async (asWarden) => {
      const p = points[reporter++ % points.length];
      const reply = await http.post<CaseReply>(
        '/api/v1/cases',
        { categoryCode: 'E0102', description: `暴露垃圾 relay test ${reporter}`, location: p },
        asWarden ? warden1 : undefined,
      );
      expect(reply.status, JSON.stringify(reply.body)).toBe(201);
      expect(reply.body.status).toBe(asWarden ? 'registered' : 'reported');
      return reply.body;
    });
  }

  /** Brings Redis back and waits until every process's connections (shared client and BullMQ) are ready. */
  async function redisBack(): Promise<void> {
    await redis.start();
    for (const node of nodes) {
      const routing = await node.jobs.queue(QueueName.Routing).backend.client;
      await waitFor('the app connections to Redis ready', 15_000, () => node.redis.status === 'ready' && routing.status === 'ready');
    }
  }

  /** Calls drainOnce until the outbox is empty; sums what this relay did and notes when it first claimed a row. */
  async function drainLoop(relay: OutboxRelay, db: DataSource): Promise<DrainResult & { firstClaimAt: number | null }> {
    const sum = { claimed: 0, delivered: 0, failed: 0, firstClaimAt: null as number | null };
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const r = await relay.drainOnce();
      if (r.claimed > 0 && sum.firstClaimAt === null) sum.firstClaimAt = Date.now();
      sum.claimed += r.claimed;
      sum.delivered += r.delivered;
      sum.failed += r.failed;
      if (r.claimed === 0) {
        const [{ n }]: { n: number }[] = await db.query(`SELECT count(*)::int AS n FROM outbox`);
        if (n === 0) return sum;
        await sleep(25);
      }
    }
    throw new Error('outbox not drained within 30 s');
  }

  /** Nine relays, three in each process, drain at once; with `wakeApps` the apps' own relay loops join in. */
  async function race(wakeApps: boolean): Promise<(DrainResult & { firstClaimAt: number | null })[]> {
    const loops = nodes.flatMap((node) => node.extra.map((relay) => drainLoop(relay, node.db)));
    if (wakeApps) for (const node of nodes) node.relay.wake();
    return Promise.all(loops);
  }

  function addedJobIds(): string[] {
    return nodes.flatMap((n) => n.added);
  }

  async function inspectRedis<T>(fn: (client: Redis, routing: Queue) => Promise<T>): Promise<T> {
    const client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    const routing = new Queue('routing', { connection: { host: '127.0.0.1', port: redis.port }, prefix: first.keys.prefix });
    try {
      return await fn(client, routing);
    } finally {
      await routing.close();
      client.disconnect();
    }
  }

  /** Each job id added exactly once in total (by whichever process), and every feed row's seq on the stream exactly once. */
  async function expectDeliveredOnce(rows: OutboxRow[], cases: CaseReply[]): Promise<void> {
    const jobIds = rows.filter((r) => r.topic === 'job').map((r) => `outbox-${r.id}`);
    const added = addedJobIds();
    for (const id of jobIds) expect(added.filter((x) => x === id), `adds of ${id}`).toHaveLength(1);
    await inspectRedis(async (client, routing) => {
      const events = await queueEvents(client, first.keys, 'routing');
      for (const id of rows.filter(isRouteJob).map((r) => `outbox-${r.id}`)) expect(events.added.get(id), `'added' events of ${id}`).toBe(1);
      expect([...events.duplicated.keys()]).toEqual([]);
      const byCase = await jobsByCase(routing);
      for (const c of cases.filter((x) => x.status === 'registered')) {
        expect(byCase.get(c.id)?.map((j) => j.id), `jobs of case ${c.id}`).toHaveLength(1);
      }
      const feed = await feedEntries(client, first.keys);
      for (const row of rows.filter((r) => r.topic === 'feed')) {
        expect(feed.filter((e) => e.seq === row.payload.seq), `feed entries of seq ${row.payload.seq}`).toHaveLength(1);
      }
    });
  }

  it('300 reports, nine relays in three processes at once: every job added exactly once, every event on the feed once, outbox empty', async () => {
    await redis.stop();
    const cases = await reportMany(200, 100);
    const rows = await outboxRows(first.databaseUrl);
    expect(rows.filter(isRouteJob)).toHaveLength(200);
    expect(rows.filter(isStageTimer)).toHaveLength(200 + 100);
    expect(rows.filter((r) => r.topic === 'feed')).toHaveLength(200 * 2 + 100);

    await redisBack();
    const results = await race(false);
    expect(await outboxRows(first.databaseUrl)).toEqual([]);

    // Every relay took part, none failed, and no row was claimed twice.
    expect(results.map((r) => r.failed)).toEqual(results.map(() => 0));
    expect(results.every((r) => r.delivered > 0), `delivered per relay: ${results.map((r) => r.delivered).join(', ')}`).toBe(true);
    expect(results.reduce((n, r) => n + r.claimed, 0)).toBe(rows.length);
    expect(results.reduce((n, r) => n + r.delivered, 0)).toBe(rows.length);
    expect(addedJobIds()).toHaveLength(200 + 300);
    await expectDeliveredOnce(rows, cases);
  });

  it('a relay that claimed rows and died: nobody sends them until its lease ends, then another relay does, once', async () => {
    await redis.stop();
    const addedBefore = addedJobIds().length;
    const cases = await reportMany(10, 0);
    // The dead relay's claim: held while Redis comes back, then a lease that ends in 2 seconds.
    await withDb(first.databaseUrl, (db) => db.query(`UPDATE outbox SET claimed_until = now() + interval '1 hour', attempts = attempts + 1`));
    await redisBack();
    const leaseEnd: Date = await withDb(first.databaseUrl, async (db) => {
      const { rows: leased } = await db.query(`UPDATE outbox SET claimed_until = now() + interval '2 seconds' RETURNING claimed_until`);
      return leased[0].claimed_until;
    });
    const rows = await outboxRows(first.databaseUrl);
    // 10 route jobs, 10 stage timers, 20 feed events
    expect(rows).toHaveLength(40);

    // Right away, no relay can take them.
    for (const node of nodes) expect(await node.extra[0].drainOnce()).toEqual({ claimed: 0, delivered: 0, failed: 0 });
    expect(await outboxRows(first.databaseUrl)).toHaveLength(40);

    const results = await race(true);
    expect(await outboxRows(first.databaseUrl)).toEqual([]);
    const firstClaim = Math.min(...results.map((r) => r.firstClaimAt ?? Infinity));
    expect(firstClaim, 'first claim after the lease ended').toBeGreaterThanOrEqual(leaseEnd.getTime() - 50);
    expect(addedJobIds().length - addedBefore).toBe(20);
    await expectDeliveredOnce(rows, cases);
  });

  it('a relay that died after sending but before deleting: the rows are sent again after its lease, and each job is still one job', async () => {
    await redis.stop();
    const cases = await reportMany(5, 0);
    await redisBack();
    const rows = await outboxRows(first.databaseUrl);
    // 5 route jobs, 5 stage timers, 10 feed events
    expect(rows).toHaveLength(20);
    // The failed attempts while Redis was down left short leases (1 s): let them end, so one claim takes all.
    await waitFor('no row leased', 5_000, async () => rows.every((r) => r.claimed_until === null) || (await nodes[0].db.query(`SELECT 1 FROM outbox WHERE claimed_until > now()`)).length === 0);

    // A relay whose process dies right after BullMQ accepted the jobs: the rows are neither deleted nor released.
    const node = nodes[1];
    const dying = Object.create(node.jobs) as JobQueue;
    dying.addAll = async (list) => {
      await node.jobs.addAll(list);
      await new Promise(() => undefined);
    };
    const dead = new OutboxRelay(node.db, node.app.get<AppConfig>(APP_CONFIG), node.redis, dying, { enabled: false, leaseSeconds: 2 }, node.app.get<RedisNamespace>(REDIS_NAMESPACE));
    void dead.drainOnce();
    await waitFor('the dying relay sent the jobs', 5_000, () => addedJobIds().filter((id) => rows.some((r) => `outbox-${r.id}` === id)).length === 10);
    expect(await outboxRows(first.databaseUrl)).toHaveLength(20);

    await race(true);
    expect(await outboxRows(first.databaseUrl)).toEqual([]);
    await inspectRedis(async (client, routing) => {
      const jobIds = rows.filter(isRouteJob).map((r) => `outbox-${r.id}`);
      const events = await queueEvents(client, first.keys, 'routing');
      // Sent twice, one job: BullMQ knew the id the second time.
      for (const id of jobIds) {
        expect(events.added.get(id), `'added' events of ${id}`).toBe(1);
        expect(events.duplicated.get(id), `'duplicated' events of ${id}`).toBe(1);
      }
      const byCase = await jobsByCase(routing);
      for (const c of cases) expect(byCase.get(c.id), `jobs of case ${c.id}`).toHaveLength(1);
      // The feed is at least once: each seq is there, twice here (consumers dedupe by seq).
      const feed = await feedEntries(client, first.keys);
      for (const row of rows.filter((r) => r.topic === 'feed')) {
        expect(feed.filter((e) => e.seq === row.payload.seq).length, `feed entries of seq ${row.payload.seq}`).toBe(2);
      }
    });
  });
});
