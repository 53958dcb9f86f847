import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@wangge/clock';
import { JobQueue, QueueName } from '@wangge/jobs';
import { DecodeLimiter } from '@wangge/media';
import { ORPHAN_MEDIA_PURGE_EVERY_MS, ORPHAN_MEDIA_SCHEDULER, OrphanMediaSchedule } from '../../apps/dispatcher/src/media/orphan-media-schedule';
import { report, startWorld } from '../cases/helpers/workflow';
import { startDispatcher } from '../support/apps';
import { startRedisServer, type RedisServer } from '../support/redis-server';

const HOUR = 3_600_000;

interface Uploaded {
  id: string;
  bytes: number;
}
interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: { field: string; problem: string }[];
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

async function until<T>(what: string, probe: () => Promise<T | undefined | false | null>, tries = 300): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await probe();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** A photo of its own (each upload is stored under a new id; the bytes need not differ). */
const photo = (width = 320, height = 240) =>
  sharp({ create: { width, height, channels: 3, background: { r: 30, g: 140, b: 200 } } })
    .png()
    .toBuffer();

async function startMediaWorld(label: string, env: Record<string, string> = {}) {
  const mediaDir = await mkdtemp(join(tmpdir(), `wangge-${label}-`));
  const w = await startWorld(label, { MEDIA_DIR: mediaDir, ...env });
  const upload = async (bytes: Buffer, auth?: string) => {
    const form = new FormData();
    form.append('file', new Blob([bytes], { type: 'image/png' }), 'photo.png');
    const res = await fetch(`${w.app.baseUrl}/api/v1/media`, { method: 'POST', body: form, headers: auth ? { authorization: auth } : {} });
    return { res, body: (await res.json()) as Uploaded & ErrorBody };
  };
  const state = async () => ({ rows: (await w.db.query<{ n: number }>('SELECT count(*)::int AS n FROM media')).rows[0].n, files: await filesUnder(mediaDir) });
  return {
    w,
    mediaDir,
    upload,
    state,
    async close() {
      await w.close();
      await rm(mediaDir, { recursive: true, force: true });
    },
  };
}

describe('orphan uploads are purged by the dispatcher’s scheduled job (MEDIA_ORPHAN_HOURS)', () => {
  let redis: RedisServer;
  let m: Awaited<ReturnType<typeof startMediaWorld>>;
  let dispatcher: { app: INestApplication; close(): Promise<void> };
  const clock = new ManualClock('2026-12-10T04:00:00Z');

  beforeAll(async () => {
    redis = await startRedisServer();
    m = await startMediaWorld('media-orphans', { REDIS_URL: redis.url, MEDIA_ORPHAN_HOURS: '24', OUTBOX_POLL_MS: '100', SWEEP_INTERVAL_MS: '3600000' });
  });
  afterAll(async () => {
    await dispatcher?.close();
    await m?.close();
    await redis?.close();
  });

  it('deletes the row and the file of an old upload no case holds; keeps an attached one and a young one', async () => {
    const bytes = await photo();
    const [attached, orphan, young] = await Promise.all([m.upload(bytes), m.upload(bytes), m.upload(bytes)]);
    for (const u of [attached, orphan, young]) expect(u.res.status, JSON.stringify(u.body)).toBe(201);
    await report(m.w, { mediaIds: [attached.body.id] });
    const keyOf = async (id: string) => (await m.w.db.query<{ storage_key: string }>('SELECT storage_key FROM media WHERE id = $1', [id])).rows[0]?.storage_key;
    const keys = { attached: await keyOf(attached.body.id), orphan: await keyOf(orphan.body.id), young: await keyOf(young.body.id) };
    expect(await filesUnder(m.mediaDir)).toEqual(Object.values(keys).sort());

    // By the dispatcher's clock: two uploads 25 hours old (one held by a case), one 23 hours old.
    const made = (id: string, hoursAgo: number) => m.w.db.query('UPDATE media SET created_at = $2 WHERE id = $1', [id, new Date(clock.now().getTime() - hoursAgo * HOUR)]);
    await made(attached.body.id, 25);
    await made(orphan.body.id, 25);
    await made(young.body.id, 23);

    dispatcher = await startDispatcher(m.w.app.databaseUrl, { REDIS_URL: redis.url, MEDIA_ORPHAN_HOURS: '24', MEDIA_DIR: m.mediaDir }, { clock });
    await dispatcher.app.get(OrphanMediaSchedule).ready;
    const queue = dispatcher.app.get(JobQueue, { strict: false }).queue(QueueName.Maintenance);
    expect(await queue.getJobScheduler(ORPHAN_MEDIA_SCHEDULER)).toMatchObject({ every: ORPHAN_MEDIA_PURGE_EVERY_MS });

    // The scheduler's first run is delivered at once (every: the first job is due now).
    const runs = async () => (await queue.getCompleted()).filter((j) => j.name === 'purge-orphan-media');
    const first = await until('the first purge', async () => (await runs()).at(0));
    expect(first.returnvalue).toEqual({ purged: 1, filesLeft: 0 });

    const ids = (await m.w.db.query<{ id: string }>('SELECT id FROM media ORDER BY created_at')).rows.map((r) => r.id);
    expect(ids).toEqual([attached.body.id, young.body.id]);
    expect(await filesUnder(m.mediaDir)).toEqual([keys.attached, keys.young].sort());
    expect((await fetch(`${m.w.app.baseUrl}/api/v1/media/${orphan.body.id}`)).status).toBe(404);
    expect((await fetch(`${m.w.app.baseUrl}/api/v1/media/${attached.body.id}`)).status).toBe(200);

    // Two hours on, the young one is old too: the next run takes it; the attached one stays.
    clock.advance(2 * HOUR);
    const next = await until('the next scheduled purge job', async () => (await queue.getDelayed()).find((j) => j.id?.startsWith(`repeat:${ORPHAN_MEDIA_SCHEDULER}:`)));
    await next.promote();
    await until('the second purge', async () => (await queue.getJobState(next.id!)) === 'completed');
    expect((await queue.getJob(next.id!))?.returnvalue).toEqual({ purged: 1, filesLeft: 0 });
    expect((await m.w.db.query<{ id: string }>('SELECT id FROM media')).rows.map((r) => r.id)).toEqual([attached.body.id]);
    expect(await filesUnder(m.mediaDir)).toEqual([keys.attached]);
  });
});

describe('the hourly upload quota (MEDIA_QUOTA_BYTES_PER_HOUR): per account for staff, per address for anonymous clients', () => {
  let m: Awaited<ReturnType<typeof startMediaWorld>>;
  let bytes: Buffer;

  beforeAll(async () => {
    bytes = await photo();
    // Room for three photos an hour, not four.
    m = await startMediaWorld('media-quota', { MEDIA_QUOTA_BYTES_PER_HOUR: String(bytes.length * 3 + bytes.length / 2) });
  });
  afterAll(async () => m?.close());

  /** Expects a 429 naming the limit, with Retry-After, and nothing stored. */
  async function expectOverQuota(auth?: string): Promise<void> {
    const before = await m.state();
    const { res, body } = await m.upload(bytes, auth);
    expect(res.status, JSON.stringify(body)).toBe(429);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(body).toMatchObject({ statusCode: 429, error: 'upload_quota_exceeded', details: [{ field: 'file' }] });
    expect(body.message).toMatch(/ \/ \S/);
    expect(body.details?.[0].problem).toContain(`MEDIA_QUOTA_BYTES_PER_HOUR is ${bytes.length * 3 + bytes.length / 2} bytes`);
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    expect(await m.state()).toEqual(before);
  }

  it('an anonymous address gets three photos, then 429 and nothing stored; a warden still has its own quota, then 429 too', async () => {
    for (let i = 0; i < 3; i++) expect((await m.upload(bytes)).res.status).toBe(201);
    await expectOverQuota();
    await expectOverQuota(); // a refused upload does not use the quota up further, nor store anything

    const warden = m.w.auth.warden1;
    for (let i = 0; i < 3; i++) expect((await m.upload(bytes, warden)).res.status).toBe(201);
    await expectOverQuota(warden);
    // Another account is counted apart.
    expect((await m.upload(bytes, m.w.auth.warden2)).res.status).toBe(201);
    expect((await m.state()).rows).toBe(7);
  });
});

describe('the decode limit (MEDIA_DECODE_CONCURRENCY, MEDIA_DECODE_QUEUE)', () => {
  let m: Awaited<ReturnType<typeof startMediaWorld>>;
  let limiter: DecodeLimiter;

  beforeAll(async () => {
    m = await startMediaWorld('media-decode', { MEDIA_DECODE_CONCURRENCY: '2', MEDIA_DECODE_QUEUE: '6' });
    limiter = m.w.app.app.get(DecodeLimiter, { strict: false });
  });
  afterAll(async () => m?.close());

  /** Takes `n` turns of the decoders from the test: each held (once it runs) until release is called. */
  function hold(n: number): { release(): void; done: Promise<unknown> } {
    let released = false;
    const releases: (() => void)[] = [];
    const done = Promise.all(Array.from({ length: n }, () => limiter.run(() => new Promise<void>((r) => (released ? r() : releases.push(r))))));
    return {
      release: () => {
        released = true;
        releases.forEach((r) => r());
      },
      done,
    };
  }

  it('decodes at most two photos at once: uploads wait in the queue, never a third decode', async () => {
    expect([limiter.concurrency, limiter.queueLimit]).toEqual([2, 6]);
    const bytes = await photo(1200, 900);
    // Six uploads at once, with nothing held: the counter of decodes at once never passes 2.
    const free = await Promise.all(Array.from({ length: 6 }, () => m.upload(bytes)));
    expect(free.map((u) => u.res.status)).toEqual(Array(6).fill(201));
    expect(limiter.peakActive).toBeLessThanOrEqual(2);

    // Both decoders held: five uploads wait (counted by the limiter), nothing is stored meanwhile.
    const held = hold(2);
    const before = await m.state();
    const waiting = Array.from({ length: 5 }, () => m.upload(bytes));
    await until('five uploads waiting for a decoder', async () => limiter.load.waiting === 5);
    expect(limiter.load).toEqual({ active: 2, waiting: 5 });
    expect(await m.state()).toEqual(before);
    held.release();
    await held.done;
    expect((await Promise.all(waiting)).map((u) => u.res.status)).toEqual(Array(5).fill(201));
    expect(limiter.peakActive).toBe(2);
    expect(limiter.load).toEqual({ active: 0, waiting: 0 });
  });

  it('past the queue an upload answers 503 with Retry-After, naming the limit, and stores nothing', async () => {
    const bytes = await photo();
    const held = hold(2 + 6); // two decoding, six waiting: the queue is full
    await until('the queue full', async () => limiter.load.waiting === 6);
    const before = await m.state();
    const { res, body } = await m.upload(bytes);
    expect(res.status, JSON.stringify(body)).toBe(503);
    expect(res.headers.get('retry-after')).toBe('2');
    expect(body).toMatchObject({ statusCode: 503, error: 'decoder_busy', details: [{ field: 'file' }] });
    expect(body.details?.[0].problem).toMatch(/MEDIA_DECODE_CONCURRENCY 2, MEDIA_DECODE_QUEUE 6/);
    expect(body.message).toMatch(/ \/ \S/);
    expect(await m.state()).toEqual(before);
    // Once the decoders are free, the same upload goes through.
    held.release();
    await held.done;
    expect((await m.upload(bytes)).res.status).toBe(201);
  });
});
