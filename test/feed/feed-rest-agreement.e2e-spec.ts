import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPEN_STATUSES } from '@wangge/domain';
import { startFeed } from '../support/apps';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { act, report, startWorld, type CasePage, type World } from '../cases/helpers/workflow';
import { FeedClient, tokenFor } from './helpers/feed-client';

/**
 * One access model, two doors: for every staff user, the live feed sends exactly the events of the
 * cases the REST list shows them, a replay from seq 0 sends the same events again, and the `stats`
 * count the same open cases. The cases cover every scope: the district, a street, a warden's cells,
 * a warden's own report outside their cells, a chief's assignment and a chief's escalation.
 */
describe('the feed and the REST list show each user the same cases', () => {
  let redis: RedisServer;
  let w: World;
  let feed: Awaited<ReturnType<typeof startFeed>>;
  const users = ['operator', 'leader', 'admin', 'street-operator', 'warden1', 'warden2', 'chief1', 'chief2', 'chief3'];
  const live: Record<string, FeedClient> = {};
  const tokens: Record<string, string> = {};
  const cases: Record<'mine' | 'ownReportElsewhere' | 'escalated' | 'waiting', string> = { mine: '', ownReportElsewhere: '', escalated: '', waiting: '' };
  let events: { seq: number; case_id: string }[] = [];

  const listed = async (user: string): Promise<CasePage['items']> => {
    const answer = await w.http.get<CasePage>('/api/v1/cases?limit=200', tokens[user]);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body.items;
  };

  beforeAll(async () => {
    redis = await startRedisServer();
    const env = { REDIS_URL: redis.url, OUTBOX_POLL_MS: '50', FEED_RESUME_GRACE_MS: '0', FEED_CATCHUP_MS: '60000', FEED_STATS_INTERVAL_MS: '1000' };
    w = await startWorld('feed-rest', env);
    feed = await startFeed(w.app.databaseUrl, env);
    // A street-level operator of warden2's street.
    const elsewhere = await w.point('warden2');
    await w.db.query(`INSERT INTO app_user (username, name, role, street_code) VALUES ('street-operator', '街道受理员 street operator', 'operator', $1)`, [elsewhere.streetCode]);
    for (const u of users) {
      tokens[u] = w.auth[u] ?? `Bearer ${await tokenFor(w.app.app, w.db, u)}`;
      live[u] = new FeedClient(feed.url, { token: tokens[u] });
      await live[u].connected();
    }

    // warden1 reports in their own cell; dispatched to chief1.
    const mine = await report(w, { as: 'warden1', point: await w.point('warden1') });
    cases.mine = mine.id;
    await act(w, mine.id, 'dispatch', { assigneeId: w.chiefs.chief1 }, 'operator');
    // warden1 reports in warden2's cell: their own report, outside their cells.
    cases.ownReportElsewhere = (await report(w, { as: 'warden1', point: elsewhere })).id;
    // An anonymous report in warden2's cells, dispatched to chief3, then escalated to chief2 and commented.
    const escalated = await report(w, { point: await w.point('warden2') });
    cases.escalated = escalated.id;
    await act(w, escalated.id, 'register', {}, 'operator');
    await act(w, escalated.id, 'dispatch', { assigneeId: w.chiefs.chief3 }, 'operator');
    await w.db.query(`UPDATE case_file SET escalated_to = ARRAY[$2::int], escalation_level = 1 WHERE id = $1`, [escalated.id, w.chiefs.chief2]);
    await act(w, escalated.id, 'comment', { note: '请上级督办 the upper chief supervises' }, 'operator');
    // An anonymous report in warden1's cells, left waiting for the operator.
    cases.waiting = (await report(w, { point: await w.point('warden1') })).id;

    const { rows } = await w.db.query(`SELECT seq::int AS seq, case_id FROM case_event ORDER BY seq`);
    events = rows;
    const last = events[events.length - 1].seq;
    await live.operator.until(() => live.operator.lastSeq() >= last, 10_000, 'the operator to get every event');
    // Give the others the same moment to receive anything they should not.
    await new Promise((r) => setTimeout(r, 300));
  }, 120_000);

  afterAll(async () => {
    for (const c of Object.values(live)) c.close();
    await feed?.close();
    await w?.close();
    await redis?.close();
  });

  it('the scenario reaches every scope', async () => {
    expect((await listed('warden1')).map((c) => c.id).sort()).toEqual([cases.mine, cases.ownReportElsewhere, cases.waiting].sort());
    expect((await listed('chief2')).map((c) => c.id)).toEqual([cases.escalated]);
    expect((await listed('street-operator')).map((c) => c.id).sort()).toEqual([cases.ownReportElsewhere, cases.escalated].sort());
  });

  it.each(users)('%s: the socket got events of exactly the cases the REST list shows', async (user) => {
    const rest = (await listed(user)).map((c) => c.id).sort();
    const socket = [...new Set(live[user].events.map((e) => e.caseId))].sort();
    expect(socket).toEqual(rest);
    if (!user.startsWith('chief')) {
      // Place and reporter never change: every event of each listed case, in seq order.
      expect(live[user].seqs()).toEqual(events.filter((e) => rest.includes(e.case_id)).map((e) => e.seq));
    }
  });

  it.each(users)('%s: a replay from seq 0 sends the same events as the live rooms did', async (user) => {
    const replay = new FeedClient(feed.url, { token: tokens[user], afterSeq: 0 });
    try {
      await replay.connected();
      await replay.until(() => replay.resumeDone.length > 0, 10_000, 'resume.done');
      expect(replay.events).toEqual(live[user].events);
    } finally {
      replay.close();
    }
  });

  it.each(users)('%s: the stats count the open cases of the REST list', async (user) => {
    const open = (await listed(user)).filter((c) => (OPEN_STATUSES as readonly string[]).includes(c.status)).length;
    const latest = () => live[user].stats[live[user].stats.length - 1];
    await live[user].until(() => latest()?.open === open, 10_000, `stats.open = ${open}`).catch(() => undefined);
    expect(latest()?.open).toBe(open);
  });
});
