import type { CaseEventMessage } from '@wangge/events';

/** Seqs the stream skipped: the authoritative events in (after, upTo] must be read from PostgreSQL. */
export interface SeqGap {
  after: number;
  upTo: number;
}

/**
 * Puts the case events a feed node receives back into `seq` order, exactly once.
 *
 * Writers draw `seq` under one lock held to their commit, so events commit in `seq` order: once
 * seq N is committed, every smaller seq is committed or was rolled back. The Redis stream may still
 * bring them out of order (several outbox relays), twice (a relay retried), or not at all (Redis
 * lost them). The sequencer passes on the contiguous run after the last seq it passed; when a
 * later seq is waiting it reports the gap, which the caller fills from PostgreSQL (authoritative:
 * a seq missing there was rolled back) with {@link settle}.
 */
export class EventSequencer {
  private readonly waiting = new Map<number, CaseEventMessage>();

  constructor(private last: number) {}

  /** The newest seq passed on: every event up to it has been delivered, none after it. */
  get lastSeq(): number {
    return this.last;
  }

  get waitingCount(): number {
    return this.waiting.size;
  }

  /** Takes messages from the stream; returns those now in order, and the gap that holds the rest back. */
  offer(messages: readonly CaseEventMessage[]): { ready: CaseEventMessage[]; gap: SeqGap | null } {
    for (const message of messages) {
      if (message.seq > this.last && !this.waiting.has(message.seq)) this.waiting.set(message.seq, message);
    }
    const ready: CaseEventMessage[] = [];
    for (let next = this.waiting.get(this.last + 1); next; next = this.waiting.get(this.last + 1)) {
      this.waiting.delete(next.seq);
      ready.push(next);
      this.last = next.seq;
    }
    return { ready, gap: this.gap() };
  }

  /**
   * Takes the list of committed events in (lastSeq, upTo] read from PostgreSQL in one statement
   * (complete up to its newest seq); returns those to deliver, in order. Waiting messages up to
   * `upTo` are dropped: the database's answer replaces them, and one it does not confirm (a message
   * from elsewhere) must not move the feed past events that have yet to come.
   */
  settle(rows: readonly CaseEventMessage[], upTo: number): { ready: CaseEventMessage[]; gap: SeqGap | null } {
    const ready = rows.filter((r) => r.seq > this.last && r.seq <= upTo).sort((a, b) => a.seq - b.seq);
    if (ready.length > 0) this.last = ready[ready.length - 1].seq;
    for (const seq of [...this.waiting.keys()]) if (seq <= Math.max(upTo, this.last)) this.waiting.delete(seq);
    const after = this.offer([]);
    return { ready: [...ready, ...after.ready], gap: after.gap };
  }

  private gap(): SeqGap | null {
    if (this.waiting.size === 0) return null;
    return { after: this.last, upTo: Math.max(...this.waiting.keys()) };
  }
}
