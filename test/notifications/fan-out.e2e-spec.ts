import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseEventNotifier, NotificationFanOut } from '@wangge/notifications';
import { startDispatcher, startIntake, type RunningApp } from '../support/apps';
import { api, withDb } from '../support/cases';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { onAppQueries } from '../support/query-log';
import { until } from '../support/until';
import { wardenPoints } from '../reliability/reliability';

interface DeliveryRow {
  notification_id: string;
  kind: string;
  target: string;
  status: string;
}

/**
 * A pass of the notifier fans its notifications out together, in its own transaction: each gets the
 * channels of its own event and street and its own recipients' inboxes, no fan-out job is queued for
 * them, and a notification that has its deliveries (a repeated fan-out job) writes nothing more.
 */
describe('notifications: fanned out a batch at a time', () => {
  let redis: RedisServer;
  let intake: RunningApp;
  let dispatcher: Awaited<ReturnType<typeof startDispatcher>>;
  let fanOut: NotificationFanOut;
  const channel: Record<string, string> = {};
  const user: Record<string, string> = {};
  let streets: string[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    // The notifications are written here without their fan-out jobs: only the test fans them out, and
    // only the test runs the notifier's passes (its sweep waits a minute).
    const env = { REDIS_URL: redis.url, SWEEP_INTERVAL_MS: '3600000', NOTIFY_ATTEMPTS: '1', NOTIFY_POLL_MS: '60000' };
    intake = await startIntake('fan-out', env);
    dispatcher = await startDispatcher(intake.databaseUrl, env);
    fanOut = dispatcher.app.get(NotificationFanOut);
    const http = api(intake);
    const admin = await intake.bearer('admin');
    await withDb(intake.databaseUrl, async (db) => {
      streets = (await db.query(`SELECT code FROM street ORDER BY code LIMIT 2`)).rows.map((r: { code: string }) => r.code);
      for (const u of ['chief3', 'warden1']) user[u] = (await db.query(`SELECT id FROM app_user WHERE username = $1`, [u])).rows[0].id;
    });
    const make = async (name: string, streetCode: string | null, events: string[]) => {
      const made = await http.post<{ id: string }>(
        '/api/v1/admin/notification-channels',
        { kind: 'webhook', name, target: `http://127.0.0.1:9/${name}`, events, secret: 'fan-out-secret', streetCode },
        admin,
      );
      expect(made.status).toBe(201);
      channel[name] = made.body.id;
    };
    await make('street-a', streets[0], ['bulletin.published']);
    await make('district', null, ['bulletin.published', 'task.assigned']);
  });

  afterAll(async () => {
    await dispatcher?.close();
    await intake?.close();
    await redis?.close();
  });

  async function raise(event: string, streetCode: string, recipients: string[]): Promise<string> {
    return withDb(intake.databaseUrl, async (db) => {
      const { rows } = await db.query(`INSERT INTO notification (event, street_code, recipients, subject, at) VALUES ($1, $2, $3::uuid[], $4, now()) RETURNING id`, [
        event,
        streetCode,
        recipients,
        { title: event, lines: [] },
      ]);
      return rows[0].id as string;
    });
  }

  const deliveries = (ids: string[]) =>
    withDb(intake.databaseUrl, async (db) => (await db.query(`SELECT notification_id, kind, target, status FROM notification_delivery WHERE notification_id = ANY($1::bigint[])`, [ids])).rows as DeliveryRow[]);

  const of = (rows: DeliveryRow[], id: string) =>
    rows
      .filter((r) => r.notification_id === id)
      .map((r) => `${r.kind}:${r.kind === 'webhook' ? r.target.split('/').pop() : r.target}`)
      .sort();

  it('gives each notification of a batch its own channels and recipients, and a second fan-out writes nothing', async () => {
    const inA = await raise('bulletin.published', streets[0], [user.chief3, user.warden1]);
    const inB = await raise('bulletin.published', streets[1], [user.chief3]);
    const task = await raise('task.assigned', streets[0], [user.warden1]);
    expect(await fanOut.fanOutAll([inA, inB, task])).toBe(8);

    const rows = await deliveries([inA, inB, task]);
    expect(of(rows, inA)).toEqual([`inbox:${user.chief3}`, `inbox:${user.warden1}`, 'webhook:district', 'webhook:street-a'].sort());
    expect(of(rows, inB)).toEqual([`inbox:${user.chief3}`, 'webhook:district'].sort());
    expect(of(rows, task)).toEqual([`inbox:${user.warden1}`, 'webhook:district'].sort());
    expect(rows.filter((r) => r.kind === 'inbox').every((r) => r.status === 'sent')).toBe(true);

    // The notifications' own fan-out jobs, after the pass: nothing more.
    expect(await fanOut.fanOut(inA)).toBe(0);
    expect(await fanOut.fanOutAll([inA, inB, task])).toBe(0);
    expect((await deliveries([inA, inB, task])).length).toBe(8);
  });

  it('fans out the ones of a batch not fanned out yet', async () => {
    const done = await raise('bulletin.published', streets[1], [user.warden1]);
    expect(await fanOut.fanOut(done)).toBe(2);
    const fresh = await raise('task.assigned', streets[1], [user.chief3]);
    expect(await fanOut.fanOutAll([done, fresh])).toBe(2);
    expect(of(await deliveries([fresh]), fresh)).toEqual([`inbox:${user.chief3}`, 'webhook:district'].sort());
    expect(await fanOut.fanOutAll([])).toBe(0);
  });

  it('a notifier pass raises a dispatch’s task.assigned with its deliveries and its due-soon check, and queues no fan-out job', async () => {
    const notifier = dispatcher.app.get(CaseEventNotifier);
    while ((await notifier.run()).length > 0);
    const warden = await intake.bearer('warden1');
    const [point] = await wardenPoints(intake.databaseUrl, 'warden1');
    const reported = await api(intake).post<{ id: string; status: string }>('/api/v1/cases', { categoryCode: 'E0102', description: '暴露垃圾 fan-out pass', location: point }, warden);
    expect(reported.status).toBe(201);
    const caseId = reported.body.id;
    const chiefUser = await until('the case routed to its chief', 20_000, () =>
      withDb(intake.databaseUrl, async (db) => {
        const { rows } = await db.query(`SELECT rc.user_id FROM case_file c JOIN road_chief rc ON rc.id = c.assignee_chief_id WHERE c.id = $1 AND c.status = 'dispatched'`, [caseId]);
        return rows[0]?.user_id as string | undefined;
      }),
    );

    const ids = await notifier.run();
    expect(ids).toHaveLength(1);
    const rows = await deliveries(ids);
    expect(of(rows, ids[0])).toEqual([`inbox:${chiefUser}`, 'webhook:district'].sort());

    const queue = new Queue('notifications', { connection: { host: '127.0.0.1', port: redis.port }, prefix: intake.keys.prefix });
    try {
      await until('the outbox relayed', 10_000, () => withDb(intake.databaseUrl, async (db) => (await db.query(`SELECT count(*)::int AS n FROM outbox`)).rows[0].n === 0));
      const jobs = await queue.getJobs(['waiting', 'active', 'completed', 'delayed', 'failed', 'prioritized']);
      expect(jobs.filter((j) => j.name === 'fan-out-notification').map((j) => j.data)).toEqual([]);
      const dueSoon = jobs.filter((j) => j.name === 'check-due-soon' && j.data.caseId === caseId);
      expect(dueSoon).toHaveLength(1);
      expect(await dueSoon[0].getState()).toBe('delayed');
    } finally {
      await queue.close();
    }
  });

  it('a pass that finds nothing new reads once and takes no lock', async () => {
    const notifier = dispatcher.app.get(CaseEventNotifier);
    while ((await notifier.run()).length > 0);
    const statements: string[] = [];
    const restore = onAppQueries(dispatcher.app.get(DataSource), (query) => {
      if (/notification_watermark|START TRANSACTION/i.test(query)) statements.push(query.replace(/\s+/g, ' ').trim());
    });
    try {
      expect(await notifier.run()).toEqual([]);
    } finally {
      restore();
    }
    expect(statements).toHaveLength(1);
    expect(statements[0]).not.toMatch(/FOR UPDATE/i);
  });
});
