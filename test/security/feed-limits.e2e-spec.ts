import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from 'pg';
import { startFeed } from '../support/apps';
import { tokenFor } from '../feed/helpers/feed-client';
import { createTestDatabase } from '../support/database';
import { startRedisServer, type RedisServer } from '../support/redis-server';

type Outcome = { connected: true; socket: Socket } | { connected: false; message: string; data?: { code: string } };

/** Opens a real socket.io connection to the feed, as the client at `forwardedFor` behind a proxy on loopback when given. */
function connect(url: string, forwardedFor?: string, token?: string): Promise<Outcome> {
  const socket = io(`${url}/feed`, {
    auth: token ? { token } : {},
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: 10_000,
    extraHeaders: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
  });
  return new Promise((resolve) => {
    socket.once('feed.ready', () => resolve({ connected: true, socket }));
    socket.once('connect_error', (err: Error & { data?: { code: string } }) => {
      socket.close();
      resolve({ connected: false, message: err.message, data: err.data });
    });
  });
}

/**
 * Feed limits per client: FEED_MAX_CONNECTIONS_PER_IP anonymous connections at once (the address behind a
 * trusted proxy is the client's), FEED_MAX_MESSAGES_PER_SECOND messages on one connection.
 */
describe('feed limits', () => {
  let redis: RedisServer;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let feed: Awaited<ReturnType<typeof startFeed>>;
  let dbClient: Client;
  const open: Socket[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    db = await createTestDatabase('feed_limits');
    dbClient = new Client({ connectionString: db.url });
    await dbClient.connect();
    feed = await startFeed(db.url, { REDIS_URL: redis.url, FEED_RESUME_GRACE_MS: '0', FEED_MAX_CONNECTIONS_PER_IP: '2', FEED_MAX_MESSAGES_PER_SECOND: '5' });
  }, 120_000);

  afterAll(async () => {
    for (const s of open) s.close();
    await dbClient?.end();
    await feed?.close();
    await db?.drop();
    await redis?.close();
  });

  const keep = (o: Outcome) => {
    if (o.connected) open.push(o.socket);
    return o;
  };

  it('refuses a connection over the per-address limit with a clear error; other clients behind the proxy keep theirs', async () => {
    const a1 = keep(await connect(feed.url, '203.0.113.7'));
    const a2 = keep(await connect(feed.url, '203.0.113.7'));
    expect([a1.connected, a2.connected]).toEqual([true, true]);
    const a3 = keep(await connect(feed.url, '203.0.113.7'));
    expect(a3).toMatchObject({ connected: false, data: { code: 'too_many_connections' } });
    expect(a3.connected === false && a3.message).toMatch(/at most 2 feed connections from one address/);
    // Another client behind the same (trusted) proxy has limits of its own.
    const b1 = keep(await connect(feed.url, '203.0.113.8'));
    expect(b1.connected).toBe(true);
    // Staff are known by their token: a command center behind one address is not refused.
    const operator = await tokenFor(feed.app, dbClient, 'operator');
    for (let i = 0; i < 3; i++) expect(keep(await connect(feed.url, '203.0.113.7', operator)).connected).toBe(true);
    // A place given back is free again.
    if (a1.connected) a1.socket.close();
    let again: Outcome = { connected: false, message: '' };
    for (let i = 0; i < 50 && !again.connected; i++) {
      again = keep(await connect(feed.url, '203.0.113.7'));
      if (!again.connected) await new Promise((r) => setTimeout(r, 100));
    }
    expect(again.connected).toBe(true);
  });

  it('cuts a connection that sends more messages a second than it may, saying why', async () => {
    const c = keep(await connect(feed.url, '203.0.113.9'));
    if (!c.connected) throw new Error(`not connected: ${c.message}`);
    const closing = new Promise<{ reason: string; message: string }>((resolve) => c.socket.once('feed.closing', resolve));
    const disconnected = new Promise<void>((resolve) => c.socket.once('disconnect', () => resolve()));
    for (let i = 0; i < 30; i++) c.socket.emit('untrack', { caseId: randomUUID() });
    expect(await closing).toMatchObject({ reason: 'rate_limited', message: expect.stringMatching(/more than 5 messages a second/) });
    await disconnected;
  });
});
