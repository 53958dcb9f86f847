import { isDatabaseUnavailable } from '../errors/database-unavailable';

/** The part of Nest's logger an outage log writes to. */
export interface OutageLogger {
  log(message: string): void;
  warn(message: string): void;
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * Logs a dependency that cannot be reached once when the outage begins and once when it ends,
 * instead of on every attempt of a loop that retries each second (a poll, a catch-up, every
 * request answered 503). Failures that are not an outage (`isOutage` false: a query that failed,
 * a bug) are the caller's to log, each time.
 */
export class OutageLog {
  private since: number | null = null;
  private failures = 0;

  constructor(
    private readonly logger: OutageLogger,
    /** What cannot be reached, as the log line names it ("PostgreSQL (outbox relay)"). */
    private readonly what: string,
    private readonly isOutage: (err: unknown) => boolean = isDatabaseUnavailable,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether an outage is going on (the last attempt failed with an outage error). */
  get down(): boolean {
    return this.since !== null;
  }

  /** An attempt failed: true when it is (part of) an outage, logged here; false for any other error. */
  failed(err: unknown): boolean {
    if (!this.isOutage(err)) return false;
    this.failures++;
    if (this.since === null) {
      this.since = this.now();
      this.logger.warn(`${this.what} unreachable (${messageOf(err)}); retrying, logged again when it is back`);
    }
    return true;
  }

  /** An attempt succeeded: ends an outage, if there was one. */
  succeeded(): void {
    if (this.since === null) return;
    this.logger.log(`${this.what} reachable again after ${this.now() - this.since} ms (${this.failures} failed attempts)`);
    this.since = null;
    this.failures = 0;
  }
}
