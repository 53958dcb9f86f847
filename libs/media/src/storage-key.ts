import { IMAGE_EXTENSIONS, type ImageContentType } from './image-type';

const KEY = /^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*$/i;

/** The key an object is stored under: `yyyy/mm/dd/<id>.<ext>`, dated in UTC. */
export function mediaStorageKey(id: string, contentType: ImageContentType, at: Date): string {
  const yyyy = at.getUTCFullYear().toString().padStart(4, '0');
  const mm = (at.getUTCMonth() + 1).toString().padStart(2, '0');
  const dd = at.getUTCDate().toString().padStart(2, '0');
  return `${yyyy}/${mm}/${dd}/${id}.${IMAGE_EXTENSIONS[contentType]}`;
}

/**
 * Whether a key is safe for any store: relative, `/`-separated segments of letters, digits, `.`,
 * `_` and `-`, each starting with a letter or digit (so no `.`, `..`, empty or hidden segment).
 */
export function isSafeStorageKey(key: string): boolean {
  return key.length <= 512 && KEY.test(key);
}

/** Throws unless {@link isSafeStorageKey}. */
export function assertSafeStorageKey(key: string): void {
  if (!isSafeStorageKey(key)) throw new Error(`unsafe media storage key: ${JSON.stringify(key.slice(0, 100))}`);
}
