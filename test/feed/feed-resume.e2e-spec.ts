import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeed } from '../support/apps';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { act, caseIn, startWorld, type World } from '../cases/helpers/workflow';
import { assertOrderedUnique, FeedClient } from './helpers/feed-client';

const BURST = 1000;

/** Comments spread over the cases (one writer per case at a time): one case event each. */
async function burst(w: World, caseIds: string[], n: number): Promise<void> {
  let next = 0;
  await Promise.all(
    caseIds.map(async (caseId) => {
      while (next < n) {
        const i = next++;
        await act(w, caseId, 'comment', { note: `进展 ${i} progress` }, 'operator');
      }
    }),
  );
}

describe('resume: a client that loses its connection mid-burst gets every event once, in order', () => {
  let redis: RedisServer;
  let w: World;
  let memoryFeed: Awaited<ReturnType<typeof startFeed>>;
  let databaseFeed: Awaited<ReturnType<typeof startFeed>>;
  let caseIds: string[];

  beforeAll(async () => {
    redis = await startRedisServer();
    const env = { REDIS_URL: redis.url, OUTBOX_POLL_MS: '20', FEED_CATCHUP_MS: '500' };
    w = await startWorld('feed-resume', env);
    memoryFeed = await startFeed(w.app.databaseUrl, env);
    // This node keeps nothing in memory: every replay is read from PostgreSQL.
    databaseFeed = await startFeed(w.app.databaseUrl, { ...env, FEED_REPLAY_MEMORY: '0' });
    caseIds = [];
    for (let i = 0; i < 4; i++) caseIds.push((await caseIn(w, 'dispatched', { chief: 'chief3', warden: 'warden1' })).id);
  }, 240_000);

  afterAll(async () => {
    await memoryFeed?.close();
    await databaseFeed?.close();
    await w?.close();
    await redis?.close();
  });

  async function inScope(after: number, where: string, params: unknown[] = []): Promise<number[]> {
    const { rows } = await w.db.query(
      `SELECT e.seq::int AS seq FROM case_event e JOIN case_file c ON c.id = e.case_id WHERE e.seq > $1 AND ${where} ORDER BY e.seq`,
      [after, ...params],
    );
    return rows.map((r: { seq: number }) => r.seq);
  }

  it(`resume {afterSeq} after a disconnect in a burst of ${BURST} events: contiguous, no duplicates (memory and PostgreSQL replays, every scope kind)`, async () => {
    const tokens = { operator: w.auth.operator, chief3: w.auth.chief3, warden1: w.auth.warden1 };
    const setups = [
      { name: 'operator via memory', url: memoryFeed.url, token: tokens.operator, cutAt: 300 },
      { name: 'operator via PostgreSQL', url: databaseFeed.url, token: tokens.operator, cutAt: 450 },
      { name: 'chief via PostgreSQL', url: databaseFeed.url, token: tokens.chief3, cutAt: 200 },
      { name: 'warden via memory', url: memoryFeed.url, token: tokens.warden1, cutAt: 600 },
    ];
    const runs = await Promise.all(
      setups.map(async (s) => {
        const first = new FeedClient(s.url, { token: s.token });
        const ready = await first.connected();
        let second: FeedClient | null = null;
        const reconnected = new Promise<FeedClient>((resolve) => {
          first.socket.on('case.event', () => {
            if (first.events.length !== s.cutAt) return;
            first.socket.disconnect();
            // Reconnect a moment later, while the burst goes on, and ask for what was missed.
            setTimeout(async () => {
              second = new FeedClient(s.url, { token: s.token });
              await second.connected();
              const ack = await second.emit('resume', { afterSeq: first.lastSeq() });
              expect(ack).toMatchObject({ ok: true, afterSeq: first.lastSeq() });
              resolve(second);
            }, 150);
          });
        });
        return { s, first, ready, reconnected, get second() { return second; } };
      }),
    );
    const start = Math.min(...runs.map((r) => r.ready.lastSeq));
    await burst(w, caseIds, BURST);
    const { rows } = await w.db.query(`SELECT max(seq)::int AS last FROM case_event`);
    const last = rows[0].last as number;

    for (const run of runs) {
      const second = await run.reconnected;
      await second.until(() => second.lastSeq() >= last, 30_000, `${run.s.name} to catch up`);
      const expected =
        run.s.token === tokens.operator
          ? await inScope(run.ready.lastSeq, 'true')
          : run.s.token === tokens.chief3
            ? await inScope(run.ready.lastSeq, 'c.id = ANY($2::uuid[])', [caseIds])
            : await inScope(run.ready.lastSeq, `c.grid_cell_code IN (SELECT cell_code FROM warden_cell x JOIN app_user u ON u.id = x.user_id WHERE u.username = 'warden1')`);
      const got = [...run.first.seqs(), ...second.seqs()];
      assertOrderedUnique(got);
      expect(got, run.s.name).toEqual(expected);
      expect(got.length, run.s.name).toBeGreaterThanOrEqual(BURST);
      expect(second.resumeDone.length, run.s.name).toBe(1);
      expect(second.resumeDone[0].lastSeq).toBeGreaterThan(run.first.lastSeq());
      run.first.close();
      second.close();
    }
    expect(start).toBeGreaterThan(0);
  }, 240_000);

  it('a client that reconnects by itself with auth.afterSeq kept current misses nothing and gets nothing twice', async () => {
    const client = new FeedClient(memoryFeed.url, { token: w.auth.operator, reconnection: true });
    const ready = await client.connected();
    let drops = 0;
    client.socket.on('case.event', () => {
      // Break the transport three times in the burst; socket.io-client reconnects with auth.afterSeq.
      if (client.events.length % 150 === 0 && drops < 3) {
        drops++;
        client.socket.io.engine.close();
      }
    });
    await burst(w, caseIds, 600);
    const { rows } = await w.db.query(`SELECT max(seq)::int AS last FROM case_event`);
    await client.until(() => client.lastSeq() >= rows[0].last, 30_000, 'catch-up after reconnects');
    expect(drops).toBe(3);
    const got = client.seqs();
    assertOrderedUnique(got);
    expect(got).toEqual(await inScope(ready.lastSeq, 'true'));
    client.close();
  }, 240_000);

  it('resume with a bad afterSeq is refused with the field named, and the connection stays usable', async () => {
    const client = new FeedClient(memoryFeed.url, { token: w.auth.operator });
    await client.connected();
    for (const body of [{ afterSeq: -1 }, { afterSeq: 'x' }, { afterSeq: 1.5 }, {}, null, { afterSeq: 1, extra: true }, [1]]) {
      const ack = await client.emit('resume', body);
      expect(ack.ok, JSON.stringify(body)).toBe(false);
      expect((ack as { error: { field: string } }).error.field).toMatch(/afterSeq|extra/);
    }
    // Without an acknowledgement callback the error arrives as feed.error.
    client.socket.emit('resume', { afterSeq: 'nope' } as never);
    await client.until(() => client.errors.length === 1, 5000, 'feed.error');
    expect(client.errors[0]).toMatchObject({ code: 'bad_request', field: 'afterSeq' });
    const ack = await client.emit('resume', { afterSeq: 0 });
    expect(ack).toEqual({ ok: true, afterSeq: 0 });
    await client.until(() => client.resumeDone.length === 1, 20_000, 'resume.done');
    assertOrderedUnique(client.seqs());
    client.close();
  }, 60_000);
});
