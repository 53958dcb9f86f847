import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalMediaStorage } from './local-media-storage';

describe('LocalMediaStorage', () => {
  let root: string;
  let storage: LocalMediaStorage;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'wangge-media-'));
    storage = new LocalMediaStorage(root);
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('stores under the key (creating folders), reads back, deletes', async () => {
    await storage.put('2026/11/29/a.jpg', Buffer.from('hello'), 'image/jpeg');
    expect(await readFile(join(root, '2026', '11', '29', 'a.jpg'), 'utf8')).toBe('hello');
    expect(await readdir(join(root, '.tmp'))).toEqual([]);
    const stream = await storage.open('2026/11/29/a.jpg');
    expect(stream && (await text(stream))).toBe('hello');
    await storage.delete('2026/11/29/a.jpg');
    expect(await storage.open('2026/11/29/a.jpg')).toBeNull();
    await expect(storage.delete('2026/11/29/a.jpg')).resolves.toBeUndefined();
  });

  it('refuses keys that could leave the root, and writes nothing for them', async () => {
    for (const key of ['../x.jpg', '2026/../../x.jpg', '/etc/x.jpg', '.tmp/x']) {
      await expect(storage.put(key, Buffer.from('x'), 'image/jpeg')).rejects.toThrow(/unsafe/);
      await expect(storage.open(key)).rejects.toThrow(/unsafe/);
      await expect(storage.delete(key)).rejects.toThrow(/unsafe/);
    }
    expect(await readdir(root)).toEqual([]);
  });

  it('leaves no file behind when the final rename fails', async () => {
    await storage.put('a/b.jpg/c.jpg', Buffer.from('x'), 'image/jpeg');
    // "a/b.jpg" is a folder now: the temporary file is written, the rename onto it fails.
    await expect(storage.put('a/b.jpg', Buffer.from('y'), 'image/jpeg')).rejects.toThrow();
    expect(await readdir(join(root, '.tmp'))).toEqual([]);
    expect(await readdir(join(root, 'a', 'b.jpg'))).toEqual(['c.jpg']);
  });
});
