import { randomUUID } from 'node:crypto';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import type { MediaStorage } from './media-storage';
import { assertSafeStorageKey } from './storage-key';

/** Temporary files are written here (inside the root, so the final rename stays on one file system). */
const TEMP_DIR = '.tmp';

function isNotFound(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && err.code === 'ENOENT';
}

/**
 * {@link MediaStorage} on the local file system under one root folder (`MEDIA_DIR`). An object is
 * written to a temporary file, flushed, then renamed to its key, so a crash never leaves a half
 * file under a final key.
 */
export class LocalMediaStorage implements MediaStorage {
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  /** The content type is not kept: the key's extension names it. */
  async put(key: string, bytes: Buffer, _contentType: string): Promise<void> {
    const target = this.pathOf(key);
    const temp = join(this.root, TEMP_DIR, `${randomUUID()}.part`);
    await mkdir(dirname(temp), { recursive: true });
    await mkdir(dirname(target), { recursive: true });
    try {
      const file = await open(temp, 'wx');
      try {
        await file.writeFile(bytes);
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temp, target);
    } catch (err) {
      await unlink(temp).catch(() => undefined);
      throw err;
    }
  }

  async open(key: string): Promise<Readable | null> {
    try {
      const file = await open(this.pathOf(key), 'r');
      return file.createReadStream();
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await unlink(this.pathOf(key));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  /** The file of a key; refuses keys that could leave the root. */
  private pathOf(key: string): string {
    assertSafeStorageKey(key);
    const path = resolve(this.root, ...key.split('/'));
    if (!path.startsWith(this.root + sep)) throw new Error(`media storage key outside the root: ${key}`);
    return path;
  }
}
