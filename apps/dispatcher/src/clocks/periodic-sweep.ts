import type { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { JobQueue, JobRequest } from '@wangge/jobs';

/**
 * A sweep of timers from the database: `sweep(true)` once at start (every pending timer put back
 * on its queue), then `sweep(false)` every `intervalMs` (those that should have fired already),
 * never two at once; at shutdown the interval stops and the sweep under way is awaited.
 */
export abstract class PeriodicSweep implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  protected abstract readonly logger: Logger;
  /** What is swept, for the log (e.g. `timers`, `stage timers`). */
  protected abstract readonly what: string;
  protected abstract readonly intervalMs: number;

  /** `all`: every pending timer (at start); otherwise only the ones that should have fired already. */
  abstract sweep(all: boolean): Promise<unknown>;

  onApplicationBootstrap(): void {
    this.run(true);
    this.timer = setInterval(() => {
      if (!this.running) this.run(false);
    }, this.intervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private run(all: boolean): void {
    this.running = this.sweep(all)
      .catch((e: unknown) => this.logger.warn(`${all ? 'rebuilding' : 'sweeping'} ${this.what}: ${String(e)}`))
      .finally(() => (this.running = null));
  }
}

/** A timer this late counts as lost (a periodic sweep sends it again). */
export const LOST_AFTER_MS = 10_000;
const PAGE = 1000;

/** One kind of timer kept in the database: its pending rows in key order, and the job of a row. */
export interface PendingTimers<Row, Key> {
  first: Key;
  pending(q: { all: boolean; dueBefore: Date; after: Key; limit: number }): Promise<Row[]>;
  keyOf(row: Row): Key;
  job(row: Row): { jobId: string; request: JobRequest };
}

/**
 * Puts the pending timers of one kind on their queue, a page at a time in key order: `all`, every
 * one (at start); otherwise those due more than LOST_AFTER_MS ago. Returns how many were sent.
 */
export async function resendTimers<Row, Key>(queue: JobQueue, timers: PendingTimers<Row, Key>, all: boolean, now: Date): Promise<number> {
  const dueBefore = new Date(now.getTime() - (all ? 0 : LOST_AFTER_MS));
  let sent = 0;
  for (let after = timers.first; ; ) {
    const rows = await timers.pending({ all, dueBefore, after, limit: PAGE });
    if (rows.length === 0) return sent;
    await queue.addAll(rows.map((r) => timers.job(r)), now.getTime());
    sent += rows.length;
    after = timers.keyOf(rows[rows.length - 1]);
  }
}
