import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '@wangge/clock';
import { DeliverySweeper } from '../../apps/dispatcher/src/notifications/notification-sweeps';
import { startDispatcher, startIntake, type RunningApp } from '../support/apps';
import { api, chiefIdOf, pointInWardenCell, withDb } from '../support/cases';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { startHangingReceiver, startSmtpServer, WebhookReceiver } from './receivers';
import { until } from '../support/until';

interface CaseBody {
  id: string;
  code: string;
  status: string;
  assignee: { id: number } | null;
  timeline?: { type: string; at: string }[];
}

interface Delivery {
  id: string;
  status: string;
  attempts: number;
  kind: string;
  caseCode: string | null;
  channel: { id: string } | null;
  lastError: string | null;
}

const SECRET = 'webhook-secret-of-the-test';
const PUBLIC = 'https://wangge.example.cn';

/** HH:MM of an instant in Asia/Shanghai (UTC+8). */
const localHhMm = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(11, 16);

describe('notifications reach people: signed webhooks, retries across an outage, hanging endpoints, email, quiet hours', () => {
  let redis: RedisServer;
  let intake: RunningApp;
  let dispatcher: Awaited<ReturnType<typeof startDispatcher>>;
  let http: ReturnType<typeof api>;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let hanging: Awaited<ReturnType<typeof startHangingReceiver>>;
  const receiver = new WebhookReceiver();
  // Real time with an offset the quiet-hours test moves forward: deliveries and their backoff need
  // time to pass, so a clock frozen between steps would hold every retry.
  const clock: Clock & { offsetMs: number } = { offsetMs: 0, now: (): Date => new Date(Date.now() + clock.offsetMs) };
  const auth: Record<string, string> = {};
  let n = 0;

  beforeAll(async () => {
    redis = await startRedisServer();
    smtp = await startSmtpServer();
    hanging = await startHangingReceiver();
    await receiver.start();
    const env = {
      REDIS_URL: redis.url,
      REPORT_RATE_LIMIT: '100000',
      DUPLICATE_RADIUS_M: '0',
      OUTBOX_POLL_MS: '50',
      SWEEP_INTERVAL_MS: '3600000',
      NOTIFY_POLL_MS: '50',
      NOTIFY_BACKOFF_MS: '500',
      NOTIFY_ATTEMPTS: '8',
      NOTIFY_TIMEOUT_MS: '1500',
      SMTP_URL: smtp.url,
      PUBLIC_BASE_URL: PUBLIC,
    };
    intake = await startIntake('notify', env);
    dispatcher = await startDispatcher(intake.databaseUrl, env, { clock });
    http = api(intake);
    for (const u of ['operator', 'admin', 'warden1', 'chief3']) auth[u] = await intake.bearer(u);
  });
  afterAll(async () => {
    await dispatcher?.close();
    await intake?.close();
    await redis?.close();
    await receiver.stop();
    await hanging?.close();
    await smtp?.close();
  });

  const view = (id: string) => http.get<CaseBody>(`/api/v1/cases/${id}`, auth.operator).then((a) => a.body);

  /** A warden's report, dispatched by the dispatcher: the case and when its dispatch event was written. */
  async function dispatchedCase(): Promise<{ c: CaseBody; reportedAt: number; dispatchedAt: number }> {
    const p = await withDb(intake.databaseUrl, (db) => pointInWardenCell(db, 'warden1', n++ % 8));
    const reportedAt = Date.now();
    const created = await http.post<CaseBody>('/api/v1/cases', { categoryCode: 'E0102', description: `notify ${n}`, location: { lng: p.lng, lat: p.lat } }, auth.warden1);
    expect(created.status).toBe(201);
    const c = await until('dispatch', 10_000, async () => {
      const v = await view(created.body.id);
      return v.status === 'dispatched' && v;
    });
    const dispatched = (c.timeline ?? []).filter((e) => e.type === 'case.dispatched').pop();
    return { c, reportedAt, dispatchedAt: Date.parse(dispatched!.at) };
  }

  it('refuses a bad channel naming the field, writes nothing, and never shows or audits a secret', async () => {
    const bad = await http.post('/api/v1/admin/notification-channels', { kind: 'pager', target: 'x', events: ['task.assigned'] }, auth.admin);
    expect(bad.status).toBe(400);
    expect(bad.body.details?.some((d) => d.field === 'kind')).toBe(true);
    const unsigned = await http.post('/api/v1/admin/notification-channels', { kind: 'webhook', target: receiver.url('/hook'), events: ['task.assigned'] }, auth.admin);
    expect(unsigned.status).toBe(400);
    expect(unsigned.body.details?.some((d) => d.field === 'secret')).toBe(true);
    const unknownEvent = await http.post('/api/v1/admin/notification-channels', { kind: 'webhook', target: receiver.url('/hook'), events: ['case.nothing'], secret: SECRET }, auth.admin);
    expect(unknownEvent.status).toBe(400);
    expect(unknownEvent.body.details?.[0].field).toMatch(/^events/);
    expect((await http.get<unknown[]>('/api/v1/admin/notification-channels', auth.admin)).body).toEqual([]);
    expect((await http.get('/api/v1/admin/notification-channels', auth.operator)).status).toBe(403);

    const made = await http.post<{ id: string; hasSecret: boolean }>(
      '/api/v1/admin/notification-channels',
      { kind: 'webhook', name: '值班 webhook', target: receiver.url('/hook'), events: ['task.assigned', 'case.supervised'], secret: SECRET },
      auth.admin,
    );
    expect(made.status).toBe(201);
    expect(made.body.hasSecret).toBe(true);
    expect(JSON.stringify(made.body)).not.toContain(SECRET);
    const audit = await http.get<unknown[]>('/api/v1/admin/audit?entity=notification_channel', auth.admin);
    expect(audit.body.length).toBe(1);
    expect(JSON.stringify(audit.body)).not.toContain(SECRET);

    // A change: switched off and on again (each audited, the secret kept and never shown); a bad change writes nothing.
    const off = await http.call<{ enabled: boolean; name: string; hasSecret: boolean }>('PATCH', `/api/v1/admin/notification-channels/${made.body.id}`, { auth: auth.admin, body: { enabled: false } });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ enabled: false, name: '值班 webhook', hasSecret: true });
    const badChange = await http.call('PATCH', `/api/v1/admin/notification-channels/${made.body.id}`, { auth: auth.admin, body: { events: ['case.nothing'] } });
    expect(badChange.status).toBe(400);
    expect(badChange.body.details?.[0].field).toMatch(/^events/);
    const on = await http.call<{ enabled: boolean; name: string }>('PATCH', `/api/v1/admin/notification-channels/${made.body.id}`, { auth: auth.admin, body: { enabled: true, name: '值班群' } });
    expect(on.body).toMatchObject({ enabled: true, name: '值班群' });
    const changes = await http.get<unknown[]>('/api/v1/admin/audit?entity=notification_channel', auth.admin);
    expect(changes.body.length).toBe(3);
    expect(JSON.stringify(changes.body)).not.toContain(SECRET);
  });

  it('a webhook receiver gets a signed task.assigned message within a second of the dispatch', async () => {
    const { c, reportedAt, dispatchedAt } = await dispatchedCase();
    const message = await until('webhook', 5000, () => receiver.about(c.code)[0]);
    console.log(`task.assigned at the webhook ${message.at - dispatchedAt} ms after the dispatch (${message.at - reportedAt} ms after the report)`);
    expect(message.at - dispatchedAt).toBeLessThan(1000);
    expect(message.headers['x-wangge-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(message.body).digest('hex')}`);
    const body = JSON.parse(message.body) as { event: string; subject: { caseCode: string }; link: string };
    expect(body.event).toBe('task.assigned');
    expect(body.subject.caseCode).toBe(c.code);
    expect(body.link).toBe(`${PUBLIC}/cases/${c.id}`);
  });

  let dyingChannel = '';
  let dyingDelivery = '';
  it('a test message to a refusing endpoint is tried again and again (it will be dead later in this suite)', async () => {
    receiver.refusing.add('/refusing');
    const made = await http.post<{ id: string }>(
      '/api/v1/admin/notification-channels',
      { kind: 'wecom', name: '企业微信群', target: `${receiver.url('/refusing')}?key=robot-key-123`, events: ['bulletin.published'] },
      auth.admin,
    );
    expect(made.status).toBe(201);
    expect(JSON.stringify(made.body)).not.toContain('robot-key-123');
    dyingChannel = made.body.id;
    const sent = await http.post<{ deliveryId: string }>(`/api/v1/admin/notification-channels/${dyingChannel}/test`, {}, auth.admin);
    expect(sent.status).toBe(202);
    dyingDelivery = sent.body.deliveryId;
    const failing = await until('a failed attempt', 5000, async () => {
      const list = await http.get<Delivery[]>('/api/v1/admin/notifications?status=failed', auth.admin);
      return list.body.find((d) => d.id === dyingDelivery);
    });
    expect(failing.status).toBe('failed');
    expect(failing.lastError).toContain('HTTP 500');
  });

  it('an endpoint that hangs delays neither the next dispatch nor the other channels (measured)', async () => {
    const before = await dispatchedCase();
    const baseline = before.c && before.dispatchedAt - before.reportedAt;
    const hang = await http.post<{ id: string }>(
      '/api/v1/admin/notification-channels',
      { kind: 'webhook', name: 'hangs', target: hanging.url, events: ['task.assigned'], secret: 'another-secret-1' },
      auth.admin,
    );
    expect(hang.status).toBe(201);
    const timings: number[] = [];
    const arrivals: number[] = [];
    for (let i = 0; i < 5; i++) {
      const { c, reportedAt, dispatchedAt } = await dispatchedCase();
      timings.push(dispatchedAt - reportedAt);
      const message = await until('webhook beside a hanging one', 5000, () => receiver.about(c.code)[0]);
      arrivals.push(message.at - dispatchedAt);
    }
    console.log(`report → dispatch: ${baseline} ms before the hanging endpoint, ${timings.join(', ')} ms while it hangs; the other webhook after ${arrivals.join(', ')} ms`);
    expect(hanging.requests()).toBeGreaterThanOrEqual(5);
    expect(Math.max(...timings)).toBeLessThan(Math.max(baseline * 3, 1500));
    expect(Math.max(...arrivals)).toBeLessThan(1000);
    expect((await http.call('DELETE', `/api/v1/admin/notification-channels/${hang.body.id}`, { auth: auth.admin })).status).toBe(204);
  });

  it("an email reaches the assignee's address at a local SMTP server with the case code and a link", async () => {
    const prefs = await http.call<{ email: string }>('PATCH', '/api/v1/me/notifications', { auth: auth.chief3, body: { email: 'chief3@example.cn' } });
    expect(prefs.status).toBe(200);
    expect(prefs.body.email).toBe('chief3@example.cn');
    const bad = await http.call('PATCH', '/api/v1/me/notifications', { auth: auth.chief3, body: { email: 'not-an-address', quietHours: { from: '25:00', to: '07:00' } } });
    expect(bad.status).toBe(400);
    expect(bad.body.details?.map((d) => d.field).sort()).toEqual(expect.arrayContaining(['email']));
    const { c } = await dispatchedCase();
    const chief3 = await withDb(intake.databaseUrl, (db) => chiefIdOf(db, 'chief3'));
    if (c.assignee?.id !== chief3) expect((await http.act(c.id, 'dispatch', { assigneeId: chief3, reason: 'by hand' }, auth.operator)).status).toBe(200);
    const mail = await until('email', 5000, () => smtp.mails.find((m) => m.to.includes('chief3@example.cn') && m.text.includes(c.code)));
    expect(mail.text).toContain(`${PUBLIC}/cases/${c.id}`);
    const mine = await http.get<{ items: { caseCode: string; event: string }[] }>('/api/v1/me/notifications', auth.chief3);
    expect(mine.body.items.some((i) => i.caseCode === c.code && i.event === 'task.assigned')).toBe(true);
  });

  it('a receiver down for 30 s gets the message after it returns, once', { timeout: 90_000 }, async () => {
    await receiver.stop();
    const { c } = await dispatchedCase();
    await new Promise((r) => setTimeout(r, 30_000));
    expect(receiver.about(c.code)).toHaveLength(0);
    const failed = await http.get<Delivery[]>('/api/v1/admin/notifications?status=failed', auth.admin);
    expect(failed.body.some((d) => d.caseCode === c.code && d.attempts > 1)).toBe(true);
    await receiver.start();
    const back = Date.now();
    await until('the held message', 40_000, () => receiver.about(c.code)[0]);
    console.log(`arrived ${Date.now() - back} ms after the receiver returned`);
    await new Promise((r) => setTimeout(r, 1500));
    expect(receiver.about(c.code)).toHaveLength(1);
    const sent = await http.get<Delivery[]>('/api/v1/admin/notifications?status=sent', auth.admin);
    expect(sent.body.find((d) => d.caseCode === c.code && d.kind === 'webhook')?.attempts).toBeGreaterThan(1);
  });

  it('a delivery out of attempts is dead, listed, and an admin retry sends it once', { timeout: 90_000 }, async () => {
    const dead = await until('dead letter', 70_000, async () => {
      const list = await http.get<Delivery[]>('/api/v1/admin/notifications?status=dead', auth.admin);
      return list.body.find((d) => d.id === dyingDelivery);
    });
    expect(dead.attempts).toBe(8);
    receiver.refusing.delete('/refusing');
    const retried = await http.post<Delivery>(`/api/v1/admin/notifications/${dyingDelivery}/retry`, {}, auth.admin);
    expect(retried.status).toBe(201);
    expect(retried.body.status).toBe('pending');
    const message = await until('retried message', 5000, () => receiver.messages.find((m) => m.path.startsWith('/refusing')));
    expect(JSON.parse(message.body)).toMatchObject({ msgtype: 'markdown' });
    expect(message.path).toContain('key=robot-key-123');
    expect((await http.post(`/api/v1/admin/notifications/${dyingDelivery}/retry`, {}, auth.admin)).status).toBe(409);
    expect((await http.post('/api/v1/admin/notifications/abc/retry', {}, auth.admin)).status).toBe(400);
  });

  it("quiet hours hold an email until they end (the dispatcher's clock moved past them)", async () => {
    const now = clock.now().getTime();
    const quietHours = { from: localHhMm(now - 3_600_000), to: localHhMm(now + 3_600_000) };
    expect((await http.call('PATCH', '/api/v1/me/notifications', { auth: auth.chief3, body: { quietHours } })).status).toBe(200);
    const { c } = await dispatchedCase();
    const chief3 = await withDb(intake.databaseUrl, (db) => chiefIdOf(db, 'chief3'));
    if (c.assignee?.id !== chief3) expect((await http.act(c.id, 'dispatch', { assigneeId: chief3, reason: 'by hand' }, auth.operator)).status).toBe(200);
    // In the inbox at once; the email is pending until the quiet hours end.
    await until('inbox entry', 5000, async () => {
      const mine = await http.get<{ items: { caseCode: string }[] }>('/api/v1/me/notifications', auth.chief3);
      return mine.body.items.some((i) => i.caseCode === c.code);
    });
    const pending = await until('held email', 5000, async () => {
      const list = await http.get<Delivery[]>('/api/v1/admin/notifications?status=pending', auth.admin);
      return list.body.find((d) => d.caseCode === c.code && d.kind === 'email');
    });
    const sweeper = dispatcher.app.get(DeliverySweeper);
    await sweeper.sweep();
    await new Promise((r) => setTimeout(r, 1000));
    expect(smtp.mails.some((m) => m.text.includes(c.code))).toBe(false);
    clock.offsetMs = 3_600_000 + 60_000;
    await sweeper.sweep();
    const mail = await until('email after quiet hours', 5000, () => smtp.mails.find((m) => m.text.includes(c.code)));
    expect(mail.to).toEqual(['chief3@example.cn']);
    const after = await http.get<Delivery[]>('/api/v1/admin/notifications?status=sent', auth.admin);
    expect(after.body.find((d) => d.id === pending.id)?.attempts).toBe(1);
  });
});
