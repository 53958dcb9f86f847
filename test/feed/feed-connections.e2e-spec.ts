import { JwtService } from '@nestjs/jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeed } from '../support/apps';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { act, caseIn, onDuty, report, startWorld, type World } from '../cases/helpers/workflow';
import { assertOrderedUnique, FeedClient, tokenFor } from './helpers/feed-client';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The connect_error a handshake is refused with. */
async function refusal(url: string, auth: Record<string, unknown>): Promise<{ message: string; data?: { code: string; field?: string } }> {
  const client = new FeedClient(url);
  client.socket.disconnect();
  client.socket.auth = auth;
  const err = await new Promise<Error & { data?: { code: string; field?: string } }>((resolve, reject) => {
    client.socket.once('connect_error', resolve);
    client.socket.once('connect', () => reject(new Error('connected')));
    client.socket.connect();
  });
  client.close();
  return { message: err.message, data: err.data };
}

describe('feed connections: tokens, tracking, stats, transports, notices, slow clients', () => {
  let redis: RedisServer;
  let w: World;
  let feed: Awaited<ReturnType<typeof startFeed>>;
  let slowFeed: Awaited<ReturnType<typeof startFeed>>;
  let graceFeed: Awaited<ReturnType<typeof startFeed>>;

  beforeAll(async () => {
    redis = await startRedisServer();
    const env = { REDIS_URL: redis.url, OUTBOX_POLL_MS: '50', FEED_RESUME_GRACE_MS: '0' };
    w = await startWorld('feed-conn', env);
    await onDuty(w, 'warden1'); // the check of a resolved case in their cells is their task
    feed = await startFeed(w.app.databaseUrl, env);
    slowFeed = await startFeed(w.app.databaseUrl, { ...env, FEED_MAX_BUFFERED_EVENTS: '10' });
    graceFeed = await startFeed(w.app.databaseUrl, { ...env, FEED_RESUME_GRACE_MS: '3000' });
  }, 120_000);

  afterAll(async () => {
    await feed?.close();
    await slowFeed?.close();
    await graceFeed?.close();
    await w?.close();
    await redis?.close();
  });

  const token = (user: string) => w.auth[user].replace(/^Bearer /, '');

  it('refuses bad, forged, expired and disabled-account tokens with a clear error', async () => {
    expect(await refusal(feed.url, { token: 'not-a-jwt' })).toMatchObject({ data: { code: 'invalid_token', field: 'token' } });
    const forged = await new JwtService({ secret: 'x'.repeat(40) }).signAsync({ sub: '00000000-0000-4000-8000-000000000000', role: 'leader', username: 'leader' }, { issuer: 'wangge' });
    expect(await refusal(feed.url, { token: forged })).toMatchObject({ data: { code: 'invalid_token' } });
    const expired = await tokenFor(w.app.app, w.db, 'operator', { expiresIn: -10 });
    const e = await refusal(feed.url, { token: expired });
    expect(e.data).toMatchObject({ code: 'token_expired', field: 'token' });
    expect(e.message).toMatch(/expired/);
    expect(await refusal(feed.url, { token: 42 })).toMatchObject({ data: { code: 'invalid_token', field: 'token' } });
    expect(await refusal(feed.url, { token: token('operator'), afterSeq: 'soon' })).toMatchObject({ data: { code: 'bad_request', field: 'afterSeq' } });
    await w.db.query(`UPDATE app_user SET active = false WHERE username = 'warden2'`);
    try {
      expect(await refusal(feed.url, { token: token('warden2') })).toMatchObject({ data: { code: 'invalid_token' } });
    } finally {
      await w.db.query(`UPDATE app_user SET active = true WHERE username = 'warden2'`);
    }
  });

  it('closes a connection when its token expires, saying why', async () => {
    const shortLived = await tokenFor(w.app.app, w.db, 'operator', { expiresIn: 2 });
    const client = new FeedClient(feed.url, { token: shortLived });
    await client.connected();
    await client.until(() => !client.socket.connected, 6000, 'the server to close the connection');
    expect(client.closings).toEqual([expect.objectContaining({ reason: 'token_expired', resume: true })]);
  });

  it('lets a reporter track their case with its tracking token, and refuses anything else', async () => {
    const mine = await report(w, {});
    const other = await report(w, {});
    const anon = new FeedClient(feed.url);
    expect(await anon.connected()).toMatchObject({ scope: 'tracker' });
    expect(await anon.emit('track', { caseId: mine.id, trackingToken: (mine as { trackingToken?: string }).trackingToken })).toEqual({ ok: true, caseId: mine.id });
    // The other case's token, a made-up token, a bad id, unknown fields: refused, nothing joined.
    const wrong = await anon.emit('track', { caseId: other.id, trackingToken: (mine as { trackingToken?: string }).trackingToken });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'invalid_tracking_token', field: 'trackingToken' } });
    expect(await anon.emit('track', { caseId: other.id, trackingToken: 'A'.repeat(43) })).toMatchObject({ ok: false, error: { code: 'invalid_tracking_token' } });
    expect(await anon.emit('track', { caseId: 'x', trackingToken: 'A'.repeat(43) })).toMatchObject({ ok: false, error: { field: 'caseId' } });
    expect(await anon.emit('track', { caseId: other.id })).toMatchObject({ ok: false, error: { field: 'trackingToken' } });
    expect(await anon.emit('track', { caseId: other.id, trackingToken: 'A'.repeat(43), room: 'district' })).toMatchObject({ ok: false, error: { field: 'room' } });
    // Clients cannot join rooms: there is no such request, and an unknown event does nothing.
    (anon.socket as unknown as { emit(event: string, room: string): void }).emit('join', 'district');
    await act(w, other.id, 'register', {}, 'operator');
    await act(w, mine.id, 'register', {}, 'operator');
    await anon.until(() => anon.events.length >= 1, 5000, 'the tracked case’s event');
    await sleep(300);
    expect(anon.events.map((e) => e.caseId)).toEqual([mine.id]);
    expect(anon.events[0]).toMatchObject({ type: 'case.registered', status: 'registered', actor: { id: null, role: 'operator' } });
    expect(anon.stats).toEqual([]);
    // Untracked: nothing more.
    expect(await anon.emit('untrack', { caseId: mine.id })).toEqual({ ok: true, caseId: mine.id });
    await act(w, mine.id, 'comment', { note: '已收到 received' }, 'operator');
    await sleep(500);
    expect(anon.events).toHaveLength(1);
    anon.close();
  });

  it('limits how many cases one connection tracks', async () => {
    const anon = new FeedClient(feed.url);
    await anon.connected();
    const created = [];
    for (let i = 0; i < 21; i++) created.push(await report(w, {}));
    const answers = [];
    for (const c of created) answers.push(await anon.emit('track', { caseId: c.id, trackingToken: (c as { trackingToken?: string }).trackingToken }));
    expect(answers.filter((a) => a.ok)).toHaveLength(20);
    expect(answers[20]).toMatchObject({ ok: false, error: { code: 'too_many_tracked' } });
    anon.close();
  });

  it('sends stats on connect and on change, at most once a second, per street and for a chief’s own cases', async () => {
    const operator = new FeedClient(feed.url, { token: token('operator') });
    await operator.connected();
    await operator.until(() => operator.stats.length >= 1, 5000, 'stats on connect');
    const first = operator.stats[0];
    const { rows } = await w.db.query(
      `SELECT count(*) FILTER (WHERE status IN ('reported','registered','dispatched','in_progress','resolved'))::int AS open,
              (SELECT count(*)::int FROM street) AS streets FROM case_file`,
    );
    expect(first).toMatchObject({ scope: 'district', open: rows[0].open });
    expect(first.byStreet).toHaveLength(rows[0].streets);
    expect(first.byStreet[0]).toEqual(expect.objectContaining({ streetCode: expect.stringMatching(/^\d{9}$/), streetName: expect.any(String) }));

    const chief = new FeedClient(feed.url, { token: token('chief2') });
    await chief.connected();
    await chief.until(() => chief.stats.length >= 1, 5000, 'chief stats');
    const openOfChief = async () =>
      (
        await w.db.query(
          `SELECT count(*)::int AS n FROM case_file WHERE status IN ('dispatched','in_progress','resolved') AND (assignee_chief_id = $1 OR $1 = ANY(escalated_to))`,
          [w.chiefs.chief2],
        )
      ).rows[0].n as number;
    expect(chief.stats[0]).toMatchObject({ scope: 'chief', open: await openOfChief() });

    // Ten reports in a moment and a dispatch to chief2: the operator's counters follow, in at most a push a second.
    const before = operator.stats.length;
    const t0 = Date.now();
    for (let i = 0; i < 10; i++) await report(w, {});
    const dispatched = await caseIn(w, 'dispatched', { chief: 'chief2' });
    await operator.until(() => operator.stats[operator.stats.length - 1].open === first.open + 11, 8000, 'stats to count the new cases');
    const pushes = operator.stats.length - before;
    const seconds = (Date.now() - t0) / 1000;
    expect(pushes).toBeLessThanOrEqual(Math.ceil(seconds) + 1);
    await chief.until(() => chief.stats[chief.stats.length - 1].open === chief.stats[0].open + 1, 8000, 'chief stats');
    // Closed today counts where the case was closed.
    await act(w, dispatched.id, 'accept', {}, 'chief2');
    await act(w, dispatched.id, 'resolve', { note: '已修复 fixed' }, 'chief2');
    await act(w, dispatched.id, 'verify', { passed: true }, 'warden1');
    await operator.until(() => operator.stats[operator.stats.length - 1].closedToday === first.closedToday + 1, 8000, 'closed today');
    const street = operator.stats[operator.stats.length - 1].byStreet.find((s) => s.streetCode === dispatched.street?.code);
    expect(street?.closedToday).toBeGreaterThanOrEqual(1);
    operator.close();
    chief.close();
  }, 60_000);

  it('works over HTTP long-polling when WebSocket is not available', async () => {
    const polling = new FeedClient(feed.url, { token: token('leader'), transports: ['polling'] });
    await polling.connected();
    expect(polling.socket.io.engine.transport.name).toBe('polling');
    const c = await report(w, {});
    await polling.until(() => polling.events.some((e) => e.caseId === c.id), 5000, 'the event over polling');
    assertOrderedUnique(polling.seqs());
    polling.close();
  });

  it('passes notices (a bulletin was published) to staff, not to anonymous trackers', async () => {
    const leader = new FeedClient(feed.url, { token: token('leader') });
    const chief = new FeedClient(feed.url, { token: token('chief1') });
    const anon = new FeedClient(feed.url);
    await Promise.all([leader.connected(), chief.connected(), anon.connected()]);
    const notice = {
      name: 'bulletin.published',
      at: new Date().toISOString(),
      data: { kind: 'daily', period: '2026-11-28', id: 'b1', title: { zh: '每日汇总', en: 'Daily summary' }, path: '/api/v1/bulletins/daily/2026-11-28' },
    };
    await w.db.query(`INSERT INTO outbox (topic, name, payload) VALUES ('feed', 'bulletin.published', $1)`, [notice]);
    await leader.until(() => leader.notices.length === 1, 5000, 'the notice');
    await chief.until(() => chief.notices.length === 1, 5000, 'the notice');
    expect(leader.notices[0]).toEqual(notice);
    await sleep(300);
    expect(anon.notices).toEqual([]);
    for (const c of [leader, chief, anon]) c.close();
  });

  it('holds a notice for a connection still out of its rooms (waiting for a resume) and sends it when it goes live', async () => {
    // A new connection without afterSeq waits FEED_RESUME_GRACE_MS (3 s here) before it joins its
    // rooms; case events of that time are replayed, notices (no seq) were lost before they were held.
    const leader = new FeedClient(graceFeed.url, { token: token('leader') });
    const anon = new FeedClient(graceFeed.url);
    await Promise.all([leader.connected(), anon.connected()]);
    const notice = {
      name: 'bulletin.published',
      at: new Date().toISOString(),
      data: { kind: 'weekly', period: '2026-W48', id: 'b2', title: { zh: '每周通报', en: 'Weekly bulletin' }, path: '/api/v1/bulletins/weekly/2026-W48' },
    };
    await w.db.query(`INSERT INTO outbox (topic, name, payload) VALUES ('feed', 'bulletin.published', $1)`, [notice]);
    await leader.until(() => leader.notices.length === 1, 10_000, 'the notice held during the grace');
    expect(leader.notices).toEqual([notice]);
    await sleep(300);
    expect(leader.notices).toHaveLength(1);
    expect(anon.notices).toEqual([]);
    for (const c of [leader, anon]) c.close();
  });

  it('cuts off a client that stops reading once its buffer passes the limit, with the reason; it then resumes without loss', async () => {
    const base = `${slowFeed.url}/socket.io/?EIO=4&transport=polling`;
    const open = await (await fetch(base)).text();
    const sid = (JSON.parse(open.slice(1)) as { sid: string }).sid;
    const post = (body: string) => fetch(`${base}&sid=${sid}`, { method: 'POST', body, headers: { 'content-type': 'text/plain;charset=UTF-8' } });
    expect((await post(`40/feed,${JSON.stringify({ token: token('operator') })}`)).status).toBe(200);
    const poll = async () => (await fetch(`${base}&sid=${sid}`)).text();
    const greeting = await poll();
    expect(greeting).toContain('40/feed,');
    const packets = greeting.split('\x1e');
    if (!greeting.includes('feed.ready')) packets.push(...(await poll()).split('\x1e'));
    const ready = JSON.parse(packets.find((p) => p.includes('feed.ready'))!.slice('42/feed,'.length))[1] as { lastSeq: number };
    // The client stops polling; events pile up for it.
    const c = await caseIn(w, 'registered');
    for (let i = 0; i < 25; i++) await act(w, c.id, 'comment', { note: `第 ${i} 条 note ${i}` }, 'operator');
    await sleep(800);
    const last = await poll();
    const closing = last.split('\x1e').find((p) => p.includes('feed.closing'));
    expect(closing, last).toBeTruthy();
    expect(JSON.parse(closing!.slice('42/feed,'.length))[1]).toMatchObject({ reason: 'slow_consumer', resume: true });
    expect(last).toContain('41/feed,');
    // What it had been sent before it stopped reading is what it had; it resumes after that.
    const seen = packets.filter((p) => p.includes('case.event')).map((p) => (JSON.parse(p.slice('42/feed,'.length))[1] as { seq: number }).seq);
    const resumed = new FeedClient(slowFeed.url, { token: token('operator'), afterSeq: seen.length > 0 ? seen[seen.length - 1] : ready.lastSeq });
    await resumed.connected();
    const { rows } = await w.db.query(`SELECT seq::int FROM case_event WHERE seq > $1 ORDER BY seq`, [ready.lastSeq]);
    await resumed.until(() => resumed.resumeDone.length === 1, 10_000, 'resume.done');
    expect([...seen, ...resumed.seqs()]).toEqual(rows.map((r: { seq: number }) => r.seq));
    resumed.close();
  }, 60_000);
});
