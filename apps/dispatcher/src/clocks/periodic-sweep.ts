import type { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';

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
