import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, caseIn, eventCount, fieldsOf, onDuty, startWorld, uploadPng, type CaseBody, type World } from './helpers/workflow';

/**
 * Issue 19 item 6: a phone's outbox sends an action again when its answer was lost. Under an
 * Idempotency-Key the action is done once even when other events came between (a bare repeat is
 * only recognised while it is still the case's last event), and the key is refused for another request.
 */
describe('case actions under an Idempotency-Key', () => {
  let w: World;
  let mediaDir: string;

  beforeAll(async () => {
    mediaDir = await mkdtemp(join(tmpdir(), 'wangge-action-keys-'));
    w = await startWorld('action-keys', { MEDIA_DIR: mediaDir });
    await onDuty(w, 'warden1'); // the check of a resolved case in their cells is their task
  });
  afterAll(async () => {
    await w?.close();
    if (mediaDir) await rm(mediaDir, { recursive: true, force: true });
  });

  const send = (id: string, action: string, body: Record<string, unknown>, user: string, key: string) =>
    w.http.call<CaseBody>('POST', `/api/v1/cases/${id}/${action}`, { auth: w.auth[user], body, headers: { 'Idempotency-Key': key } });

  it('a resolve with photos sent again after other events is done once, answering the case as it is now', async () => {
    const c = await caseIn(w, 'in_progress');
    const key = randomUUID();
    const body = { note: '已清理 cleaned (offline)', mediaIds: [await uploadPng(w, 7)] };
    const first = await send(c.id, 'resolve', body, 'chief3', key);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.status).toBe('resolved');
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    // Someone else acts on the case before the phone's replay arrives.
    await act(w, c.id, 'comment', { note: '请尽快核查 please check soon' }, 'operator');
    const events = await eventCount(w, c.id);

    const replay = await send(c.id, 'resolve', body, 'chief3', key);
    expect(replay.status, JSON.stringify(replay.body)).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body.status).toBe('resolved');
    expect(await eventCount(w, c.id)).toBe(events);
    const { rows } = await w.db.query(`SELECT count(*)::int AS n FROM case_event WHERE case_id = $1 AND type = 'case.resolved'`, [c.id]);
    expect(rows[0].n).toBe(1);

    // Without the key the same replay is refused: it is no longer the case's last event.
    const bare = await w.http.act(c.id, 'resolve', body, w.auth.chief3);
    expect(bare.status).toBe(409);
  });

  it('concurrent sends of one check with one key: one verdict, every answer 200', async () => {
    const c = await caseIn(w, 'resolved');
    const key = randomUUID();
    const answers = await Promise.all(Array.from({ length: 5 }, () => send(c.id, 'verify', { passed: true, note: '现场核查通过' }, 'warden1', key)));
    for (const a of answers) expect(a.status, JSON.stringify(a.body)).toBe(200);
    expect(answers.filter((a) => a.headers.get('idempotent-replayed') === 'true')).toHaveLength(4);
    const { rows } = await w.db.query(`SELECT count(*)::int AS n FROM case_event WHERE case_id = $1 AND type = 'case.closed'`, [c.id]);
    expect(rows[0].n).toBe(1);
  });

  it('refuses the key for another request (409 naming it), a malformed key (400), and claims no key for a refused action', async () => {
    const c = await caseIn(w, 'in_progress');
    const key = randomUUID();
    expect((await send(c.id, 'resolve', { note: 'one' }, 'chief3', key)).status).toBe(200);
    const other = await send(c.id, 'comment', { note: 'two' }, 'chief3', key);
    expect(other.status).toBe(409);
    expect(other.body.error).toBe('idempotency_key_reused');
    expect(fieldsOf(other)).toContain('Idempotency-Key');

    const bad = await send(c.id, 'comment', { note: 'three' }, 'chief3', 'not a key!');
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad)).toContain('Idempotency-Key');

    // accept on a resolved case is illegal: refused, and its key stays free for a corrected request.
    const refusedKey = randomUUID();
    expect((await send(c.id, 'accept', {}, 'chief3', refusedKey)).status).toBe(409);
    const { rows } = await w.db.query(`SELECT count(*)::int AS n FROM idempotency_key WHERE key = $1`, [refusedKey]);
    expect(rows[0].n).toBe(0);
    expect((await send(c.id, 'comment', { note: 'four' }, 'chief3', refusedKey)).status).toBe(200);
  });
});
