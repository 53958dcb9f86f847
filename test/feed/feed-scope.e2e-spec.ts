import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPublicEvent } from '@wangge/auth';
import type { CaseEventType } from '@wangge/domain';
import { CaseClockService } from '@wangge/workflow';
import { startFeed } from '../support/apps';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { act, report, startWorld, type World } from '../cases/helpers/workflow';
import { fullChainPoints } from '../dispatcher/support/fixtures';
import { FeedClient, tokenFor } from './helpers/feed-client';

interface EventRow {
  seq: number;
  case_id: string;
  type: string;
  state: { assignee?: { id: number } | null; escalatedTo?: number[] };
  grid_cell_code: string;
  street_code: string;
}

/** The chiefs who see a case in a state (written here from the rule, not from the feed's code). */
const chiefsIn = (state: EventRow['state'] | undefined): number[] => [...(state?.escalatedTo ?? []), ...(state?.assignee ? [state.assignee.id] : [])];

describe('the live feed sends each connection exactly the events of its scope', () => {
  let redis: RedisServer;
  let w: World;
  let feed: Awaited<ReturnType<typeof startFeed>>;
  const clients: Record<string, FeedClient> = {};
  let events: EventRow[] = [];
  const cases: Record<'road' | 'cellOfWarden1' | 'cellOfWarden2', string> = { road: '', cellOfWarden1: '', cellOfWarden2: '' };
  let upper = 0;
  let redispatchedTo = 0;
  let tracker: FeedClient;

  beforeAll(async () => {
    redis = await startRedisServer();
    const env = { REDIS_URL: redis.url, OUTBOX_POLL_MS: '50', FEED_RESUME_GRACE_MS: '0', FEED_CATCHUP_MS: '60000' };
    w = await startWorld('feed-scope', env);
    feed = await startFeed(w.app.databaseUrl, env);

    // The road case lies on a road with chiefs on all three levels, so chief3's case escalates.
    const [onRoad] = await fullChainPoints(w.db, 1);
    const { rows: segmentChief } = await w.db.query(
      `SELECT u.username, c.id FROM road_chief_scope s JOIN road_chief c ON c.id = s.chief_id JOIN app_user u ON u.id = c.user_id
        WHERE s.kind = 'segment' AND s.segment_id = $1 AND s.level = 3 LIMIT 1`,
      [onRoad.segmentId],
    );
    const segmentChiefName = segmentChief[0]?.username as string | undefined;
    expect(segmentChiefName, 'a segment chief').toBeTruthy();

    const staff = ['operator', 'leader', 'warden1', 'warden2', 'chief1', 'chief2', 'chief3'];
    const { rows: chiefUsers } = await w.db.query(`SELECT u.username FROM road_chief c JOIN app_user u ON u.id = c.user_id`);
    for (const u of chiefUsers.map((r: { username: string }) => r.username)) if (!staff.includes(u)) staff.push(u);
    for (const u of staff) {
      const token = w.auth[u] ?? (await tokenFor(w.app.app, w.db, u));
      clients[u] = new FeedClient(feed.url, { token });
      await clients[u].connected();
    }

    // Road case: an anonymous citizen reports it and tracks it; registered, dispatched to the segment chief.
    const road = await report(w, { point: onRoad, description: '路面破损 road damage' });
    cases.road = road.id;
    // Tracking starts once the feed has sent the report's event (the operator got it), so the
    // tracker's view is every event after it, whatever the outbox relay's timing.
    const { rows: reported } = await w.db.query(`SELECT max(seq)::int AS seq FROM case_event WHERE case_id = $1`, [road.id]);
    await clients.operator.until(() => clients.operator.lastSeq() >= reported[0].seq, 10_000, 'the report event to reach the feed');
    tracker = new FeedClient(feed.url);
    await tracker.connected();
    expect(await tracker.emit('track', { caseId: road.id, trackingToken: (road as { trackingToken?: string }).trackingToken })).toMatchObject({ ok: true });
    await act(w, road.id, 'register', {}, 'operator');
    const segmentChiefId = segmentChief[0].id as number;
    await act(w, road.id, 'dispatch', { assigneeId: segmentChiefId }, 'operator');
    // Its deadline passes: overdue, escalated one level up.
    await w.db.query(`UPDATE case_file SET next_check_at = now() - interval '1 minute' WHERE id = $1`, [road.id]);
    const { rows: due } = await w.db.query(`SELECT next_check_at FROM case_file WHERE id = $1`, [road.id]);
    const outcome = await w.app.app.get(CaseClockService).check(road.id, due[0].next_check_at);
    expect(outcome.kind).toBe('overdue');
    upper = (outcome as { escalatedTo: number }).escalatedTo;
    expect(upper).toBeGreaterThan(0);
    // The segment chief returns it; the operator dispatches it to another chief; then comments.
    w.auth[segmentChiefName!] ??= `Bearer ${await tokenFor(w.app.app, w.db, segmentChiefName!)}`;
    await act(w, road.id, 'return', { reason: '不属于本路段 not my segment' }, segmentChiefName!);
    const { rows: other } = await w.db.query(`SELECT id FROM road_chief WHERE id NOT IN ($1, $2) ORDER BY id LIMIT 1`, [segmentChiefId, upper]);
    redispatchedTo = other[0].id;
    await act(w, road.id, 'dispatch', { assigneeId: redispatchedTo }, 'operator');
    await act(w, road.id, 'comment', { note: '请尽快处理 please hurry' }, 'operator');

    // A case in warden1's cells, dispatched to chief1; a case in warden2's cells, left registered.
    const mine = await report(w, { as: 'warden1', point: await w.point('warden1') });
    cases.cellOfWarden1 = mine.id;
    await act(w, mine.id, 'dispatch', { assigneeId: w.chiefs.chief1 }, 'operator');
    const theirs = await report(w, { as: 'warden2', point: await w.point('warden2') });
    cases.cellOfWarden2 = theirs.id;

    const { rows } = await w.db.query(
      `SELECT e.seq::int AS seq, e.case_id, e.type, e.state, c.grid_cell_code, c.street_code
         FROM case_event e JOIN case_file c ON c.id = e.case_id ORDER BY e.seq`,
    );
    events = rows;
    const last = events[events.length - 1].seq;
    await clients.operator.until(() => clients.operator.lastSeq() >= last, 10_000, 'the operator to get every event');
    // Give the others the same moment to receive anything they should not.
    await new Promise((r) => setTimeout(r, 300));
  }, 120_000);

  afterAll(async () => {
    for (const c of Object.values(clients)) c.close();
    tracker?.close();
    await feed?.close();
    await w?.close();
    await redis?.close();
  });

  it('district-wide staff receive every event, in seq order', () => {
    const all = events.map((e) => e.seq);
    expect(clients.operator.seqs()).toEqual(all);
    expect(clients.leader.seqs()).toEqual(all);
    expect(clients.operator.events.find((e) => e.caseId === cases.road && e.type === 'case.escalated')?.escalatedTo).toEqual([upper]);
  });

  it('a warden receives the events of the cases in the cells they patrol, and no others', async () => {
    for (const warden of ['warden1', 'warden2']) {
      const { rows } = await w.db.query(`SELECT w.cell_code FROM warden_cell w JOIN app_user u ON u.id = w.user_id WHERE u.username = $1`, [warden]);
      const cells = new Set(rows.map((r: { cell_code: string }) => r.cell_code));
      const expected = events.filter((e) => cells.has(e.grid_cell_code)).map((e) => e.seq);
      expect(expected.length).toBeGreaterThan(0);
      expect(clients[warden].seqs()).toEqual(expected);
    }
    expect(new Set(clients.warden1.events.map((e) => e.caseId))).toContain(cases.cellOfWarden1);
    expect(new Set(clients.warden1.events.map((e) => e.caseId))).not.toContain(cases.cellOfWarden2);
  });

  it('each chief receives the events of cases assigned or escalated to them, including the one that takes a case away, and nothing of anyone else', async () => {
    const { rows } = await w.db.query(`SELECT c.id, u.username FROM road_chief c JOIN app_user u ON u.id = c.user_id`);
    let checked = 0;
    for (const { id, username } of rows as { id: number; username: string }[]) {
      const previous = new Map<string, EventRow['state']>();
      const expected: number[] = [];
      for (const e of events) {
        if (chiefsIn(e.state).includes(id) || chiefsIn(previous.get(e.case_id)).includes(id)) expected.push(e.seq);
        previous.set(e.case_id, e.state);
      }
      expect(clients[username].seqs(), username).toEqual(expected);
      checked += expected.length > 0 ? 1 : 0;
    }
    expect(checked).toBeGreaterThanOrEqual(3);
  });

  it('a return takes the case out of the old chief’s feed; an escalation brings it into the upper chief’s', async () => {
    const roadEvents = events.filter((e) => e.case_id === cases.road);
    const types = roadEvents.map((e) => e.type);
    expect(types).toEqual(['case.reported', 'case.registered', 'case.dispatched', 'case.overdue', 'case.escalated', 'case.returned', 'case.dispatched', 'case.commented']);
    const { rows } = await w.db.query(
      `SELECT u.username, c.id FROM road_chief c JOIN app_user u ON u.id = c.user_id WHERE c.id = ANY($1::int[])`,
      [[roadEvents[2].state.assignee!.id, upper, redispatchedTo]],
    );
    const name = (id: number) => rows.find((r: { id: number }) => r.id === id).username as string;
    const typesFor = (u: string) => clients[u].events.filter((e) => e.caseId === cases.road).map((e) => e.type);
    expect(typesFor(name(roadEvents[2].state.assignee!.id))).toEqual(['case.dispatched', 'case.overdue', 'case.escalated', 'case.returned']);
    // The overdue mark and the escalation are written together, both after the case reached the upper chief.
    expect(typesFor(name(upper))).toEqual(['case.overdue', 'case.escalated', 'case.returned']);
    expect(typesFor(name(redispatchedTo))).toEqual(['case.dispatched', 'case.commented']);
  });

  it('the reporter tracking the case receives its public steps, without staff identities (no overdue mark, escalation or comment)', () => {
    const road = events.filter((e) => e.case_id === cases.road && e.seq > 0);
    // Tracking starts after the report: every public step from then on (the public view of @wangge/auth).
    expect(tracker.seqs()).toEqual(road.filter((e) => e.seq > road[0].seq && isPublicEvent(e.type as CaseEventType)).map((e) => e.seq));
    expect(tracker.events.map((e) => e.type)).toEqual(['case.registered', 'case.dispatched', 'case.returned', 'case.dispatched']);
    for (const e of tracker.events) {
      expect(e.caseId).toBe(cases.road);
      expect(e.actor.id).toBeNull();
      expect(e.assignee).toBeNull();
      expect(e.coordinator).toBeNull();
      expect(e.escalatedTo).toEqual([]);
      expect(e.escalationLevel).toBe(0);
    }
    // Staff payloads carry the actor and never the feed's routing data.
    const staffEvent = clients.operator.events.find((e) => e.type === 'case.dispatched')!;
    expect(staffEvent.actor.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(staffEvent).not.toHaveProperty('formerChiefs');
    expect(Object.keys(staffEvent).sort()).toEqual(
      ['seq', 'caseId', 'code', 'type', 'status', 'at', 'actor', 'assignee', 'department', 'coordinator', 'escalationLevel', 'escalatedTo', 'deadlineAt', 'overdue', 'light', 'limitUsed', 'location', 'gridCode', 'streetCode', 'categoryCode'].sort(),
    );
  });
});
