/**
 * Every key and channel the platform keeps in Redis, for one database. They all carry the database's
 * identity (libs/database `readDatabaseIdentity`), so two databases over one Redis (a new database
 * after a reset, a restored copy, a second checkout) never take each other's jobs, events or hints.
 */
export interface RedisNamespace {
  /** The identity of the database these keys belong to (a UUID). */
  databaseId: string;
  /**
   * The BullMQ prefix and the start of every other key: `wangge:{<12 hex digits of the id>}`. The
   * braces are a Redis Cluster hash tag: all of one database's keys share a slot.
   */
  prefix: string;
  /** The stream the outbox relay appends case events and notices to; every feed node reads it. */
  feedStream: string;
  /** Pub/sub channel carrying "the outbox has rows" hints between processes. */
  outboxHints: string;
}

export const REDIS_NAMESPACE = Symbol('REDIS_NAMESPACE');

/** Approximate length the feed stream is trimmed to (older events are replayed from PostgreSQL). */
export const FEED_STREAM_MAXLEN = 100_000;

/** The keys of the database with the given identity. */
export function redisNamespace(databaseId: string): RedisNamespace {
  const prefix = `wangge:{${databaseId.replace(/-/g, '').slice(0, 12).toLowerCase()}}`;
  return { databaseId, prefix, feedStream: `${prefix}:feed`, outboxHints: `${prefix}:outbox` };
}

/**
 * The BullMQ prefix of the queue whose meta key this is (`<prefix>:<queue>:meta`), for keys of the
 * platform (`wangge…`) only; null for any other key.
 */
export function queuePrefixOfMetaKey(key: string, queues: readonly string[]): string | null {
  if (!key.startsWith('wangge')) return null;
  for (const queue of queues) {
    const suffix = `:${queue}:meta`;
    if (key.endsWith(suffix)) return key.slice(0, -suffix.length);
  }
  return null;
}
