// The phone's own store (IndexedDB through `idb`): the outbox of reports and actions not yet sent,
// and the last fetched copy of the reads the field pages need without signal (the task list).
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

/** A photo kept with its item until it is uploaded; `mediaId` once POST /media answered. */
export interface OutboxPhoto {
  bytes: ArrayBuffer;
  name: string;
  type: string;
  mediaId: string | null;
}

export type OutboxState = 'pending' | 'sent' | 'failed';

/** One report or case action, in the order the user made them (`id` grows). */
export interface OutboxItem {
  id?: number;
  /** Whose item: each user's outbox is sent with their own token, never another's. */
  userId: string;
  /** The Idempotency-Key the item is sent with, on every attempt. */
  key: string;
  kind: 'report' | 'action';
  /** POST /api/v1/cases or /api/v1/cases/:id/:action. */
  path: string;
  body: Record<string, unknown>;
  photos: OutboxPhoto[];
  /** What the user sees of it in the outbox (e.g. `E0102 上报`, `case code · resolve`). */
  label: string;
  state: OutboxState;
  attempts: number;
  createdAt: number;
  sentAt: number | null;
  error: { status: number; code: string; message: string; details: { field: string; problem: string }[] } | null;
  /** The API's answer once sent (the reported case, the updated case). */
  response: unknown;
}

interface OfflineSchema extends DBSchema {
  outbox: { key: number; value: OutboxItem; indexes: { byUser: string } };
  reads: { key: string; value: { key: string; userId: string; data: unknown; savedAt: number } };
}

export type OfflineDb = IDBPDatabase<OfflineSchema>;

const opened = new Map<string, Promise<OfflineDb>>();

export function offlineDb(name = 'wangge-offline'): Promise<OfflineDb> {
  let db = opened.get(name);
  if (!db) {
    db = openDB<OfflineSchema>(name, 1, {
      upgrade(d) {
        const outbox = d.createObjectStore('outbox', { keyPath: 'id', autoIncrement: true });
        outbox.createIndex('byUser', 'userId');
        d.createObjectStore('reads', { keyPath: 'key' });
      },
    });
    opened.set(name, db);
  }
  return db;
}
