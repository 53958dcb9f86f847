import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import type { CaseEventMessage } from '@wangge/events';
import { FEED_STREAM_MAXLEN, isJobName, JobQueue, REDIS_NAMESPACE, type JobRequest, type RedisNamespace } from '@wangge/jobs';
import { OutageLog, REDIS } from '@wangge/operations';

/** Options of the relay in one process. */
export interface OutboxRelayOptions {
  /** Run the relay loop in this process (several may: rows are claimed with SKIP LOCKED). */
  enabled: boolean;
  batchSize?: number;
  /** How long a claim holds before another relay may take the row again. */
  leaseSeconds?: number;
}
export const OUTBOX_RELAY_OPTIONS = Symbol('OUTBOX_RELAY_OPTIONS');

interface OutboxRow {
  id: string;
  topic: 'job' | 'feed';
  name: string;
  payload: unknown;
  deliver_after: Date | null;
}

export interface DrainResult {
  claimed: number;
  delivered: number;
  failed: number;
}

/** What this process's relay has done since it started (for /metrics). */
export interface RelayCounters {
  /** Rows delivered (to their queue or the feed stream) and deleted. */
  delivered: number;
  /** Row deliveries that failed (Redis away…); each row counts once per failed attempt. */
  failed: number;
}

/**
 * Moves committed outbox rows to where they go: jobs to their BullMQ queue (job id = `outbox-<id>`,
 * so a row sent twice is one job; the queues' prefix is the database's own, so ids of another
 * database's rows never meet these), live-feed messages to the Redis stream the feed reads. Rows are
 * claimed with `FOR UPDATE SKIP LOCKED` and a lease, in short transactions, so several relays share
 * the work and a relay that dies mid-batch leaves its rows to the others when the lease ends. While
 * Redis is down rows stay in PostgreSQL and are sent when it returns. Woken by the writers in this
 * process, by hints on a Redis channel from other processes, and by a poll.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('outbox');
  /** PostgreSQL out of reach: logged when it goes and when it is back, not at every poll. */
  private readonly database = new OutageLog(this.logger, 'PostgreSQL (outbox relay)');
  private running = false;
  private stopped = false;
  private draining: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private subscriber: Redis | null = null;
  private readonly batchSize: number;
  private readonly leaseSeconds: number;
  readonly counters: RelayCounters = { delivered: 0, failed: 0 };

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(JobQueue) private readonly jobs: JobQueue,
    @Inject(OUTBOX_RELAY_OPTIONS) private readonly options: OutboxRelayOptions,
    @Inject(REDIS_NAMESPACE) private readonly keys: RedisNamespace,
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.leaseSeconds = options.leaseSeconds ?? 30;
  }

  onApplicationBootstrap(): void {
    if (!this.options.enabled) return;
    this.running = true;
    this.subscriber = this.redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null, lazyConnect: false });
    this.subscriber.on('error', () => undefined);
    this.subscriber.subscribe(this.keys.outboxHints).catch(() => undefined);
    this.subscriber.on('message', () => this.kick());
    this.kick();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    await this.draining?.catch(() => undefined);
    this.subscriber?.disconnect();
  }

  /**
   * Called after a commit that wrote outbox rows: drain here, or, in a process without a relay of
   * its own, hint the processes that have one. (A hint where the rows are drained here anyway
   * would only make every other relay claim nothing: one more statement per write in each.)
   */
  wake(): void {
    if (this.running) this.kick();
    else if (this.redis.status === 'ready') this.redis.publish(this.keys.outboxHints, '1').catch(() => undefined);
  }

  /** Drains until the outbox is empty or delivery fails; then waits for a hint or the poll. */
  private kick(): void {
    if (this.stopped) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.draining = (async () => {
      try {
        do {
          this.again = false;
          for (;;) {
            const r = await this.drainOnce();
            this.database.succeeded();
            if (r.failed > 0 || r.claimed < this.batchSize) break;
          }
        } while (this.again && !this.stopped);
      } catch (err) {
        if (!this.database.failed(err)) this.logger.warn(`outbox relay: ${err instanceof Error ? err.message : String(err)}`);
      } finally {
        this.draining = null;
        if (!this.stopped) this.timer = setTimeout(() => this.kick(), this.config.outboxPollMs);
      }
    })();
  }

  /** Claims one batch, delivers it, deletes what was delivered. Public for tests and tools. */
  async drainOnce(): Promise<DrainResult> {
    const rows: OutboxRow[] = await this.db.query(
      `UPDATE outbox o SET claimed_until = now() + make_interval(secs => $2), attempts = o.attempts + 1
        WHERE o.id IN (SELECT id FROM outbox WHERE claimed_until IS NULL OR claimed_until < now()
                        ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING o.id, o.topic, o.name, o.payload, o.deliver_after`,
      [this.batchSize, this.leaseSeconds],
    );
    const claimed = (Array.isArray(rows[0]) ? (rows[0] as OutboxRow[]) : rows).sort((a, b) => Number(a.id) - Number(b.id));
    if (claimed.length === 0) return { claimed: 0, delivered: 0, failed: 0 };
    try {
      await this.deliver(claimed);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      // Leave the rows for the next attempt (after a short pause rather than the whole lease).
      await this.db.query(`UPDATE outbox SET claimed_until = now() + interval '1 second', last_error = $2 WHERE id = ANY($1::bigint[])`, [
        claimed.map((r) => r.id),
        message.slice(0, 500),
      ]);
      this.counters.failed += claimed.length;
      return { claimed: claimed.length, delivered: 0, failed: claimed.length };
    }
    await this.db.query(`DELETE FROM outbox WHERE id = ANY($1::bigint[])`, [claimed.map((r) => r.id)]);
    this.counters.delivered += claimed.length;
    return { claimed: claimed.length, delivered: claimed.length, failed: 0 };
  }

  private async deliver(rows: OutboxRow[]): Promise<void> {
    if (this.redis.status !== 'ready') throw new Error(`redis is ${this.redis.status}`);
    const jobs: { jobId: string; request: JobRequest }[] = [];
    const feed: OutboxRow[] = [];
    for (const row of rows) {
      if (row.topic === 'feed') feed.push(row);
      else if (isJobName(row.name)) {
        jobs.push({
          jobId: `outbox-${row.id}`,
          request: { name: row.name, data: row.payload, deliverAfter: row.deliver_after ?? undefined } as JobRequest,
        });
      } else {
        this.logger.error(`outbox row ${row.id} names no known job (${row.name}); dropped`);
      }
    }
    if (feed.length > 0) {
      const pipeline = this.redis.pipeline();
      for (const row of feed) {
        if (row.name === 'case.event') {
          const message = row.payload as CaseEventMessage;
          pipeline.xadd(this.keys.feedStream, 'MAXLEN', '~', FEED_STREAM_MAXLEN, '*', 'seq', String(message.seq), 'message', JSON.stringify(message));
        } else {
          // A notice (e.g. bulletin.published): no seq, every feed node passes it to staff clients.
          pipeline.xadd(this.keys.feedStream, 'MAXLEN', '~', FEED_STREAM_MAXLEN, '*', 'notice', row.name, 'message', JSON.stringify(row.payload));
        }
      }
      const results = await pipeline.exec();
      const failed = results?.find(([e]) => e !== null);
      if (!results || failed) throw failed?.[0] ?? new Error('feed stream write failed');
    }
    if (jobs.length > 0) await this.jobs.addAll(jobs);
  }
}
