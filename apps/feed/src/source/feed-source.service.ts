import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import { isFeedStreamNoticeName, type CaseEventMessage, type FeedStreamNotice } from '@wangge/events';
import { REDIS_NAMESPACE, type RedisNamespace } from '@wangge/jobs';
import { OutageLog, REDIS } from '@wangge/operations';
import { CaseEventReader } from '@wangge/workflow';
import { EventSequencer, type SeqGap } from './event-sequencer';

/** What the node does with each event once it is in order (the hub delivers, the stats take note). */
export interface FeedListener {
  onCaseEvent(message: CaseEventMessage): void;
  onNotice?(notice: FeedStreamNotice): void;
}

const PAGE = 1000;

/**
 * This node's ordered copy of the case-event stream. Every feed node reads the Redis stream
 * of its database (`wangge:{<database id>}:feed`) itself (no consumer group: each node needs every event), so a client on any node
 * receives what it should wherever the event was produced. The {@link EventSequencer} puts events
 * back into seq order; gaps, and anything the stream lost (Redis restarted, or down: the feed then
 * runs on PostgreSQL alone), are filled from `case_event`, checked every FEED_CATCHUP_MS. Keeps the
 * newest FEED_REPLAY_MEMORY events in memory for `resume`.
 */
@Injectable()
export class FeedSource implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('feed-source');
  /** PostgreSQL out of reach: logged when it goes and when it is back, not at every catch-up. */
  private readonly database = new OutageLog(this.logger, 'PostgreSQL (feed source)');
  private sequencer = new EventSequencer(0);
  private readonly listeners: FeedListener[] = [];
  private reader$: Redis | null = null;
  private stopped = false;
  private work: Promise<void> = Promise.resolve();
  private catchupTimer: NodeJS.Timeout | null = null;
  private catchingUp = false;
  private streamId = '0';
  private streamDownSince: number | null = null;
  /** The newest events passed on, oldest first; holds every event with seq > memoryFloor. */
  private memory: CaseEventMessage[] = [];
  private memoryFloor = 0;
  private waiters: { seq: number; resolve: () => void }[] = [];
  readonly counters = { events: 0, notices: 0, filledFromDatabase: 0, streamErrors: 0 };

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(CaseEventReader) private readonly events: CaseEventReader,
    @Inject(REDIS_NAMESPACE) private readonly keys: RedisNamespace,
  ) {}

  listen(listener: FeedListener): void {
    this.listeners.push(listener);
  }

  /** The newest seq this node has passed on: it has delivered every event up to it. */
  get lastSeq(): number {
    return this.sequencer.lastSeq;
  }

  async onApplicationBootstrap(): Promise<void> {
    // Stream position first, then the database: every event newer than the database's newest is
    // appended to the stream after this position.
    this.streamId = await this.streamTail();
    const last = await this.events.latestSeq();
    this.sequencer = new EventSequencer(last);
    this.memoryFloor = last;
    this.reader$ = this.redis.duplicate({ maxRetriesPerRequest: null, enableOfflineQueue: true });
    this.reader$.on('error', () => undefined);
    void this.readStream();
    this.catchupTimer = setInterval(() => this.catchUp(), this.config.feed.catchupMs);
    this.catchupTimer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.catchupTimer) clearInterval(this.catchupTimer);
    this.reader$?.disconnect();
    for (const w of this.waiters) w.resolve();
    this.waiters = [];
    await this.work.catch(() => undefined);
  }

  /**
   * The events with seq in (after, upTo] from memory, oldest first, or null when memory no longer
   * reaches back to `after` (read them from PostgreSQL).
   */
  recent(after: number, upTo: number): CaseEventMessage[] | null {
    if (after < this.memoryFloor) return null;
    let lo = 0;
    let hi = this.memory.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.memory[mid].seq <= after) lo = mid + 1;
      else hi = mid;
    }
    const out: CaseEventMessage[] = [];
    for (let i = lo; i < this.memory.length && this.memory[i].seq <= upTo; i++) out.push(this.memory[i]);
    return out;
  }

  /** Resolves once this node has passed on `seq` (or after `timeoutMs`). */
  reached(seq: number, timeoutMs: number): Promise<void> {
    if (this.lastSeq >= seq || this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter = { seq, resolve };
      this.waiters.push(waiter);
      setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve();
      }, timeoutMs).unref();
    });
  }

  private async streamTail(): Promise<string> {
    try {
      const [last] = (await this.redis.xrevrange(this.keys.feedStream, '+', '-', 'COUNT', 1)) as [string, string[]][];
      return last?.[0] ?? '0';
    } catch {
      return '$';
    }
  }

  private async readStream(): Promise<void> {
    while (!this.stopped && this.reader$) {
      try {
        const answer = (await this.reader$.xread('COUNT', PAGE, 'BLOCK', 5000, 'STREAMS', this.keys.feedStream, this.streamId)) as
          | [string, [string, string[]][]][]
          | null;
        if (this.streamDownSince !== null) {
          this.logger.log(`feed stream readable again after ${Date.now() - this.streamDownSince} ms`);
          this.streamDownSince = null;
        }
        const entries = answer?.[0]?.[1] ?? [];
        if (entries.length === 0) continue;
        this.streamId = entries[entries.length - 1][0];
        const events: CaseEventMessage[] = [];
        const notices: FeedStreamNotice[] = [];
        for (const [, fields] of entries) parseEntry(fields, events, notices);
        this.enqueue(() => this.take(events, notices));
        if (this.config.feed.batchMs > 0) await new Promise((r) => setTimeout(r, this.config.feed.batchMs));
      } catch (err) {
        if (this.stopped) return;
        this.counters.streamErrors++;
        if (this.streamDownSince === null) {
          this.streamDownSince = Date.now();
          this.logger.warn(`feed stream unreadable (${String(err)}); following PostgreSQL until it returns`);
        }
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  private enqueue(task: () => Promise<void>): void {
    this.work = this.work.then(task).catch((err) => {
      if (!this.database.failed(err)) this.logger.error(`feed source: ${String(err)}`);
    });
  }

  private async take(events: CaseEventMessage[], notices: FeedStreamNotice[]): Promise<void> {
    for (const notice of notices) {
      this.counters.notices++;
      for (const l of this.listeners) l.onNotice?.(notice);
    }
    let { ready, gap } = this.sequencer.offer(events);
    this.pass(ready);
    while (gap) ({ gap } = await this.fill(gap));
  }

  private async fill(gap: SeqGap): Promise<{ gap: SeqGap | null }> {
    const rows = await this.range(gap.after, gap.upTo, Number.MAX_SAFE_INTEGER);
    this.counters.filledFromDatabase += rows.length;
    const settled = this.sequencer.settle(rows, gap.upTo);
    this.pass(settled.ready);
    return { gap: settled.gap };
  }

  private async range(...args: Parameters<CaseEventReader['range']>): ReturnType<CaseEventReader['range']> {
    const rows = await this.events.range(...args);
    this.database.succeeded();
    return rows;
  }

  /** Picks up committed events the stream has not brought (yet, or ever). */
  private catchUp(): void {
    if (this.catchingUp || this.stopped) return;
    this.catchingUp = true;
    this.enqueue(async () => {
      try {
        for (;;) {
          const rows = await this.range(this.lastSeq, Number.MAX_SAFE_INTEGER, PAGE);
          if (rows.length === 0) return;
          this.counters.filledFromDatabase += rows.length;
          this.pass(this.sequencer.settle(rows, rows[rows.length - 1].seq).ready);
          if (rows.length < PAGE) return;
        }
      } finally {
        this.catchingUp = false;
      }
    });
  }

  private pass(messages: CaseEventMessage[]): void {
    for (const message of messages) {
      this.memory.push(message);
      this.counters.events++;
      for (const l of this.listeners) l.onCaseEvent(message);
    }
    const excess = this.memory.length - this.config.feed.replayMemory;
    if (excess > 0) {
      this.memoryFloor = this.memory[excess - 1].seq;
      this.memory.splice(0, excess);
    }
    if (this.waiters.length > 0) {
      const due = this.waiters.filter((w) => w.seq <= this.lastSeq);
      this.waiters = this.waiters.filter((w) => w.seq > this.lastSeq);
      for (const w of due) w.resolve();
    }
  }
}

function parseEntry(fields: string[], events: CaseEventMessage[], notices: FeedStreamNotice[]): void {
  const get = (name: string) => {
    for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
    return undefined;
  };
  const body = get('message');
  if (body === undefined) return;
  try {
    const notice = get('notice');
    if (notice !== undefined) {
      if (isFeedStreamNoticeName(notice)) notices.push(JSON.parse(body) as FeedStreamNotice);
    } else {
      const message = JSON.parse(body) as CaseEventMessage;
      if (Number.isSafeInteger(message.seq) && message.seq > 0) events.push(inContractOrder(message));
    }
  } catch {
    // Not ours or damaged: the catch-up from PostgreSQL brings the event anyway.
  }
}

/**
 * The message with its fields in the contract's order (the outbox stores it as jsonb, which sorts
 * keys), so a live event and the same event replayed from PostgreSQL look alike on the wire.
 */
function inContractOrder(m: CaseEventMessage): CaseEventMessage {
  return {
    seq: m.seq,
    caseId: m.caseId,
    code: m.code,
    type: m.type,
    status: m.status,
    at: m.at,
    actor: m.actor,
    assignee: m.assignee,
    department: m.department ?? null,
    coordinator: m.coordinator ?? null,
    formerDepartment: m.formerDepartment ?? null,
    escalationLevel: m.escalationLevel,
    escalatedTo: m.escalatedTo ?? [],
    formerChiefs: m.formerChiefs ?? [],
    reporterId: m.reporterId ?? null,
    deadlineAt: m.deadlineAt,
    overdue: m.overdue,
    light: m.light ?? null,
    limitUsed: m.limitUsed ?? null,
    location: m.location,
    gridCode: m.gridCode,
    streetCode: m.streetCode,
    categoryCode: m.categoryCode,
  };
}
