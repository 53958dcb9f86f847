import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_ORDER_LOCK } from '@wangge/workflow';
import { until } from '../support/until';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { report, startWorld, uploadPng, type CaseBody, type World } from './helpers/workflow';

/**
 * A transition or a report whose transaction the server aborts to break a deadlock (40P01) is run
 * again instead of answering 500. The deadlocks are made for real, by another session that holds
 * what the app's transaction will wait for, then asks for what that transaction holds. The app's
 * backend waited first, so its deadlock check (deadlock_timeout, 1 s) finds the cycle and aborts it;
 * the other session's check is set far later.
 */
describe('a transaction that lost a deadlock is run again', () => {
  let redis: RedisServer;
  let w: World;
  let other: Client;

  beforeAll(async () => {
    redis = await startRedisServer();
    w = await startWorld('deadlock-retry', { REDIS_URL: redis.url, SWEEP_INTERVAL_MS: '3600000' });
    other = new Client({ connectionString: w.app.databaseUrl });
    await other.connect();
  });
  afterAll(async () => {
    await other?.end();
    await w?.close();
    await redis?.close();
  });

  /** Until the app's backend waits for a lock. */
  const appWaits = () =>
    until('the app waiting for a lock', 10_000, async () => {
      const { rows } = await other.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
      );
      return rows[0].n > 0;
    });

  it('a merge: answers 200 and is applied once', async () => {
    const p = await w.point('warden1');
    const target = await report(w, { as: 'warden1', category: 'E0102', point: p });
    const duplicate = await report(w, { category: 'E0102', point: p });
    const [first, second] = [target.id, duplicate.id].sort();

    await other.query('BEGIN');
    await other.query(`SET LOCAL deadlock_timeout = '30s'`);
    await other.query('SELECT id FROM case_file WHERE id = $1 FOR UPDATE', [second]);
    const merging = w.http.act<CaseBody>(duplicate.id, 'merge', { targetId: target.id, reason: '同一处 same place' }, w.auth.operator);
    // The merge holds the first case and waits for the second.
    await appWaits();
    // The cycle: this waits until the server aborts the merge's transaction, then gets the first case.
    await other.query('SELECT id FROM case_file WHERE id = $1 FOR UPDATE', [first]);
    await other.query('COMMIT');

    const answer = await merging;
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.status).toBe('merged');
    const { rows } = await other.query(`SELECT type FROM case_event WHERE case_id = $1 AND type = 'case.merged'`, [duplicate.id]);
    expect(rows.length).toBe(1);
  });

  it('a report with a photo: answers 201 and is written once', async () => {
    const photo = await uploadPng(w, 7);
    const p = await w.point('warden1');
    await other.query('BEGIN');
    await other.query(`SET LOCAL deadlock_timeout = '30s'`);
    await other.query('SELECT pg_advisory_xact_lock($1)', [EVENT_ORDER_LOCK]);
    const reporting = w.http.post<CaseBody>('/api/v1/cases', { categoryCode: 'E0102', description: 'deadlock', location: { lng: p.lng, lat: p.lat }, mediaIds: [photo] }, w.auth.warden1);
    // The report's transaction holds its photo and waits for the event-order lock.
    await appWaits();
    await other.query('SELECT id FROM media WHERE id = $1 FOR UPDATE', [photo]);
    await other.query('COMMIT');

    const answer = await reporting;
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    const { rows } = await other.query(`SELECT case_id FROM case_media WHERE media_id = $1`, [photo]);
    expect(rows).toEqual([{ case_id: answer.body.id }]);
  });
});
