import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_JWT_SECRET } from '../support/database';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { act, caseIn, startWorld, type World } from '../cases/helpers/workflow';
import { assertOrderedUnique, FeedClient } from './helpers/feed-client';
import { spawnFeed, type FeedProcess } from './support/spawn-feed';

describe('several feed nodes: a client on any node receives every event it should', () => {
  let redis: RedisServer;
  let w: World;
  let nodes: FeedProcess[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    const env = { REDIS_URL: redis.url, OUTBOX_POLL_MS: '50' };
    w = await startWorld('feed-nodes', env);
    const nodeEnv = { DATABASE_URL: w.app.databaseUrl, REDIS_URL: redis.url, JWT_SECRET: TEST_JWT_SECRET, FEED_RESUME_GRACE_MS: '0', DB_POOL_SIZE: '3' };
    nodes = await Promise.all([spawnFeed(nodeEnv), spawnFeed(nodeEnv)]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.kill('SIGTERM')));
    await w?.close();
    await redis?.close();
  });

  it('an event produced once reaches a client on each of two feed processes', async () => {
    const onA = new FeedClient(nodes[0].url, { token: w.auth.operator });
    const onB = new FeedClient(nodes[1].url, { token: w.auth.chief3 });
    await Promise.all([onA.connected(), onB.connected()]);
    const c = await caseIn(w, 'dispatched', { chief: 'chief3' });
    const { rows } = await w.db.query(`SELECT seq::int, type FROM case_event WHERE case_id = $1 ORDER BY seq`, [c.id]);
    const dispatched = rows.find((r: { type: string }) => r.type === 'case.dispatched').seq as number;
    await onA.until(() => onA.seqs().includes(dispatched), 10_000, 'node A');
    await onB.until(() => onB.seqs().includes(dispatched), 10_000, 'node B');
    expect(onA.events.filter((e) => e.caseId === c.id).map((e) => e.seq)).toEqual(rows.map((r: { seq: number }) => r.seq));
    expect(onB.events.filter((e) => e.caseId === c.id).map((e) => e.type)).toEqual(['case.dispatched']);
    onA.close();
    onB.close();
  });

  it('when a node is killed mid-stream, its clients move to the other node and resume with no gap and no duplicate', async () => {
    const [doomed, survivor] = nodes;
    const c = await caseIn(w, 'registered');
    const clients = [0, 1, 2].map(() => new FeedClient(doomed.url, { token: w.auth.operator }));
    const readies = await Promise.all(clients.map((x) => x.connected()));
    const writing = (async () => {
      for (let i = 0; i < 300; i++) await act(w, c.id, 'comment', { note: `巡查记录 ${i} patrol note` }, 'operator');
    })();
    await clients[0].until(() => clients[0].events.length >= 60, 20_000, 'events before the kill');
    await doomed.kill('SIGKILL');
    // A load balancer would send the reconnect to the survivor; each client resumes after its own last seq.
    const moved = await Promise.all(
      clients.map(async (old) => {
        await old.until(() => !old.socket.connected, 10_000, 'the disconnect');
        const again = new FeedClient(survivor.url, { token: w.auth.operator, afterSeq: old.lastSeq() });
        await again.connected();
        return again;
      }),
    );
    await writing;
    const { rows } = await w.db.query(`SELECT max(seq)::int AS last FROM case_event`);
    for (let i = 0; i < clients.length; i++) {
      await moved[i].until(() => moved[i].lastSeq() >= rows[0].last, 20_000, 'catch-up on the survivor');
      const got = [...clients[i].seqs(), ...moved[i].seqs()];
      assertOrderedUnique(got);
      const { rows: expected } = await w.db.query(`SELECT seq::int FROM case_event WHERE seq > $1 ORDER BY seq`, [readies[i].lastSeq]);
      expect(got).toEqual(expected.map((r: { seq: number }) => r.seq));
      moved[i].close();
    }
    nodes = [survivor];
  }, 90_000);
});
