import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDIS_NAMESPACE, type RedisNamespace } from '@wangge/jobs';
import { createIntakeApp } from '../../apps/intake/src/intake.app';
import { startDispatcher, startFeed, testConfig, type RunningApp } from '../support/apps';
import { api, pointInWardenCell } from '../support/cases';
import { assertOrderedUnique, FeedClient } from '../feed/helpers/feed-client';
import { migrateAndSeedDemo } from '../support/database';
import { startPostgresServer, type PostgresServer } from '../support/postgres-server';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { waitFor, type CaseReply } from './reliability';

/**
 * PostgreSQL restarted under running processes: while it is down the intake answers 503
 * `unavailable` with Retry-After (a client sends the report again, with its Idempotency-Key),
 * /health says the database is down; once it is back the SAME intake answers 201 again (the pool
 * reconnects by itself), the dispatcher dispatches and the feed delivers every event. The cluster
 * is a private one of this test (the machine's shared server is never stopped).
 */
describe('PostgreSQL restarted under the running intake, dispatcher and feed', () => {
  let pg: PostgresServer;
  let redis: RedisServer;
  let intake: INestApplication;
  let others: { close(): Promise<void> }[] = [];
  let app: RunningApp;
  let http: ReturnType<typeof api>;
  let db: Client;
  let warden: string;
  let feed: FeedClient;
  let feedFrom = 0;

  beforeAll(async () => {
    pg = await startPostgresServer();
    redis = await startRedisServer();
    const admin = new Client({ connectionString: pg.url() });
    await admin.connect();
    await admin.query('CREATE DATABASE wangge');
    await admin.end();
    const databaseUrl = pg.url('wangge');
    await migrateAndSeedDemo(databaseUrl);
    const overrides = { REDIS_URL: redis.url, REPORT_RATE_LIMIT: '100000', DUPLICATE_RADIUS_M: '0', OUTBOX_POLL_MS: '100', FEED_CATCHUP_MS: '200' };
    const config = testConfig(databaseUrl, overrides);
    intake = await createIntakeApp(config);
    await intake.listen(0, '127.0.0.1');
    const baseUrl = `http://127.0.0.1:${(intake.getHttpServer().address() as { port: number }).port}`;
    app = {
      app: intake,
      baseUrl,
      config,
      databaseUrl,
      keys: intake.get<RedisNamespace>(REDIS_NAMESPACE),
      async bearer(username, password = 'demo1234') {
        const res = await api(app).post<{ accessToken: string }>('/api/v1/auth/login', { username, password });
        if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
        return `Bearer ${res.body.accessToken}`;
      },
      close: () => intake.close(),
    };
    http = api(app);
    const dispatcher = await startDispatcher(databaseUrl, overrides);
    const feedApp = await startFeed(databaseUrl, { ...overrides, FEED_RESUME_GRACE_MS: '0' });
    others = [feedApp, dispatcher];
    db = new Client({ connectionString: databaseUrl });
    db.on('error', () => undefined); // its connection dies with the server; the test opens another
    await db.connect();
    warden = await app.bearer('warden1');
    feed = new FeedClient(feedApp.url, { token: await app.bearer('operator'), reconnection: true });
    feedFrom = (await feed.connected()).lastSeq;
  }, 120_000);

  afterAll(async () => {
    feed?.close();
    for (const o of others) await o.close().catch(() => undefined);
    await intake?.close().catch(() => undefined);
    await db?.end().catch(() => undefined);
    await redis?.close();
    await pg?.close();
  });

  async function report(n: number, key: string, auth?: string) {
    const p = await pointInWardenCell(db, 'warden1', n % 4);
    return http.post<CaseReply>(
      '/api/v1/cases',
      { categoryCode: 'E0102', description: `暴露垃圾 postgres outage ${n}`, location: { lng: p.lng, lat: p.lat } },
      auth,
      { 'Idempotency-Key': key },
    );
  }

  async function query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await db.query(sql, params)).rows as T[];
  }

  it('answers 201 and dispatches while PostgreSQL is up (the baseline)', async () => {
    const reply = await report(0, 'pg-outage-0', warden);
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    await waitFor('the baseline case dispatched', 20_000, async () => (await query<{ status: string }>(`SELECT status FROM case_file WHERE id = $1`, [reply.body.id]))[0]?.status === 'dispatched');
    expect((await http.get('/health')).status).toBe(200);
  });

  it('while PostgreSQL is down: 503 unavailable with Retry-After for reports (warden and anonymous), reads and logins; /health says the database is down', async () => {
    const points = [await pointInWardenCell(db, 'warden1', 1), await pointInWardenCell(db, 'warden1', 2)];
    await db.end();
    await pg.stop('fast');

    for (const [i, auth] of [warden, undefined].entries()) {
      const p = points[i];
      const reply = await http.post(
        '/api/v1/cases',
        { categoryCode: 'E0102', description: `暴露垃圾 postgres outage ${i + 1}`, location: { lng: p.lng, lat: p.lat } },
        auth,
        { 'Idempotency-Key': `pg-outage-${i + 1}` },
      );
      expect(reply.status, JSON.stringify(reply.body)).toBe(503);
      expect(reply.body).toEqual({ statusCode: 503, error: 'unavailable', message: expect.stringMatching(/^database unavailable.*数据库暂不可用/) });
      expect(reply.headers.get('retry-after')).toBe('5');
      expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
    }
    const list = await http.get('/api/v1/cases', warden);
    expect(list.status, JSON.stringify(list.body)).toBe(503);
    expect(list.headers.get('retry-after')).toBe('5');
    const login = await http.post('/api/v1/auth/login', { username: 'warden1', password: 'demo1234' });
    expect(login.status, JSON.stringify(login.body)).toBe(503);
    expect(login.body.error).toBe('unavailable');

    const health = await http.get<{ checks: Record<string, { status: string }> }>('/health');
    expect(health.status, JSON.stringify(health.body)).toBe(503);
    expect(health.body.checks.database.status).toBe('down');
    expect(health.body.checks.redis.status).toBe('up');
  });

  it('once PostgreSQL is back, the same intake answers 201 (the retried reports are one case each), the dispatcher dispatches and the feed missed nothing', async () => {
    await pg.start();
    db = new Client({ connectionString: app.databaseUrl });
    await db.connect();
    await waitFor('/health 200 after the restart', 20_000, async () => (await http.get('/health')).status === 200);

    // The requests that got 503, sent again as they were: answered now, once.
    const again = [await report(1, 'pg-outage-1', warden), await report(2, 'pg-outage-2')];
    for (const reply of again) expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    expect(again.map((r) => r.body.status)).toEqual(['registered', 'reported']);
    const replay = await report(1, 'pg-outage-1', warden);
    expect(replay.status).toBe(201);
    expect(replay.body.id).toBe(again[0].body.id);
    const rows = await query<{ description: string; n: number }>(
      `SELECT description, count(*)::int AS n FROM case_file WHERE description LIKE '%postgres outage%' GROUP BY description ORDER BY description`,
    );
    expect(rows).toEqual([0, 1, 2].map((n) => ({ description: `暴露垃圾 postgres outage ${n}`, n: 1 })));

    // The dispatcher lived through the restart: it routes the new warden report.
    await waitFor('the warden report dispatched after the restart', 30_000, async () => (await query<{ status: string }>(`SELECT status FROM case_file WHERE id = $1`, [again[0].body.id]))[0]?.status === 'dispatched');
    const dispatched = await query<{ n: number }>(`SELECT count(*)::int AS n FROM case_event WHERE case_id = $1 AND type = 'case.dispatched'`, [again[0].body.id]);
    expect(dispatched[0].n).toBe(1);

    // The feed lived through it too: every event since the client connected, in order, once.
    const expected = (await query<{ seq: number }>(`SELECT seq::int AS seq FROM case_event WHERE seq > $1 ORDER BY seq`, [feedFrom])).map((r) => r.seq);
    await feed.until(() => feed.lastSeq() >= expected[expected.length - 1], 20_000, 'every event on the feed');
    assertOrderedUnique(feed.seqs());
    expect(feed.seqs()).toEqual(expected);
  }, 60_000);
});
