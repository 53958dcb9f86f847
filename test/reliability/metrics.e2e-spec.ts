import { Queue } from 'bullmq';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_QUEUES, REDIS_NAMESPACE, type RedisNamespace } from '@wangge/jobs';
import { spawnDispatcher, type DispatcherProcess } from '../dispatcher/support/spawn-dispatcher';
import { startIntake, type RunningApp } from '../support/apps';
import { api, pointInWardenCell } from '../support/cases';
import { TEST_JWT_SECRET } from '../support/database';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { outboxCount, sleep, waitFor, type CaseReply } from './reliability';

/**
 * What an operator of a scaled-out deployment watches on /metrics (issue 8): the outbox (rows
 * waiting, age of the oldest, relay counters), the queues by state, the database pool and the
 * newest case-event seq, checked against PostgreSQL and BullMQ themselves. The dispatcher runs as a
 * process of its own: prom-client's registry is per process, as in production.
 */

const STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/** The samples of a Prometheus text answer, keyed `name{labels}` exactly as printed. */
type Samples = Map<string, number>;

function parseMetrics(text: string): Samples {
  const samples: Samples = new Map();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (!m) throw new Error(`not a Prometheus sample line: ${line}`);
    // prom-client writes NaN as "Nan" (Prometheus reads it case-insensitively).
    const value = /^nan$/i.test(m[2]) ? NaN : /^[+-]inf$/i.test(m[2]) ? Number(`${m[2][0]}Infinity`) : Number(m[2]);
    if (Number.isNaN(value) && !/^nan$/i.test(m[2])) throw new Error(`not a Prometheus value: ${line}`);
    samples.set(m[1], value);
  }
  return samples;
}

/** GET /metrics: status, the samples, and how long the answer took. */
async function scrape(baseUrl: string): Promise<{ status: number; samples: Samples; ms: number }> {
  const started = performance.now();
  const res = await fetch(`${baseUrl}/metrics`);
  const text = await res.text();
  const ms = performance.now() - started;
  return { status: res.status, samples: res.status === 200 ? parseMetrics(text) : new Map(), ms };
}

function sample(samples: Samples, key: string): number {
  const value = samples.get(key);
  if (value === undefined) throw new Error(`/metrics has no ${key}`);
  return value;
}

describe('/metrics of a scaled-out deployment', () => {
  let redis: RedisServer;
  let intake: RunningApp;
  let dispatcher: DispatcherProcess;
  let dispatcherUrl: string;
  let db: Client;
  let http: ReturnType<typeof api>;
  let warden: string;
  let reportNo = 0;
  const queues: Queue[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    intake = await startIntake('metrics', { REDIS_URL: redis.url, REPORT_RATE_LIMIT: '100000', OUTBOX_POLL_MS: '100', DUPLICATE_RADIUS_M: '0' });
    dispatcher = await spawnDispatcher({
      DATABASE_URL: intake.databaseUrl,
      REDIS_URL: redis.url,
      JWT_SECRET: TEST_JWT_SECRET,
      OUTBOX_POLL_MS: '100',
      DB_POOL_SIZE: '4',
    });
    dispatcherUrl = `http://127.0.0.1:${dispatcher.port}`;
    db = new Client({ connectionString: intake.databaseUrl });
    await db.connect();
    http = api(intake);
    warden = await intake.bearer('warden1');
    for (const name of ALL_QUEUES) {
      const queue = new Queue(name, { connection: { url: redis.url }, prefix: intake.app.get<RedisNamespace>(REDIS_NAMESPACE).prefix });
      queue.on('error', () => undefined); // refused while the test stops Redis
      queues.push(queue);
    }
  });

  afterAll(async () => {
    for (const q of queues) await q.close();
    await dispatcher?.kill('SIGTERM');
    await db?.end();
    await intake?.close();
    await redis?.close();
  });

  /** Warden reports are registered at once: each writes a route-case job and two feed events to the outbox. */
  async function report(count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const p = await pointInWardenCell(db, 'warden1', reportNo++);
      const reply = await http.post<CaseReply>(
        '/api/v1/cases',
        { categoryCode: 'E0102', description: `暴露垃圾 metrics report ${reportNo}`, location: { lng: p.lng, lat: p.lat } },
        warden,
      );
      expect(reply.status, JSON.stringify(reply.body)).toBe(201);
      expect(reply.body.status).toBe('registered');
      ids.push(reply.body.id);
    }
    return ids;
  }

  async function allDispatched(ids: string[]): Promise<boolean> {
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM case_file WHERE id = ANY($1::uuid[]) AND status = 'dispatched'`, [ids]);
    return rows[0].n === ids.length;
  }

  /**
   * Whether the notifier's pass has raised every case's task.assigned: that pass writes outbox rows of
   * its own (deliveries, the due-soon checks) after the dispatch, so the outbox is settled only after it.
   */
  async function allNotified(ids: string[]): Promise<boolean> {
    const { rows } = await db.query(`SELECT count(DISTINCT subject->>'caseId')::int AS n FROM notification WHERE event = 'task.assigned' AND subject->>'caseId' = ANY($1::text[])`, [ids]);
    return rows[0].n === ids.length;
  }

  /** How many outbox rows were ever written to this database (the id sequence's last value). */
  async function outboxRowsWritten(): Promise<number> {
    const { rows } = await db.query(`SELECT CASE WHEN is_called THEN last_value ELSE 0 END::int AS n FROM outbox_id_seq`);
    return rows[0].n;
  }

  async function deliveredByBoth(): Promise<number> {
    const [a, b] = await Promise.all([scrape(intake.baseUrl), scrape(dispatcherUrl)]);
    return sample(a.samples, 'wangge_outbox_delivered_total') + sample(b.samples, 'wangge_outbox_delivered_total');
  }

  it('intake: the outbox gauges, the relay counters, the last case-event seq and the pool, against the database', async () => {
    await waitFor('outbox empty at start', 20_000, async () => (await outboxCount(intake.databaseUrl)) === 0);
    const deliveredBefore = await deliveredByBoth();
    const writtenBefore = await outboxRowsWritten();

    const ids = await report(8);
    await waitFor('the 8 cases dispatched, notified and the outbox empty', 30_000, async () => (await allDispatched(ids)) && (await allNotified(ids)) && (await outboxCount(intake.databaseUrl)) === 0);
    const written = (await outboxRowsWritten()) - writtenBefore;
    expect(written).toBeGreaterThanOrEqual(8 * 3);

    const { status, samples } = await scrape(intake.baseUrl);
    expect(status).toBe(200);
    expect(sample(samples, 'wangge_outbox_pending')).toBe(0);
    expect(sample(samples, 'wangge_outbox_oldest_age_seconds')).toBe(0);
    expect(sample(samples, 'wangge_outbox_failed_total')).toBe(0);
    const { rows } = await db.query(`SELECT max(seq)::int AS seq FROM case_event`);
    expect(sample(samples, 'wangge_case_event_last_seq')).toBe(rows[0].seq);
    // Every row written since is delivered by one of the two relays (they share the outbox).
    expect((await deliveredByBoth()) - deliveredBefore).toBeGreaterThanOrEqual(written);

    const total = sample(samples, 'wangge_db_pool_connections{state="total"}');
    const idle = sample(samples, 'wangge_db_pool_connections{state="idle"}');
    expect(total).toBeGreaterThanOrEqual(1);
    expect(total).toBeLessThanOrEqual(Number(intake.config.dbPoolSize));
    expect(idle).toBeLessThanOrEqual(total);
    expect(sample(samples, 'wangge_db_pool_connections{state="waiting"}')).toBeGreaterThanOrEqual(0);
    // The pool's count of open connections is PostgreSQL's count of intake's sessions.
    await waitFor("intake's pool total = its sessions in pg_stat_activity", 10_000, async () => {
      const sessions = await db.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'wangge-intake'`);
      const now = await scrape(intake.baseUrl);
      return sample(now.samples, 'wangge_db_pool_connections{state="total"}') === sessions.rows[0].n;
    });
  });

  it('dispatcher: jobs of every queue by state, as BullMQ counts them; its own pool and outbox gauges', async () => {
    await waitFor("the dispatcher's queue gauges = BullMQ's counts", 20_000, async () => {
      const before = await Promise.all(queues.map((q) => q.getJobCounts(...STATES)));
      const { status, samples } = await scrape(dispatcherUrl);
      const after = await Promise.all(queues.map((q) => q.getJobCounts(...STATES)));
      if (status !== 200 || JSON.stringify(before) !== JSON.stringify(after)) return false;
      return queues.every((q, i) => STATES.every((state) => samples.get(`wangge_queue_jobs{queue="${q.name}",state="${state}"}`) === before[i][state]));
    });
    const { samples } = await scrape(dispatcherUrl);
    expect([...samples.keys()].filter((k) => k.startsWith('wangge_queue_jobs{'))).toHaveLength(ALL_QUEUES.length * STATES.length);
    // The dispatched cases wait for their deadlines on the clocks queue.
    expect(sample(samples, 'wangge_queue_jobs{queue="clocks",state="delayed"}')).toBeGreaterThanOrEqual(8);
    expect(sample(samples, 'wangge_db_pool_connections{state="total"}')).toBeGreaterThanOrEqual(1);
    expect(sample(samples, 'wangge_db_pool_connections{state="total"}')).toBeLessThanOrEqual(4);
    expect(sample(samples, 'wangge_outbox_pending')).toBe(0);
    const { rows } = await db.query(`SELECT max(seq)::int AS seq FROM case_event`);
    expect(sample(samples, 'wangge_case_event_last_seq')).toBe(rows[0].seq);
  });

  it('Redis stopped: both answer /metrics at once; the outbox gauges count the held rows; the queue gauges are NaN; back to 0 when Redis returns', async () => {
    await redis.stop('SIGKILL');
    const stoppedAt = Date.now();
    const ids = await report(5);
    // Let both relays try (they poll every 100 ms) and fail.
    await sleep(1200);

    const pendingInDb = await outboxCount(intake.databaseUrl);
    const during = await scrape(intake.baseUrl);
    expect(during.status).toBe(200);
    // A liveness bound, not a benchmark: the answer does not wait for Redis.
    expect(during.ms, `intake /metrics took ${Math.round(during.ms)} ms`).toBeLessThan(5000);
    expect(pendingInDb).toBeGreaterThanOrEqual(5 * 3);
    expect(sample(during.samples, 'wangge_outbox_pending')).toBe(pendingInDb);
    expect(await outboxCount(intake.databaseUrl)).toBe(pendingInDb);
    const age = sample(during.samples, 'wangge_outbox_oldest_age_seconds');
    expect(age).toBeGreaterThanOrEqual(1);
    expect(age).toBeLessThanOrEqual((Date.now() - stoppedAt) / 1000 + 1);
    expect(sample(during.samples, 'wangge_outbox_failed_total')).toBeGreaterThan(0);

    const dispatcherDuring = await scrape(dispatcherUrl);
    expect(dispatcherDuring.status).toBe(200);
    expect(dispatcherDuring.ms, `dispatcher /metrics took ${Math.round(dispatcherDuring.ms)} ms`).toBeLessThan(5000);
    for (const name of ALL_QUEUES) {
      for (const state of STATES) expect(sample(dispatcherDuring.samples, `wangge_queue_jobs{queue="${name}",state="${state}"}`), `${name} ${state}`).toBeNaN();
    }
    expect(sample(dispatcherDuring.samples, 'wangge_outbox_pending')).toBe(pendingInDb);

    await redis.start();
    await waitFor('outbox empty after Redis returned, the 5 cases dispatched and notified', 30_000, async () => (await allDispatched(ids)) && (await allNotified(ids)) && (await outboxCount(intake.databaseUrl)) === 0);
    const after = await scrape(intake.baseUrl);
    expect(sample(after.samples, 'wangge_outbox_pending')).toBe(0);
    expect(sample(after.samples, 'wangge_outbox_oldest_age_seconds')).toBe(0);
    await waitFor('the queue gauges are numbers again', 20_000, async () => {
      const { samples } = await scrape(dispatcherUrl);
      return ALL_QUEUES.every((name) => STATES.every((state) => Number.isFinite(samples.get(`wangge_queue_jobs{queue="${name}",state="${state}"}`))));
    });
  });
});
