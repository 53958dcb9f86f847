import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../api';
import { cachedGet, forgetCachedReads } from './cached-read';
import { offlineDb } from './offline-db';
import { Outbox, retryLater, type OutboxTransport } from './outbox';

/**
 * A stand-in for the API as the outbox sees it: it can lose its signal, lose an answer after doing
 * the work (the retry storm's worst case), and recognises a report's Idempotency-Key as the API does.
 */
class FakeApi implements OutboxTransport {
  online = true;
  /** How many of the next uploads and posts lose their answer after the work is done. */
  lose = { upload: 0, post: 0 };
  refuse: ((path: string) => ApiError | null) | null = null;
  readonly uploads: string[] = [];
  /** What the server did, in order: each report and action once per Idempotency-Key. */
  readonly done: { path: string; key: string; body: Record<string, unknown> }[] = [];
  calls = 0;

  private answer<T>(kind: 'upload' | 'post', value: T): T {
    if (this.lose[kind] > 0) {
      this.lose[kind]--;
      throw new ApiError(0, 'network', 'network error: connection reset');
    }
    return value;
  }

  async upload(photo: { name: string }): Promise<string> {
    this.calls++;
    if (!this.online) throw new ApiError(0, 'network', 'network error: offline');
    const id = `m${this.uploads.length + 1}`;
    this.uploads.push(photo.name);
    return this.answer('upload', id);
  }

  async post(path: string, body: Record<string, unknown>, headers: Record<string, string>): Promise<unknown> {
    this.calls++;
    if (!this.online) throw new ApiError(0, 'network', 'network error: offline');
    const refused = this.refuse?.(path);
    if (refused) throw refused;
    const key = headers['Idempotency-Key'];
    if (!this.done.some((d) => d.key === key)) this.done.push({ path, key, body });
    return this.answer('post', { id: `case-${this.done.findIndex((d) => d.key === key) + 1}`, path });
  }
}

let dbName = '';
let n = 0;
const db = () => offlineDb(dbName);
const photo = (name: string) => new File([new Uint8Array([1, 2, 3])], name, { type: 'image/png' });
const report = (text: string, files: File[] = []) => ({ kind: 'report' as const, path: '/api/v1/cases', body: { description: text }, files, label: text });
const action = (caseId: string, name: string, files: File[] = []) => ({ kind: 'action' as const, path: `/api/v1/cases/${caseId}/${name}`, body: {}, files, label: name });

beforeEach(() => {
  dbName = `outbox-test-${++n}`;
});

describe('the offline outbox', () => {
  it('keeps what is made without signal and sends it when the signal returns: photos first, then the call with their ids, in order', async () => {
    const server = new FakeApi();
    const box = new Outbox(server, db);
    server.online = false;
    expect(await box.submit('w1', report('garbage', [photo('before.png')]))).toEqual({ state: 'queued' });
    expect(await box.submit('w1', action('c9', 'verify'))).toEqual({ state: 'queued' });
    expect(await box.counts('w1')).toEqual({ pending: 2, sent: 0, failed: 0 });
    expect(server.done).toEqual([]);

    server.online = true;
    await box.flush('w1');
    expect(server.done.map((d) => d.path)).toEqual(['/api/v1/cases', '/api/v1/cases/c9/verify']);
    expect(server.done[0].body).toEqual({ description: 'garbage', mediaIds: ['m1'] });
    expect(server.done[1].body).toEqual({});
    expect(await box.counts('w1')).toEqual({ pending: 0, sent: 2, failed: 0 });
    const [first] = await box.list('w1');
    expect(first.response).toEqual({ id: 'case-1', path: '/api/v1/cases' });
    expect(first.photos[0].bytes.byteLength).toBe(0);
  });

  it('sends now when the signal is there, answering what the API answered', async () => {
    const box = new Outbox(new FakeApi(), db);
    expect(await box.submit('w1', report('now'))).toEqual({ state: 'sent', response: { id: 'case-1', path: '/api/v1/cases' } });
  });

  it('replays a call whose answer was lost with the same Idempotency-Key and the same photos: done once', async () => {
    const server = new FakeApi();
    const box = new Outbox(server, db);
    server.lose = { upload: 1, post: 1 }; // the photo's answer, then the resolve's
    expect((await box.submit('c1', action('c5', 'resolve', [photo('after.png')]))).state).toBe('queued');
    const [kept] = await box.list('c1');
    expect(kept.photos[0].mediaId).toBeNull();
    await box.flush('c1'); // the photo again (its first answer never came), then the resolve, whose answer is lost
    expect(server.done).toHaveLength(1);
    expect((await box.list('c1'))[0].state).toBe('pending');
    await box.flush('c1');
    expect(server.uploads).toEqual(['after.png', 'after.png']);
    expect(server.done).toHaveLength(1);
    expect(server.done[0].body).toEqual({ mediaIds: ['m2'] });
    const [sent] = await box.list('c1');
    expect(sent.state).toBe('sent');
    expect(sent.attempts).toBe(3);
    expect(sent.key).toBe(kept.key);
  });

  it('does not upload a photo again after a reload, and a new page sends what the old one left', async () => {
    const server = new FakeApi();
    const before = new Outbox(server, db);
    server.refuse = () => new ApiError(503, 'unavailable', 'down for a moment');
    await before.submit('w1', report('one', [photo('a.png'), photo('b.png')]));
    expect(server.uploads).toEqual(['a.png', 'b.png']);
    // The page is reloaded: a new outbox over the same store.
    server.refuse = null;
    const after = new Outbox(server, db);
    await after.flush('w1');
    expect(server.uploads).toEqual(['a.png', 'b.png']);
    expect(server.done.map((d) => d.body.mediaIds)).toEqual([['m1', 'm2']]);
  });

  it('sends each item once when flushes overlap (the online event, the timer and a submit at once)', async () => {
    const server = new FakeApi();
    const box = new Outbox(server, db);
    server.online = false;
    for (const text of ['a', 'b', 'c']) await box.submit('w1', report(text));
    server.online = true;
    const other = new Outbox(server, db); // another tab has no lock with this one where Web Locks are missing, but one page's flushes queue
    await Promise.all([box.flush('w1'), box.flush('w1'), box.flush('w1')]);
    await other.flush('w1');
    expect(server.done.map((d) => d.body.description)).toEqual(['a', 'b', 'c']);
    expect(server.calls).toBe(3 + 3);
  });

  it('keeps a refused item apart (未能发送) without holding back the ones after it, and a refused submit throws and is forgotten', async () => {
    const server = new FakeApi();
    const box = new Outbox(server, db);
    server.online = false;
    await box.submit('c1', action('c1', 'resolve'));
    await box.submit('c1', action('c2', 'resolve'));
    server.online = true;
    server.refuse = (path) => (path.includes('/c1/') ? new ApiError(409, 'illegal_transition', 'cannot resolve a case that is closed') : null);
    await box.flush('c1');
    expect(await box.counts('c1')).toEqual({ pending: 0, sent: 1, failed: 1 });
    const [failed] = await box.list('c1');
    expect(failed.error).toMatchObject({ status: 409, message: 'cannot resolve a case that is closed' });
    await box.discard(failed.id!);
    expect(await box.counts('c1')).toEqual({ pending: 0, sent: 1, failed: 0 });

    server.refuse = () => new ApiError(400, 'bad_input', 'description is required', [{ field: 'description', problem: 'is required' }]);
    await expect(box.submit('c1', report(''))).rejects.toMatchObject({ status: 400, details: [{ field: 'description', problem: 'is required' }] });
    expect(await box.counts('c1')).toEqual({ pending: 0, sent: 1, failed: 0 });
  });

  it("keeps each user's items to themselves", async () => {
    const server = new FakeApi();
    const box = new Outbox(server, db);
    server.online = false;
    await box.submit('w1', report('mine'));
    await box.submit('w2', report('theirs'));
    server.online = true;
    await box.flush('w1');
    expect(server.done.map((d) => d.body.description)).toEqual(['mine']);
    expect(await box.counts('w2')).toEqual({ pending: 1, sent: 0, failed: 0 });
  });

  it('forgets sent items past the last 20', async () => {
    const box = new Outbox(new FakeApi(), db);
    for (let i = 0; i < 23; i++) await box.submit('w1', report(`r${i}`));
    const items = await box.list('w1');
    expect(items).toHaveLength(20);
    expect(items[0].label).toBe('r3');
  });

  it('tells which answers are worth a retry', () => {
    expect(retryLater(new ApiError(0, 'network', 'offline'))).toBe(true);
    expect(retryLater(new ApiError(502, 'bad_gateway', ''))).toBe(true);
    expect(retryLater(new ApiError(429, 'throttled', ''))).toBe(true);
    expect(retryLater(new ApiError(401, 'unauthorized', ''))).toBe(true);
    expect(retryLater(new ApiError(409, 'illegal_transition', ''))).toBe(false);
    expect(retryLater(new ApiError(422, 'unprocessable', ''))).toBe(false);
    expect(retryLater(new TypeError('Failed to fetch'))).toBe(true);
  });
});

describe('the kept copy of a read', () => {
  it('answers from the API and keeps it; without signal, the copy with when it was fetched; a refusal is the answer', async () => {
    let online = true;
    let status = 0;
    const get = async (path: string) => {
      if (status) throw new ApiError(status, 'forbidden', 'no');
      if (!online) throw new ApiError(0, 'network', 'offline');
      return [{ id: path }];
    };
    expect(await cachedGet('c1', '/api/v1/me/tasks', { get, db, now: () => 1000 })).toEqual({ data: [{ id: '/api/v1/me/tasks' }], offlineSince: null });
    online = false;
    expect(await cachedGet('c1', '/api/v1/me/tasks', { get, db })).toEqual({ data: [{ id: '/api/v1/me/tasks' }], offlineSince: 1000 });
    // another user has no copy
    await expect(cachedGet('c2', '/api/v1/me/tasks', { get, db })).rejects.toMatchObject({ status: 0 });
    status = 403;
    await expect(cachedGet('c1', '/api/v1/me/tasks', { get, db })).rejects.toMatchObject({ status: 403 });
    status = 0;
    await forgetCachedReads(db);
    await expect(cachedGet('c1', '/api/v1/me/tasks', { get, db })).rejects.toMatchObject({ status: 0 });
  });
});
