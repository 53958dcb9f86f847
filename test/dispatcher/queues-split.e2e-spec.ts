import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseEventNotifications, DeliverySweeper } from '../../apps/dispatcher/src/notifications/notification-sweeps';
import { NotificationsProcessor, RoutingProcessor } from '../../apps/dispatcher/src/jobs/queue.processors';
import { TimerSweeper } from '../../apps/dispatcher/src/clocks/timer-sweeper';
import { startDispatcher, startIntake, type RunningApp } from '../support/apps';
import { api, pointInWardenCell, withDb } from '../support/cases';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { WebhookReceiver } from '../notifications/receivers';
import { until } from '../support/until';

/** Is `type` provided in the app? */
function has(app: { get(t: unknown, o: { strict: boolean }): unknown }, type: unknown): boolean {
  try {
    app.get(type, { strict: false });
    return true;
  } catch {
    return false;
  }
}

/**
 * DISPATCHER_QUEUES: notification deliveries in a dispatcher process of their own, routing and the
 * clocks in another, so deliveries never share an event loop or a database pool with routing
 * (docs/performance.md, "Notification delivery"). Each process works only its queues; together
 * they route a warden's report and deliver its `task.assigned`.
 */
describe('dispatchers split by queue (DISPATCHER_QUEUES)', () => {
  let redis: RedisServer;
  let intake: RunningApp;
  let router: Awaited<ReturnType<typeof startDispatcher>> | undefined;
  let notifier: Awaited<ReturnType<typeof startDispatcher>>;
  const receiver = new WebhookReceiver();

  beforeAll(async () => {
    redis = await startRedisServer();
    await receiver.start();
    const env = { REDIS_URL: redis.url, REPORT_RATE_LIMIT: '100000', DUPLICATE_RADIUS_M: '0', OUTBOX_POLL_MS: '50', NOTIFY_POLL_MS: '50', SWEEP_INTERVAL_MS: '3600000' };
    intake = await startIntake('queues-split', env);
    notifier = await startDispatcher(intake.databaseUrl, { ...env, DISPATCHER_QUEUES: 'notifications' });
  });
  afterAll(async () => {
    await router?.close();
    await notifier?.close();
    await intake?.close();
    await redis?.close();
    await receiver.stop();
  });

  it('the notifications process routes nothing; with the routing process beside it the case is dispatched and the webhook hears of it', async () => {
    expect(has(notifier.app, NotificationsProcessor)).toBe(true);
    expect(has(notifier.app, CaseEventNotifications)).toBe(true);
    expect(has(notifier.app, DeliverySweeper)).toBe(true);
    expect(has(notifier.app, RoutingProcessor)).toBe(false);
    expect(has(notifier.app, TimerSweeper)).toBe(false);

    const http = api(intake);
    const admin = await intake.bearer('admin');
    const warden = await intake.bearer('warden1');
    const channel = await http.post('/api/v1/admin/notification-channels', { kind: 'webhook', name: 'split', target: receiver.url('/hook'), events: ['task.assigned'], secret: 'split-secret-of-the-test' }, admin);
    expect(channel.status).toBe(201);
    const p = await withDb(intake.databaseUrl, (db) => pointInWardenCell(db, 'warden1', 0));
    const created = await http.post<{ id: string; status: string }>('/api/v1/cases', { categoryCode: 'E0102', description: 'split', location: { lng: p.lng, lat: p.lat } }, warden);
    expect(created.status).toBe(201);
    expect(created.body.status).toBe('registered');
    // Its route job waits on the routing queue, which only a routing process works.
    await new Promise((r) => setTimeout(r, 1500));
    const waiting = await withDb(intake.databaseUrl, (db) => db.query<{ status: string }>(`SELECT status FROM case_file WHERE id = $1`, [created.body.id]));
    expect(waiting.rows[0].status).toBe('registered');

    router = await startDispatcher(intake.databaseUrl, {
      REDIS_URL: redis.url,
      OUTBOX_POLL_MS: '50',
      SWEEP_INTERVAL_MS: '3600000',
      DISPATCHER_QUEUES: 'routing,clocks,bulletins,maintenance',
    });
    expect(has(router.app, RoutingProcessor)).toBe(true);
    expect(has(router.app, TimerSweeper)).toBe(true);
    expect(has(router.app, NotificationsProcessor)).toBe(false);
    expect(has(router.app, CaseEventNotifications)).toBe(false);

    await until('the dispatch', 15_000, async () => {
      const { rows } = await withDb(intake.databaseUrl, (db) => db.query<{ status: string }>(`SELECT status FROM case_file WHERE id = $1`, [created.body.id]));
      return rows[0].status === 'dispatched';
    });
    const message = await until('the webhook', 15_000, async () => receiver.about(created.body.id)[0]);
    expect(JSON.parse(message.body)).toMatchObject({ event: 'task.assigned', subject: { caseId: created.body.id } });
  }, 90_000);
});
