// Reports and case actions made without signal: kept on the phone and sent when the signal
// returns, in the order they were made, each exactly once (its photos first, then the call with
// the same Idempotency-Key and mediaIds on every attempt, so the API recognises a replay).
import { ApiError } from '../api';
import { offlineDb, type OfflineDb, type OutboxItem, type OutboxPhoto } from './offline-db';

/** How the outbox reaches the API (api.ts in the browser). */
export interface OutboxTransport {
  upload(photo: { bytes: ArrayBuffer; name: string; type: string }): Promise<string>;
  post(path: string, body: Record<string, unknown>, headers: Record<string, string>): Promise<unknown>;
}

export interface OutboxDraft {
  kind: OutboxItem['kind'];
  path: string;
  body: Record<string, unknown>;
  files?: readonly Blob[];
  label: string;
}

export interface OutboxCounts {
  pending: number;
  sent: number;
  failed: number;
}

/** What a submit came to: sent now (with the API's answer), or kept for later. A refusal throws. */
export type SubmitOutcome = { state: 'sent'; response: unknown } | { state: 'queued' };

/** Sent items kept for the user to see (已发送), newest first; older ones are forgotten. */
const KEEP_SENT = 20;

/** The API's answer that means "try again later": no signal, a server or gateway error, throttling, an expired session. */
export function retryLater(err: unknown): boolean {
  if (!(err instanceof ApiError)) return true;
  return err.status === 0 || err.status === 401 || err.status === 408 || err.status === 429 || err.status >= 500;
}

function fileName(blob: Blob, i: number): string {
  return (blob as File).name || `photo-${i + 1}`;
}

export class Outbox {
  private readonly listeners = new Set<() => void>();
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly transport: OutboxTransport,
    private readonly db: () => Promise<OfflineDb> = () => offlineDb(),
    private readonly now: () => number = Date.now,
  ) {}

  /** Called whenever an item is added, sent, refused or discarded. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }

  /** Keeps a report or an action, with its photos' bytes and a new Idempotency-Key. */
  async enqueue(userId: string, draft: OutboxDraft): Promise<OutboxItem> {
    const photos: OutboxPhoto[] = [];
    for (const [i, f] of (draft.files ?? []).entries()) photos.push({ bytes: await f.arrayBuffer(), name: fileName(f, i), type: f.type, mediaId: null });
    const item: OutboxItem = {
      userId,
      key: crypto.randomUUID(),
      kind: draft.kind,
      path: draft.path,
      body: draft.body,
      photos,
      label: draft.label,
      state: 'pending',
      attempts: 0,
      createdAt: this.now(),
      sentAt: null,
      error: null,
      response: null,
    };
    item.id = await (await this.db()).add('outbox', item);
    this.changed();
    return item;
  }

  /** The user's items, oldest first. */
  async list(userId: string): Promise<OutboxItem[]> {
    const items = await (await this.db()).getAllFromIndex('outbox', 'byUser', userId);
    return items.sort((a, b) => a.id! - b.id!);
  }

  async counts(userId: string): Promise<OutboxCounts> {
    const counts: OutboxCounts = { pending: 0, sent: 0, failed: 0 };
    for (const item of await this.list(userId)) counts[item.state]++;
    return counts;
  }

  async get(id: number): Promise<OutboxItem | undefined> {
    return (await this.db()).get('outbox', id);
  }

  /** Drops an item the user gave up on (a refused one). */
  async discard(id: number): Promise<void> {
    await (await this.db()).delete('outbox', id);
    this.changed();
  }

  /**
   * Sends the user's pending items in order, one at a time, until one must wait for the signal.
   * One flush at a time per user across the phone's tabs (Web Locks), and within this page.
   */
  flush(userId: string): Promise<void> {
    const run = () => this.withLock(`wangge-outbox:${userId}`, () => this.sendAll(userId));
    const next = this.chain.then(run, run);
    this.chain = next.catch(() => undefined);
    return next;
  }

  /**
   * Keeps the draft and sends it now if the signal allows: `sent` with the API's answer, or
   * `queued` when it waits (待发送). A refusal (a 4xx that no retry changes) throws the ApiError and
   * forgets the draft: the user is looking at the form and corrects it there.
   */
  async submit(userId: string, draft: OutboxDraft): Promise<SubmitOutcome> {
    const item = await this.enqueue(userId, draft);
    await this.flush(userId);
    const after = await this.get(item.id!);
    if (after?.state === 'sent') return { state: 'sent', response: after.response };
    if (after?.state === 'failed') {
      await this.discard(item.id!);
      const e = after.error!;
      throw new ApiError(e.status, e.code, e.message, e.details);
    }
    return { state: 'queued' };
  }

  private async sendAll(userId: string): Promise<void> {
    for (;;) {
      const next = (await this.list(userId)).find((i) => i.state === 'pending');
      if (!next) return;
      if (!(await this.sendOne(next))) return;
    }
  }

  /** Sends one item: its photos not yet uploaded, then the call. false: wait for the signal. */
  private async sendOne(item: OutboxItem): Promise<boolean> {
    const db = await this.db();
    item.attempts++;
    await db.put('outbox', item);
    try {
      for (const photo of item.photos) {
        if (photo.mediaId) continue;
        photo.mediaId = await this.transport.upload(photo);
        // Kept at once: a reload after this upload does not upload the photo again.
        await db.put('outbox', item);
      }
      const mediaIds = item.photos.map((p) => p.mediaId!);
      const body = mediaIds.length ? { ...item.body, mediaIds } : item.body;
      item.response = await this.transport.post(item.path, body, { 'Idempotency-Key': item.key });
      item.state = 'sent';
      item.sentAt = this.now();
      item.error = null;
      // The photos' bytes are not needed any more.
      item.photos = item.photos.map((p) => ({ ...p, bytes: new ArrayBuffer(0) }));
      await db.put('outbox', item);
      await this.forgetOldSent(item.userId);
      this.changed();
      return true;
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError(0, 'network', String((err as Error)?.message ?? err));
      item.error = { status: e.status, code: e.code, message: e.message, details: e.details };
      if (!retryLater(err)) item.state = 'failed';
      await db.put('outbox', item);
      this.changed();
      // A refused item does not hold back the ones after it.
      return item.state === 'failed';
    }
  }

  private async forgetOldSent(userId: string): Promise<void> {
    const sent = (await this.list(userId)).filter((i) => i.state === 'sent').sort((a, b) => b.sentAt! - a.sentAt! || b.id! - a.id!);
    const db = await this.db();
    for (const old of sent.slice(KEEP_SENT)) await db.delete('outbox', old.id!);
  }

  private async withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const locks = (globalThis.navigator as Navigator | undefined)?.locks;
    return locks ? locks.request(name, fn) : fn();
  }
}
