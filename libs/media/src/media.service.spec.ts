import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { DataSource } from 'typeorm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { DecodeLimiter } from './decode-limiter';
import { LocalMediaStorage } from './local-media-storage';
import { MediaService } from './media.service';
import { UploadQuota } from './upload-quota';

/** Stands in for the DataSource: records the queries, or fails them. */
function fakeDb(fail = false) {
  const queries: { sql: string; params: unknown[] }[] = [];
  const db = {
    query: async (sql: string, params: unknown[] = []) => {
      if (fail) throw new Error('insert failed');
      queries.push({ sql, params });
      return [];
    },
  };
  return { db: db as unknown as DataSource, queries };
}

/** No quota (0 bytes: Redis is never asked), two decoders. */
const service = (db: DataSource, root: string) => new MediaService(db, new LocalMediaStorage(root), new DecodeLimiter(2, 4), new UploadQuota({} as Redis, 'test', 0));

describe('MediaService.upload', () => {
  let root: string;
  const files = async () => (await readdir(root, { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
  const photo = () => sharp({ create: { width: 8, height: 6, channels: 3, background: '#0a0' } }).png().toBuffer();

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'wangge-media-svc-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('stores the file, then records it with its sha256 and uploader', async () => {
    const { db, queries } = fakeDb();
    const media = service(db, root);
    const uploader = { id: '11111111-2222-4333-8444-555555555555', username: 'w', name: 'W', role: 'warden' as const, streetCode: null, chiefId: null };
    const stored = await media.upload(await photo(), {}, { user: uploader });
    expect(stored).toMatchObject({ url: `/api/v1/media/${stored.id}`, contentType: 'image/png', width: 8, height: 6 });
    expect(await files()).toHaveLength(1);
    expect(queries).toHaveLength(1);
    const [id, key, type, bytes, width, height, sha, by] = queries[0].params;
    expect([id, type, bytes, width, height, by]).toEqual([stored.id, 'image/png', stored.bytes, 8, 6, uploader.id]);
    expect(key).toMatch(new RegExp(`^\\d{4}/\\d{2}/\\d{2}/${stored.id}\\.png$`));
    expect(sha).toMatch(/^[0-9a-f]{64}$/);
  });

  it('removes the stored file when the row cannot be written', async () => {
    await expect(service(fakeDb(true).db, root).upload(await photo(), {})).rejects.toThrow('insert failed');
    expect(await files()).toEqual([]);
  });

  it('writes nothing for a refused file', async () => {
    const { db, queries } = fakeDb();
    await expect(service(db, root).upload(Buffer.from('<svg/>'), { declaredType: 'image/png' })).rejects.toMatchObject({ code: 'unsupported_media_type' });
    expect(queries).toEqual([]);
    expect(await files()).toEqual([]);
  });

  it('opens nothing for an id that is not a UUID, without asking the database', async () => {
    const { db, queries } = fakeDb();
    expect(await service(db, root).open('../../etc/passwd')).toBeNull();
    expect(queries).toEqual([]);
  });
});
