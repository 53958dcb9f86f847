import type { RedisOptions } from 'bullmq';

/**
 * BullMQ connection options from a redis:// or rediss:// URL. Producers fail fast while Redis is
 * down (`enableOfflineQueue: false`), so a caller is never held waiting; workers wait for Redis to
 * return (`maxRetriesPerRequest: null`, as BullMQ requires for workers).
 *
 * Producers skip BullMQ's version check: it is an INFO sent once the connection is ready, and a
 * fail-fast connection that drops at that moment rejects the queue's start for good, so every
 * later add fails even after Redis is back (test/reliability/producer-start.e2e-spec.ts). The
 * workers, which wait for Redis, still check the version.
 */
export function redisOptions(url: string, role: 'producer' | 'worker'): RedisOptions {
  return {
    url,
    ...(role === 'producer'
      ? { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000, skipVersionCheck: true }
      : { maxRetriesPerRequest: null }),
    retryStrategy: (times: number) => Math.min(times * 200, 2000),
  };
}
