import type { Readable } from 'node:stream';

/**
 * Where media bytes live, by key (`2026/11/29/<uuid>.jpg`). The local disk today; an S3-compatible
 * bucket can implement the same three calls. Keys are checked with `assertSafeStorageKey`.
 */
export interface MediaStorage {
  /** Stores the bytes under the key, all or nothing: a reader never sees a partial object. */
  put(key: string, bytes: Buffer, contentType: string): Promise<void>;
  /** The object's bytes as a stream, or null when nothing is stored under the key. */
  open(key: string): Promise<Readable | null>;
  /** Removes the object; removing a missing key is not an error. */
  delete(key: string): Promise<void>;
}

/** Injection token of the {@link MediaStorage} in use. */
export const MEDIA_STORAGE = Symbol('MEDIA_STORAGE');
