import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** Extended-protocol messages that leave a batch open until the client's Sync. */
const OPENS_BATCH = new Set([0x50 /* Parse */, 0x42 /* Bind */, 0x44 /* Describe */, 0x45 /* Execute */, 0x43 /* Close */, 0x48 /* Flush */]);

interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  resolve(bytes: number): void;
  reject(err: unknown): void;
  onData(data: Uint8Array): void;
}

interface QueryQueue {
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  db: { isInTransaction(): boolean; runExclusive<T>(fn: () => Promise<T>): Promise<T>; execProtocolRawStream(m: Uint8Array, o: { onRawData(d: Uint8Array): void }): Promise<unknown> };
  processQueue(): Promise<void>;
  clearQueueForHandler(id: number): void;
}

/**
 * pglite-socket 0.2.17 runs the protocol messages of its connections one at a time and keeps a
 * connection's turn only inside a transaction. Outside one, node-postgres's Parse/Bind/Execute/Sync
 * of two connections can interleave in PGlite's single backend, so one connection binds the
 * other's unnamed statement ("unnamed prepared statement does not exist", or worse, the wrong
 * statement). This keeps a connection's turn from its first extended-protocol message to its Sync.
 */
export function keepProtocolBatchesTogether(server: PGLiteSocketServer): void {
  const q = (server as unknown as { queryQueue: QueryQueue }).queryQueue;
  let batchHandlerId: number | null = null;
  const clear = q.clearQueueForHandler.bind(q);
  q.clearQueueForHandler = (id: number) => {
    if (batchHandlerId === id) batchHandlerId = null;
    clear(id);
    void q.processQueue();
  };
  q.processQueue = async function processQueue(this: QueryQueue): Promise<void> {
    if (this.processing || this.queue.length === 0) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const turn = batchHandlerId ?? (this.db.isInTransaction() ? this.lastHandlerId : null);
        const index = turn === null ? 0 : this.queue.findIndex((m) => m.handlerId === turn);
        if (index === -1) break; // wait for the connection whose turn it is
        const [item] = this.queue.splice(index, 1);
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (d) => {
                bytes += d.length;
                item.onData(d);
              },
            }),
          );
        } catch (err) {
          batchHandlerId = null;
          item.reject(err);
          continue;
        }
        batchHandlerId = OPENS_BATCH.has(item.message[0]) ? item.handlerId : null;
        this.lastHandlerId = item.handlerId;
        item.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  }.bind(q);
}
