import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from 'pg';
import { DataSource, type QueryRunner } from 'typeorm';
import { EVENT_ORDER_LOCK } from '../../libs/workflow/src/case-events.store';
import { onAppQueries } from '../support/query-log';
import { act, caseIn, onDuty, report, startWorld, uploadPng, view, type World } from './helpers/workflow';

/**
 * Every case event is written under the global event-order lock (case-events.store.ts), held from the
 * event insert to COMMIT. Anything a transition sends after its first event insert is a round trip
 * through a busy writer's event loop with every other writer waiting (issue 18's notification
 * benchmark: dispatch slowed from 33 ms to seconds). So in every transaction the event inserts come
 * last: after the first statement that takes the lock, only more event inserts and the COMMIT.
 * The statements are the app's own, recorded through TypeORM's logger on the real database.
 */
describe('the event-order lock is taken by a transaction’s last statements only', () => {
  let w: World;
  const byRunner = new Map<QueryRunner, string[]>();
  const finished: string[][] = [];

  beforeAll(async () => {
    w = await startWorld('event-order-lock');
    onAppQueries(w.app.app.get(DataSource), (query, runner) => {
      if (!runner) return;
      const q = query.trim();
      if (/^START TRANSACTION/i.test(q)) byRunner.set(runner, []);
      const statements = byRunner.get(runner);
      if (!statements) return;
      statements.push(q);
      if (/^(COMMIT|ROLLBACK)/i.test(q)) {
        finished.push(statements);
        byRunner.delete(runner);
      }
    });
  }, 120_000);

  afterAll(async () => {
    await w?.close();
  });

  const takesLock = (q: string) => q.includes('pg_advisory_xact_lock') && q.includes('order_lock');

  it('dispatch, accept, resolve with a photo (a check task given), verify, merge and a comment: events last', async () => {
    await onDuty(w, 'warden1');
    const dispatched = await caseIn(w, 'dispatched');
    await act(w, dispatched.id, 'accept', {}, 'chief3');
    const photo = await uploadPng(w, 7);
    // resolve opens the check stage and gives it to warden1: a second event, after the step's own.
    await act(w, dispatched.id, 'resolve', { note: '已处置 fixed', mediaIds: [photo] }, 'chief3');
    await act(w, dispatched.id, 'verify', { passed: true }, 'warden1');
    const target = await caseIn(w, 'registered');
    const duplicate = await report(w);
    await act(w, duplicate.id, 'merge', { targetId: target.id, reason: '重复上报 duplicate' }, 'operator');
    await act(w, target.id, 'comment', { note: '请尽快处理 please hurry' }, 'leader');

    const withEvents = finished.filter((t) => t.some(takesLock) && t[t.length - 1] === 'COMMIT');
    // dispatch, accept, resolve, verify, merge, comment (and the registrations' report batches).
    expect(withEvents.length).toBeGreaterThanOrEqual(6);
    for (const t of withEvents) {
      const after = t.slice(t.findIndex(takesLock));
      expect(after.filter((q) => !takesLock(q) && q !== 'COMMIT'), `statements after the first event insert:\n${after.join('\n---\n')}`).toEqual([]);
      // The case's time limit is written by the change's own UPDATE, not by one more statement.
      expect(t.filter((q) => /^UPDATE case_file SET limit_clock/i.test(q)), 'a separate limit update').toEqual([]);
    }
    // The photo went in with the resolve event, and the check task's event came after it.
    const closed = await view(w, dispatched.id);
    expect(closed.media.map((m) => m.id)).toContain(photo);
    const { rows } = await w.db.query<{ type: string; media: number }>(
      `SELECT e.type, (SELECT count(*)::int FROM case_media cm WHERE cm.case_id = e.case_id AND cm.event_seq = e.seq) AS media
         FROM case_event e WHERE e.case_id = $1 ORDER BY e.seq`,
      [dispatched.id],
    );
    const types = rows.map((r) => r.type);
    expect(types.indexOf('case.check_assigned')).toBe(types.indexOf('case.resolved') + 1);
    expect(rows.find((r) => r.type === 'case.resolved')?.media).toBe(1);
  }, 120_000);

  it('a report that may duplicate a case a transition holds waits for it before the order lock, not under it (no deadlock)', async () => {
    const held = await caseIn(w, 'registered');
    // A transition in flight on that case, as the workflow runs one: the case row locked first, the
    // event-order lock taken last.
    const transition = new Client({ connectionString: w.app.databaseUrl });
    await transition.connect();
    try {
      await transition.query('BEGIN');
      await transition.query(`SELECT id FROM case_file WHERE id = $1 FOR UPDATE`, [held.id]);
      // A citizen reports the same problem at the same place: a possible duplicate of the held case.
      const reported = w.http.post<{ id: string; possibleDuplicateOf: string | null }>('/api/v1/cases', {
        categoryCode: 'C0101',
        description: '井盖缺失 again',
        location: held.location,
      });
      await new Promise((r) => setTimeout(r, 500));
      // The transition now appends its event. Had the report's statement taken the order lock before
      // waiting for the case's key, this would deadlock (PostgreSQL aborts one of the two after 1 s).
      await transition.query(`SELECT pg_advisory_xact_lock($1)`, [EVENT_ORDER_LOCK]);
      await transition.query('COMMIT');
      const answer = await reported;
      expect(answer.status).toBe(201);
      expect(answer.body.possibleDuplicateOf).toBe(held.id);
    } finally {
      await transition.end();
    }
  }, 60_000);
});
