// The last fetched copy of a read the field pages need without signal (my tasks, who I am),
// kept per user on the phone and shown, marked as such, when the API cannot be reached.
import { api, ApiError } from '../api';
import { offlineDb, type OfflineDb } from './offline-db';

/** The answer, and when it was fetched if it is the kept copy (null: fresh from the API). */
export interface CachedRead<T> {
  data: T;
  offlineSince: number | null;
}

export async function cachedGet<T>(
  userId: string,
  path: string,
  opts: { get?: (path: string) => Promise<T>; db?: () => Promise<OfflineDb>; now?: () => number } = {},
): Promise<CachedRead<T>> {
  const get = opts.get ?? ((p: string) => api.get<T>(p));
  const db = opts.db ?? (() => offlineDb());
  const key = `${userId} ${path}`;
  try {
    const data = await get(path);
    await (await db()).put('reads', { key, userId, data, savedAt: (opts.now ?? Date.now)() });
    return { data, offlineSince: null };
  } catch (err) {
    // Only a missing signal falls back to the copy; a refusal (401, 403) is the answer.
    if (!(err instanceof ApiError) || err.status !== 0) throw err;
    const kept = await (await db()).get('reads', key);
    if (!kept) throw err;
    return { data: kept.data as T, offlineSince: kept.savedAt };
  }
}

/** Forgets every kept read (on sign-out: a shared phone must not show the last user's cases). */
export async function forgetCachedReads(db: () => Promise<OfflineDb> = () => offlineDb()): Promise<void> {
  await (await db()).clear('reads');
}
