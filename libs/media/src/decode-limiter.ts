import { refuseFile } from './media-errors';

/** What a 503 for a full decode queue asks the client to wait (Retry-After). */
export const DECODE_BUSY_RETRY_AFTER_SECONDS = 2;

/**
 * Bounds the photos one process decodes at once (sharp's work is CPU and memory heavy: a 40 MP
 * image is ~160 MB of pixels). At most `concurrency` run; up to `queueLimit` more wait in arrival
 * order; past that the upload is refused at once with a 503 and Retry-After, so a burst of uploads
 * cannot pile up memory in the process.
 */
export class DecodeLimiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  /** The most decodes that ever ran at once (for tests and metrics). */
  peakActive = 0;
  /** Uploads refused because the queue was full. */
  refused = 0;

  constructor(
    readonly concurrency: number,
    readonly queueLimit: number,
  ) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`decode concurrency must be a whole number ≥ 1, got ${concurrency}`);
    if (!Number.isInteger(queueLimit) || queueLimit < 0) throw new Error(`decode queue limit must be a whole number ≥ 0, got ${queueLimit}`);
  }

  /** Decodes running, and waiting. */
  get load(): { active: number; waiting: number } {
    return { active: this.active, waiting: this.waiting.length };
  }

  /** Runs `work` when a decoder is free; throws the 503 MediaError when the queue is full. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.active < this.concurrency) {
      this.enter();
      return Promise.resolve();
    }
    if (this.waiting.length >= this.queueLimit) {
      this.refused++;
      throw refuseFile(
        'decoder_busy',
        `${this.active} photos are being processed and ${this.waiting.length} are waiting (MEDIA_DECODE_CONCURRENCY ${this.concurrency}, MEDIA_DECODE_QUEUE ${this.queueLimit})`,
        DECODE_BUSY_RETRY_AFTER_SECONDS,
      );
    }
    return new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private enter(): void {
    this.active++;
    if (this.active > this.peakActive) this.peakActive = this.active;
  }

  /** Hands the slot straight to the next waiter (so a newcomer cannot overtake the queue). */
  private release(): void {
    const next = this.waiting.shift();
    if (next) {
      next();
      return;
    }
    this.active--;
  }
}
