/**
 * Group commit: items submitted while earlier batches are being written are gathered and written
 * together, in one transaction, by the next batch. A lone item is written at once (no timer, no
 * added latency when the load is light); under load the batches grow by themselves, so many items
 * share one commit and its WAL flush. `write` settles every item of its batch (each item's own
 * answer or error); if it throws, every item of the batch not yet settled gets that error.
 */
export class GroupCommit<T, R> {
  private readonly queue: Pending<T, R>[] = [];
  private running = 0;
  /** Batches written, and the items they held (their ratio: the mean batch). */
  readonly counters = { batches: 0, items: 0 };

  constructor(
    private readonly write: (batch: readonly Pending<T, R>[]) => Promise<void>,
    private readonly limits: { maxBatch: number; maxConcurrent: number },
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push(new Pending(item, resolve, reject));
      this.pump();
    });
  }

  /** Items waiting for a batch, and batches being written. */
  get load(): { queued: number; running: number } {
    return { queued: this.queue.length, running: this.running };
  }

  private pump(): void {
    while (this.running < this.limits.maxConcurrent && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.limits.maxBatch);
      this.running++;
      this.counters.batches++;
      this.counters.items += batch.length;
      void this.write(batch)
        .then(
          () => batch.forEach((p) => p.fail(new Error('group commit: item left unsettled by its batch'))),
          (err: unknown) => batch.forEach((p) => p.fail(err)),
        )
        .finally(() => {
          this.running--;
          this.pump();
        });
    }
  }
}

/** One submitted item and the promise of its answer. Settling twice is ignored. */
export class Pending<T, R> {
  private settled = false;

  constructor(
    readonly item: T,
    private readonly resolver: (value: R) => void,
    private readonly rejecter: (err: unknown) => void,
  ) {}

  get done(): boolean {
    return this.settled;
  }

  succeed(value: R): void {
    if (this.settled) return;
    this.settled = true;
    this.resolver(value);
  }

  fail(err: unknown): void {
    if (this.settled) return;
    this.settled = true;
    this.rejecter(err);
  }
}
