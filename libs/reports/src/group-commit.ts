/**
 * Group commit: items submitted while earlier batches are being written are gathered and written
 * together, in one transaction, by the next batch. A lone item is written at once (no timer, no
 * added latency when the load is light); under load the batches grow by themselves, so many items
 * share one commit and its WAL flush. `write` settles every item of its batch (each item's own
 * answer or error) or hands it back with `requeue` for the next batch; if it throws, every item of
 * the batch not yet settled gets that error.
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

  /** Puts an item of the running batch back at the head of the queue: it goes into the next batch. */
  requeue(pending: Pending<T, R>): void {
    pending.requeued = true;
    this.queue.unshift(pending);
  }

  /** Items waiting for a batch, and batches being written. */
  get load(): { queued: number; running: number } {
    return { queued: this.queue.length, running: this.running };
  }

  private pump(): void {
    while (this.running < this.limits.maxConcurrent && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.limits.maxBatch);
      for (const p of batch) p.requeued = false;
      this.running++;
      this.counters.batches++;
      this.counters.items += batch.length;
      void this.write(batch)
        .then(
          () => batch.forEach((p) => p.requeued || p.fail(new Error('group commit: item left unsettled by its batch'))),
          (err: unknown) => batch.forEach((p) => p.requeued || p.fail(err)),
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
  /** Handed back to the queue by its batch (see GroupCommit.requeue). */
  requeued = false;

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
