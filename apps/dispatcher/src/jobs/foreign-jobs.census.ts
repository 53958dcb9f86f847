import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { ALL_QUEUES, queuePrefixOfMetaKey, REDIS_NAMESPACE, type RedisNamespace } from '@wangge/jobs';
import { REDIS } from '@wangge/operations';

/** Other databases' prefixes counted job by job; beyond these the census only counts the prefixes. */
const COUNTED_PREFIXES = 20;
/** A census that could not run (Redis away at start) is tried again this much later. */
const RETRY_MS = 5000;

export interface ForeignJobs {
  /** Key prefixes of the platform's queues that are not this database's (other databases, or before per-database keys). */
  prefixes: string[];
  /** Jobs under the first COUNTED_PREFIXES of them, in every state. */
  jobs: number;
}

/**
 * Says once, at start, what else the Redis holds under the platform's keys: queues of other
 * databases (another database over the same Redis, an older checkout, a database restored from a
 * copy) that this dispatcher ignores. Their jobs never run here: the queues of this database carry
 * its own prefix. A person reading the log sees where they are and what was left behind.
 */
@Injectable()
export class ForeignJobsCensus implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('jobs');
  /** The last census (null until it has run). */
  result: ForeignJobs | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(REDIS_NAMESPACE) private readonly keys: RedisNamespace,
  ) {}

  onApplicationBootstrap(): void {
    // Not awaited: Redis may be away at start, and the workers must not wait for a log line.
    this.running = this.untilTaken();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.running;
  }

  private wake: (() => void) | null = null;

  /** Takes the census, once Redis answers (tried again every RETRY_MS until then), and logs it. */
  private async untilTaken(): Promise<void> {
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        const found = await this.take();
        if (this.stopped) return;
        this.result = found;
        const where = `Redis db ${this.redis.options.db ?? 0}, key prefix ${this.keys.prefix} (database ${this.keys.databaseId})`;
        if (found.prefixes.length === 0) this.logger.log(`${where}; no other database's jobs found`);
        else {
          const shown = found.prefixes.slice(0, 3).join(', ') + (found.prefixes.length > 3 ? ', …' : '');
          this.logger.warn(
            `${where}; ignored ${found.jobs} jobs of ${found.prefixes.length} other databases or versions (${shown}): they never run here · 忽略其他数据库的任务`,
          );
        }
        return;
      } catch (err) {
        if (this.stopped) return;
        if (attempt === 0) this.logger.warn(`could not look for other databases' jobs yet (${err instanceof Error ? err.message : String(err)}); trying again`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, RETRY_MS);
          this.wake = () => (clearTimeout(timer), resolve());
        });
      }
    }
  }

  /** Scans the platform's queue keys (`wangge…:<queue>:meta`) and counts the jobs of other prefixes. */
  async take(): Promise<ForeignJobs> {
    // A connection of its own that waits for Redis to be ready (the process's shared one refuses
    // commands until then, and the census runs at start).
    const connection = this.redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: 1 });
    connection.on('error', () => undefined);
    try {
      const prefixes = new Set<string>();
      let cursor = '0';
      do {
        if (this.stopped) break;
        const [next, found] = await connection.scan(cursor, 'MATCH', 'wangge*:meta', 'COUNT', 1000);
        cursor = next;
        for (const key of found) {
          const prefix = queuePrefixOfMetaKey(key, ALL_QUEUES);
          if (prefix !== null && prefix !== this.keys.prefix) prefixes.add(prefix);
        }
      } while (cursor !== '0');
      const sorted = [...prefixes].sort();
      let jobs = 0;
      for (const prefix of sorted.slice(0, COUNTED_PREFIXES)) {
        for (const name of ALL_QUEUES) {
          if (this.stopped) break;
          const queue = new Queue(name, { connection, prefix });
          try {
            const counts = await queue.getJobCounts();
            jobs += Object.values(counts).reduce((a, b) => a + b, 0);
          } finally {
            await queue.close();
          }
        }
      }
      return { prefixes: sorted, jobs };
    } finally {
      connection.disconnect();
    }
  }
}
