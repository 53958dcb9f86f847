import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeed } from '../support/apps';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { FeedClient } from '../feed/helpers/feed-client';
import { startPeopleWorld, type PeopleWorld } from './people-helpers';

/** The connect_error a handshake is refused with. */
async function refusal(url: string, token: string): Promise<{ code?: string }> {
  const client = new FeedClient(url, { token });
  try {
    await client.connected();
    return { code: 'connected' };
  } catch (err) {
    return (err as { data?: { code?: string } }).data ?? {};
  } finally {
    client.close();
  }
}

describe('people and the live feed: deactivation and resets close connections at once, on every feed node', () => {
  let redis: RedisServer;
  let w: PeopleWorld;
  const feeds: Awaited<ReturnType<typeof startFeed>>[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    const env = { REDIS_URL: redis.url, FEED_RESUME_GRACE_MS: '0' };
    w = await startPeopleWorld('people-feed', env);
    feeds.push(await startFeed(w.app.databaseUrl, env), await startFeed(w.app.databaseUrl, env));
  }, 120_000);

  afterAll(async () => {
    for (const f of feeds) await f.close();
    await w?.close();
    await redis?.close();
  });

  it('closes a deactivated user\'s sockets on both nodes within seconds; their token is refused; others stay', async () => {
    const warden = (await w.bearer('warden3')).replace(/^Bearer /, '');
    const other = (await w.bearer('warden4')).replace(/^Bearer /, '');
    const a = new FeedClient(feeds[0].url, { token: warden });
    const b = new FeedClient(feeds[1].url, { token: warden });
    const bystander = new FeedClient(feeds[0].url, { token: other });
    await Promise.all([a.connected(), b.connected(), bystander.connected()]);
    const id = (await w.db.query(`SELECT id FROM app_user WHERE username = 'warden3'`)).rows[0].id as string;

    const started = Date.now();
    expect((await w.patch(`/api/v1/admin/users/${id}`, { active: false }, w.admin)).status).toBe(200);
    await a.until(() => !a.socket.connected, 5000, 'node 1 to close the socket');
    await b.until(() => !b.socket.connected, 5000, 'node 2 to close the socket');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(a.closings).toEqual([expect.objectContaining({ reason: 'session_ended', resume: false })]);
    expect(b.closings[0]?.reason).toBe('session_ended');
    expect(bystander.socket.connected).toBe(true);
    expect(bystander.notices).toEqual([]); // the nodes' own notice never reaches clients

    expect((await refusal(feeds[0].url, warden)).code).toBe('invalid_token');
    expect((await w.http.get('/api/v1/me/tasks', `Bearer ${warden}`)).status).toBe(401);
    bystander.close();
  });

  it("moves a warden whose cells change into the new scope: the socket is closed with resume, the same token connects again", async () => {
    const token = (await w.bearer('warden6')).replace(/^Bearer /, '');
    const client = new FeedClient(feeds[0].url, { token });
    await client.connected();
    const { id, street } = (await w.db.query(`SELECT id, street_code AS street FROM app_user WHERE username = 'warden6'`)).rows[0];
    const [cell] = await w.freeCells(street, 1);
    const cells = (await w.http.get<{ cells: string[] }>(`/api/v1/admin/users/${id}`, w.admin)).body.cells;
    expect((await w.patch(`/api/v1/admin/users/${id}`, { cells: [...cells, cell] }, w.admin)).status).toBe(200);
    await client.until(() => !client.socket.connected, 5000, 'the socket to close');
    expect(client.closings).toEqual([expect.objectContaining({ reason: 'scope_changed', resume: true })]);
    const again = new FeedClient(feeds[1].url, { token });
    expect((await again.connected()).scope).toBe('cells');
    again.close();
    // A change of name only leaves the connection alone.
    const stays = new FeedClient(feeds[0].url, { token });
    await stays.connected();
    expect((await w.patch(`/api/v1/admin/users/${id}`, { name: '改名网格员' }, w.admin)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1500));
    expect(stays.socket.connected).toBe(true);
    stays.close();
  });

  it('closes the sockets of a user whose password is reset, and refuses the one-time password\'s token', async () => {
    const token = (await w.bearer('warden5')).replace(/^Bearer /, '');
    const client = new FeedClient(feeds[1].url, { token });
    await client.connected();
    const id = (await w.db.query(`SELECT id FROM app_user WHERE username = 'warden5'`)).rows[0].id as string;
    const reset = await w.http.post<{ initialPassword: string }>(`/api/v1/admin/users/${id}/reset-password`, {}, w.admin);
    expect(reset.status).toBe(200);
    await client.until(() => !client.socket.connected, 5000, 'the socket to close');
    expect(client.closings[0]?.reason).toBe('session_ended');
    expect((await refusal(feeds[0].url, token)).code).toBe('session_ended');
    const login = await w.login('warden5', reset.body.initialPassword);
    expect((await refusal(feeds[0].url, login.body.accessToken)).code).toBe('password_change_required');
  });
});
