import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIntake, type RunningApp } from '../support/apps';
import { api, pointInWardenCell, withDb } from '../support/cases';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { feedEntries, jobsByCase, outboxRows, waitFor, type CaseReply } from './reliability';

/**
 * Issue 3, "nothing accepted is lost": while Redis is down, reports are still accepted at once
 * (the case and its outbox rows commit in PostgreSQL); when Redis returns, the relay moves every
 * row to its queue or to the feed stream, each job exactly once.
 */
describe('reports while Redis is down', () => {
  let redis: RedisServer;
  let app: RunningApp;
  let http: ReturnType<typeof api>;
  let warden1: string;
  const wardenCases: string[] = [];
  const citizenCases: string[] = [];

  beforeAll(async () => {
    redis = await startRedisServer({ persist: true });
    app = await startIntake('outage', {
      REDIS_URL: redis.url,
      REPORT_RATE_LIMIT: '100000',
      OUTBOX_POLL_MS: '100',
      // Reports in neighbouring cells must not be taken for duplicates (those are not auto-registered).
      DUPLICATE_RADIUS_M: '0',
    });
    http = api(app);
    warden1 = await app.bearer('warden1');
  });

  afterAll(async () => {
    await app?.close();
    await redis?.close();
  });

  async function report(n: number, asWarden: boolean): Promise<{ reply: { status: number; body: CaseReply }; ms: number }> {
    const p = await withDb(app.databaseUrl, (db) => pointInWardenCell(db, 'warden1', n));
    const started = performance.now();
    const reply = await http.post<CaseReply>(
      '/api/v1/cases',
      { categoryCode: 'E0102', description: `暴露垃圾 outage report ${n}`, location: { lng: p.lng, lat: p.lat } },
      asWarden ? warden1 : undefined,
    );
    return { reply, ms: performance.now() - started };
  }

  it('delivers normally while Redis is up (the baseline the outage is measured against)', async () => {
    const { reply } = await report(0, true);
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    expect(reply.body.status).toBe('registered');
    wardenCases.push(reply.body.id);
    await waitFor('outbox empty', 10_000, async () => (await outboxRows(app.databaseUrl)).length === 0);
    expect((await http.get('/health')).status).toBe(200);
  });

  it('answers every report 201 promptly while Redis is down, keeps their outbox rows, and /health says Redis is down', async () => {
    await redis.stop('SIGKILL');

    const health = await http.get<{ message: string; checks: Record<string, { status: string }> }>('/health');
    expect(health.status, JSON.stringify(health.body)).toBe(503);
    expect(health.body.message).toMatch(/redis/);
    expect(health.body.checks.redis.status).toBe('down');
    expect(health.body.checks.database.status).toBe('up');

    // 30 warden reports (auto-registered: one route-case job each) and 10 anonymous citizen reports,
    // five at a time. Each must answer without waiting on Redis: a liveness bound, not a benchmark.
    const plan = Array.from({ length: 40 }, (_, i) => ({ n: i + 1, asWarden: i % 4 !== 3 }));
    for (let i = 0; i < plan.length; i += 5) {
      const answers = await Promise.all(plan.slice(i, i + 5).map((r) => report(r.n, r.asWarden)));
      answers.forEach(({ reply, ms }, j) => {
        const asWarden = plan[i + j].asWarden;
        expect(reply.status, JSON.stringify(reply.body)).toBe(201);
        expect(ms, `report ${plan[i + j].n} took ${Math.round(ms)} ms`).toBeLessThan(5000);
        expect(reply.body.status).toBe(asWarden ? 'registered' : 'reported');
        (asWarden ? wardenCases : citizenCases).push(reply.body.id);
      });
    }
    expect(wardenCases).toHaveLength(31);
    expect(citizenCases).toHaveLength(10);

    // Still down: the health check says so, and reports are still taken.
    const during = await http.get('/health');
    expect(during.status, JSON.stringify(during.body)).toBe(503);

    // Let the relay try (it polls every 100 ms) and fail: the rows stay, marked with the error.
    await new Promise((r) => setTimeout(r, 600));
    const rows = await outboxRows(app.databaseUrl);
    // the route jobs (each report also holds the timer of the stage it opens: check-stage rows)
    const jobRows = rows.filter((r) => r.topic === 'job' && r.name !== 'check-stage');
    expect(jobRows.map((r) => r.name).every((name) => name === 'route-case')).toBe(true);
    expect(jobRows.map((r) => r.payload.caseId).sort()).toEqual(wardenCases.slice(1).sort());
    const feedCases = rows.filter((r) => r.topic === 'feed' && r.payload.type === 'case.reported').map((r) => r.payload.caseId);
    expect(feedCases.sort()).toEqual([...wardenCases.slice(1), ...citizenCases].sort());
    // Warden reports also carry their case.registered event.
    expect(rows.filter((r) => r.topic === 'feed' && r.payload.type === 'case.registered')).toHaveLength(30);
    expect(Math.max(...rows.map((r) => r.attempts))).toBeGreaterThanOrEqual(1);
    expect(rows.some((r) => r.last_error !== null)).toBe(true);
  });

  it('once Redis is back (same port) the outbox empties: one route-case job per registered case, every event on the feed stream', async () => {
    await redis.start();
    await waitFor('outbox empty after Redis returned', 20_000, async () => (await outboxRows(app.databaseUrl)).length === 0);
    await waitFor('/health 200', 10_000, async () => (await http.get('/health')).status === 200);

    const connection = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    const routing = new Queue('routing', { connection: { host: '127.0.0.1', port: redis.port }, prefix: app.keys.prefix });
    try {
      const byCase = await jobsByCase(routing);
      for (const id of wardenCases) expect(byCase.get(id), `route-case jobs of case ${id}`).toHaveLength(1);
      for (const id of citizenCases) expect(byCase.get(id), `citizen case ${id} is not registered, so not routed`).toBeUndefined();
      expect([...byCase.values()].flat().every((job) => job.name === 'route-case')).toBe(true);
      expect(byCase.size).toBe(wardenCases.length);

      // The feed stream holds every event of every case (a seq may repeat: the feed dedupes by seq).
      const feed = await feedEntries(connection, app.keys);
      const seqsOnFeed = new Set(feed.map((e) => e.seq));
      const events = await withDb(app.databaseUrl, async (db) =>
        (await db.query(`SELECT seq::int AS seq, case_id, type FROM case_event ORDER BY seq`)).rows as { seq: number; case_id: string; type: string }[],
      );
      const reported = events.filter((e) => e.type === 'case.reported');
      expect(reported.map((e) => e.case_id).sort()).toEqual([...wardenCases, ...citizenCases].sort());
      for (const e of events) expect(seqsOnFeed.has(e.seq), `seq ${e.seq} (${e.type} of ${e.case_id}) on the feed`).toBe(true);
      for (const e of feed) expect(events.find((x) => x.seq === e.seq)?.case_id).toBe(e.caseId);
    } finally {
      await routing.close();
      connection.disconnect();
    }
  });
  it('a hung Redis (SIGSTOP: connections open, no answers) holds no request either; once it wakes, the rows go out, each job once', async () => {
    redis.pause();
    const hung: string[] = [];
    try {
      for (let i = 0; i < 10; i += 5) {
        const answers = await Promise.all([0, 1, 2, 3, 4].map((j) => report(50 + i + j, true)));
        for (const { reply, ms } of answers) {
          expect(reply.status, JSON.stringify(reply.body)).toBe(201);
          expect(ms, `a report took ${Math.round(ms)} ms while Redis hung`).toBeLessThan(5000);
          hung.push(reply.body.id);
        }
      }
      const started = performance.now();
      const health = await http.get('/health');
      expect(health.status).toBe(503);
      expect(performance.now() - started).toBeLessThan(5000);
      const jobCases = (await outboxRows(app.databaseUrl)).filter((r) => r.topic === 'job' && r.name === 'route-case').map((r) => r.payload.caseId);
      expect(jobCases.sort()).toEqual([...hung].sort());
    } finally {
      redis.resume();
    }
    wardenCases.push(...hung);
    await waitFor('outbox empty after Redis woke', 20_000, async () => (await outboxRows(app.databaseUrl)).length === 0);

    const connection = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    const routing = new Queue('routing', { connection: { host: '127.0.0.1', port: redis.port }, prefix: app.keys.prefix });
    try {
      const byCase = await jobsByCase(routing);
      for (const id of wardenCases) expect(byCase.get(id), `route-case jobs of case ${id}`).toHaveLength(1);
      expect(byCase.size).toBe(wardenCases.length);
      const seqsOnFeed = new Set((await feedEntries(connection, app.keys)).map((e) => e.seq));
      const seqs = await withDb(app.databaseUrl, async (db) => (await db.query(`SELECT seq::int AS seq FROM case_event WHERE case_id = ANY($1::uuid[])`, [hung])).rows);
      expect(seqs).toHaveLength(20);
      for (const { seq } of seqs) expect(seqsOnFeed.has(seq), `seq ${seq} on the feed`).toBe(true);
    } finally {
      await routing.close();
      connection.disconnect();
    }
  });
});
