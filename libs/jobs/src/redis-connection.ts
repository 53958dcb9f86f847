import type { RedisOptions } from 'bullmq';

/**
 * BullMQ connection options from a redis:// or rediss:// URL. Producers fail fast while Redis is
 * down (`enableOfflineQueue: false`), so a caller is never held waiting; workers wait for Redis to
 * return (`maxRetriesPerRequest: null`, as BullMQ requires for workers).
 */
export function redisOptions(url: string, role: 'producer' | 'worker'): RedisOptions {
  return {
    url,
    ...(role === 'producer'
      ? { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000 }
      : { maxRetriesPerRequest: null }),
    retryStrategy: (times: number) => Math.min(times * 200, 2000),
  };
}
