import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UploadQuota, uploadClient } from '@wangge/media';
import { REDIS_URL } from '../support/database';

const HOUR = 3_600_000;

/**
 * The upload quota on a real Redis, with explicit instants (no clock hour can pass mid-test): counted
 * per client and clock hour, refused past the limit with the bytes given back, a new hour starts from
 * zero, and an unreachable Redis lets uploads through.
 */
describe('UploadQuota (MEDIA_QUOTA_BYTES_PER_HOUR) on Redis', () => {
  let redis: Redis;
  // Keys of this run only (never flushed: the shared Redis keeps other tests' keys).
  const prefix = `wangge:{test-quota-${randomBytes(4).toString('hex')}}`;
  const at = new Date('2026-12-10T08:15:00Z');

  beforeAll(() => {
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('counts bytes per client and hour; past the limit it refuses (429, Retry-After to the hour) and gives the bytes back', async () => {
    const quota = new UploadQuota(redis, prefix, 1000);
    const alice = uploadClient(undefined, '203.0.113.7');
    await quota.take(alice, 600, at);
    await quota.take(alice, 400, at);
    const refused = await quota.take(alice, 1, at).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'upload_quota_exceeded', status: 429, retryAfterSeconds: 45 * 60, details: [{ field: 'file' }] });
    expect((refused as { details: { problem: string }[] }).details[0].problem).toContain('MEDIA_QUOTA_BYTES_PER_HOUR is 1000 bytes');
    expect(await redis.get(`${prefix}:media-quota:${Math.floor(at.getTime() / HOUR)}:${alice}`)).toBe('1000');

    // Another address, and a staff account, count apart.
    await quota.take(uploadClient(undefined, '203.0.113.8'), 1000, at);
    await quota.take(uploadClient({ id: 'u1' } as never, '203.0.113.7'), 1000, at);
    // The next clock hour starts from zero.
    await quota.take(alice, 1000, new Date(at.getTime() + HOUR));
  });

  it('with 0 bytes there is no quota; with Redis out of reach uploads go on', async () => {
    await new UploadQuota(redis, prefix, 0).take('address:x', 10 ** 12, at);
    const away = new Redis('redis://127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    away.on('error', () => undefined);
    await expect(new UploadQuota(away, prefix, 1).take('address:x', 100, at)).resolves.toBeUndefined();
    away.disconnect();
  });
});
