import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Client } from 'pg';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIntake } from '../support/apps';
import { gif, gpsOf, jpegWithGps, png, webp } from './images';

interface Uploaded {
  id: string;
  url: string;
  contentType: string;
  bytes: number;
  width: number;
  height: number;
}
interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: { field: string; problem: string }[];
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Every file under a folder, as paths relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name))).sort();
}

function form(...files: { field?: string; bytes: Buffer | string; name: string; type: string }[]): FormData {
  const f = new FormData();
  for (const file of files) f.append(file.field ?? 'file', new Blob([file.bytes], { type: file.type }), file.name);
  return f;
}

/** A hand-written multipart/form-data body (for the malformed cases fetch would never send). */
function multipart(parts: { field: string; filename?: string; type?: string; body: Buffer | string }[], boundary = 'wangge-boundary'): Buffer {
  const chunks = parts.flatMap((p) => [
    `--${boundary}\r\nContent-Disposition: form-data; name="${p.field}"${p.filename ? `; filename="${p.filename}"` : ''}\r\n`,
    p.type ? `Content-Type: ${p.type}\r\n` : '',
    '\r\n',
    p.body,
    '\r\n',
  ]);
  return Buffer.concat([...chunks, `--${boundary}--\r\n`].map((c) => (typeof c === 'string' ? Buffer.from(c) : c)));
}

async function startMediaApp(label: string, overrides: Record<string, string> = {}) {
  const mediaDir = await mkdtemp(join(tmpdir(), `wangge-${label}-`));
  const intake = await startIntake(label, { MEDIA_DIR: mediaDir, ...overrides });
  const db = new Client({ connectionString: intake.databaseUrl });
  await db.connect();
  let sent = 0;
  const post = async (body: FormData | Buffer | string, headers: Record<string, string> = {}) => {
    sent++;
    const res = await fetch(`${intake.baseUrl}/api/v1/media`, { method: 'POST', body, headers });
    return { res, body: (await res.json()) as Uploaded & ErrorBody };
  };
  const state = async () => ({ rows: ((await db.query('SELECT count(*)::int AS n FROM media')).rows[0] as { n: number }).n, files: await filesUnder(mediaDir) });
  /** Sends the request, expects the refusal (JSON, status, field) and that nothing was stored. */
  const refused = async (status: number, field: string, body: FormData | Buffer | string, headers: Record<string, string> = {}) => {
    const before = await state();
    const r = await post(body, headers);
    expect(r.res.status, JSON.stringify(r.body)).toBe(status);
    expect(r.res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(r.body.statusCode).toBe(status);
    expect(r.body.message).toMatch(/ \/ \S/); // English / 中文
    expect(r.body.details?.map((d) => d.field)).toContain(field);
    expect(await state()).toEqual(before);
    return r.body;
  };
  return {
    intake,
    db,
    mediaDir,
    post,
    /** Uploads sent so far (they count against the rate limit). */
    sent: () => sent,
    state,
    refused,
    async close() {
      await db.end();
      await intake.close();
      await rm(mediaDir, { recursive: true, force: true });
    },
  };
}

describe('POST /api/v1/media and GET /api/v1/media/:id', () => {
  let app: Awaited<ReturnType<typeof startMediaApp>>;

  beforeAll(async () => {
    app = await startMediaApp('media');
  });
  afterAll(async () => app?.close());

  const download = (id: string) => fetch(`${app.intake.baseUrl}/api/v1/media/${id}`);
  const storedRow = async (id: string) =>
    (await app.db.query(`SELECT m.*, u.username FROM media m LEFT JOIN app_user u ON u.id = m.uploaded_by WHERE m.id = $1`, [id])).rows[0] as {
      storage_key: string;
      content_type: string;
      bytes: number;
      width: number;
      height: number;
      sha256: string;
      username: string | null;
    };

  it('stores an anonymous JPEG upright and without its EXIF GPS; GET answers the stored bytes', async () => {
    const input = await jpegWithGps();
    expect(await gpsOf(input)).toMatchObject({ GPSLatitudeRef: 'N', GPSLatitude: [34, 44, 24.06], GPSLongitude: [113, 40, 48] });
    expect(input.includes(Buffer.from('WanggeCam'))).toBe(true);

    const { res, body } = await app.post(form({ bytes: input, name: 'IMG_0001.jpg', type: 'image/jpeg' }));
    expect(res.status).toBe(201);
    expect(body).toEqual({ id: expect.any(String), url: `/api/v1/media/${body.id}`, contentType: 'image/jpeg', bytes: expect.any(Number), width: 240, height: 320 });

    const row = await storedRow(body.id);
    expect(row).toMatchObject({ content_type: 'image/jpeg', bytes: body.bytes, width: 240, height: 320, username: null });
    expect(row.storage_key).toMatch(new RegExp(`^\\d{4}/\\d{2}/\\d{2}/${body.id}\\.jpg$`));
    expect(await filesUnder(app.mediaDir)).toContain(row.storage_key);
    const stored = await readFile(join(app.mediaDir, row.storage_key));
    expect(stored.length).toBe(body.bytes);
    expect(sha256(stored)).toBe(row.sha256);

    const got = await download(body.id);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('image/jpeg');
    expect(got.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    expect(got.headers.get('content-length')).toBe(String(body.bytes));
    const bytes = Buffer.from(await got.arrayBuffer());
    expect(bytes.equals(stored)).toBe(true);

    for (const image of [stored, bytes]) {
      expect(await gpsOf(image)).toBeUndefined();
      expect((await sharp(image).metadata()).exif).toBeUndefined();
      expect(image.includes(Buffer.from('Exif\0\0'))).toBe(false);
      expect(image.includes(Buffer.from('WanggeCam'))).toBe(false);
    }
  });

  it('records the uploader when a token is sent', async () => {
    const warden = await app.intake.bearer('warden1');
    const { res, body } = await app.post(form({ bytes: await jpegWithGps(64, 48), name: 'a.jpg', type: 'image/jpeg' }), { authorization: warden });
    expect(res.status).toBe(201);
    expect((await storedRow(body.id)).username).toBe('warden1');
  });

  it('accepts PNG and WebP (WebP EXIF removed too) and serves them with their types', async () => {
    for (const [bytes, type, ext] of [[await png(), 'image/png', 'png'], [await webp(), 'image/webp', 'webp']] as const) {
      const { res, body } = await app.post(form({ bytes, name: `x.${ext}`, type }));
      expect(res.status, type).toBe(201);
      expect(body).toMatchObject({ contentType: type, width: 120, height: 80 });
      expect((await storedRow(body.id)).storage_key).toMatch(new RegExp(`\\.${ext}$`));
      const got = await download(body.id);
      expect(got.headers.get('content-type')).toBe(type);
      const served = Buffer.from(await got.arrayBuffer());
      expect(sha256(served)).toBe((await storedRow(body.id)).sha256);
      expect(await gpsOf(served)).toBeUndefined();
    }
  });

  it('decides the type by the bytes: a PNG sent as x.jpg, image/jpeg is stored as image/png', async () => {
    const { res, body } = await app.post(form({ bytes: await png(), name: 'x.jpg', type: 'image/jpeg' }));
    expect(res.status).toBe(201);
    expect(body.contentType).toBe('image/png');
    expect((await download(body.id)).headers.get('content-type')).toBe('image/png');
  });

  it('refuses what is not a JPEG, PNG or WebP whatever its name and declared type (415)', async () => {
    const cases: [string, Buffer | string, string][] = [
      ['HTML', '<!doctype html><html><script>alert(document.cookie)</script></html>', 'HTML'],
      ['SVG', '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="9" height="9"/></svg>', 'SVG'],
      ['GIF', await gif(), 'GIF'],
      ['PDF', '%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n', 'PDF'],
    ];
    for (const [name, bytes, words] of cases) {
      const body = await app.refused(415, 'file', form({ bytes, name: 'a.jpg', type: 'image/jpeg' }));
      expect(body.error, name).toBe('unsupported_media_type');
      expect(body.details?.[0].problem).toContain(words);
    }
  });

  it('refuses a forged JPEG (valid magic number, garbage after) and an empty file (422)', async () => {
    const forged = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0'), Buffer.alloc(4096, 0x5a)]);
    expect((await app.refused(422, 'file', form({ bytes: forged, name: 'a.jpg', type: 'image/jpeg' }))).error).toBe('unreadable_image');
    const truncated = (await jpegWithGps()).subarray(0, 3000);
    expect((await app.refused(422, 'file', form({ bytes: truncated, name: 'b.jpg', type: 'image/jpeg' }))).error).toBe('unreadable_image');
    expect((await app.refused(422, 'file', form({ bytes: Buffer.alloc(0), name: 'c.jpg', type: 'image/jpeg' }))).error).toBe('empty_file');
  });

  it('answers a 4xx JSON error naming the field to every malformed upload, never a 500', async () => {
    const jpeg = await jpegWithGps(32, 32);
    const boundary = 'wangge-boundary';
    const ct = { 'content-type': `multipart/form-data; boundary=${boundary}` };

    // no file: only a text field
    const noFile = new FormData();
    noFile.append('note', 'hello');
    expect((await app.refused(400, 'file', noFile)).message).toContain('未收到照片');
    // the file in another field
    expect((await app.refused(400, 'file', form({ field: 'photo', bytes: jpeg, name: 'a.jpg', type: 'image/jpeg' }))).details?.[0].problem).toContain('"photo"');
    // two files
    await app.refused(400, 'file', form({ bytes: jpeg, name: 'a.jpg', type: 'image/jpeg' }, { bytes: jpeg, name: 'b.jpg', type: 'image/jpeg' }));
    // too many text fields
    const fields = form({ bytes: jpeg, name: 'a.jpg', type: 'image/jpeg' });
    for (let i = 0; i < 6; i++) fields.append(`f${i}`, 'x');
    await app.refused(400, 'form', fields);
    // not multipart at all
    await app.refused(415, 'file', JSON.stringify({ file: jpeg.toString('base64') }), { 'content-type': 'application/json' });
    await app.refused(415, 'file', jpeg, { 'content-type': 'image/jpeg' });
    await app.refused(415, 'file', multipart([{ field: 'file', filename: 'a.jpg', type: 'image/jpeg', body: jpeg }]), { 'content-type': `multipart/mixed; boundary=${boundary}` });
    // multipart without a boundary
    await app.refused(400, 'file', multipart([{ field: 'file', filename: 'a.jpg', type: 'image/jpeg', body: jpeg }]), { 'content-type': 'multipart/form-data' });
    // a body cut short (the upload ended mid-file)
    const whole = multipart([{ field: 'file', filename: 'a.jpg', type: 'image/jpeg', body: jpeg }], boundary);
    const cut = await app.refused(400, 'file', whole.subarray(0, whole.length - 200), ct);
    expect(cut.details?.[0].problem).toMatch(/Unexpected end of form/);
  });

  it('GET answers 400 naming id for a malformed id and 404 for an unknown one, neither cached', async () => {
    const bad = await download('not-a-uuid');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ErrorBody).details?.map((d) => d.field)).toEqual(['id']);
    const unknown = await download('6f1c1f9e-8d2b-4f7a-9a4e-1b2c3d4e5f60');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ statusCode: 404, error: 'not_found' });
    expect(unknown.headers.get('cache-control') ?? '').not.toContain('immutable');
  });

  it('documents the upload in OpenAPI as multipart with a binary file', async () => {
    const doc = (await (await fetch(`${app.intake.baseUrl}/docs-json`)).json()) as {
      paths: Record<string, { post?: { tags: string[]; requestBody: { content: Record<string, { schema: { properties: { file: { format: string } } } }> } } }>;
    };
    const post = doc.paths['/api/v1/media']?.post;
    expect(post?.tags).toEqual(['media']);
    expect(post?.requestBody.content['multipart/form-data'].schema.properties.file.format).toBe('binary');
  });
});

describe('POST /api/v1/media limits', () => {
  let app: Awaited<ReturnType<typeof startMediaApp>>;

  beforeAll(async () => {
    app = await startMediaApp('media_limits', { MEDIA_MAX_BYTES: '20000' });
  });
  afterAll(async () => app?.close());

  it('answers 413 payload_too_large naming file for a photo over MEDIA_MAX_BYTES, and stores nothing', async () => {
    const big = await jpegWithGps(320, 240);
    expect(big.length).toBeGreaterThan(20_000);
    const body = await app.refused(413, 'file', form({ bytes: big, name: 'big.jpg', type: 'image/jpeg' }));
    expect(body.error).toBe('payload_too_large');
    const small = await jpegWithGps(32, 24);
    expect((await app.post(form({ bytes: small, name: 'small.jpg', type: 'image/jpeg' }))).res.status).toBe(201);
  });

  it('throttles uploads to 30 a minute per address (429), downloads not', async () => {
    const { rows } = await app.db.query('SELECT id FROM media LIMIT 1');
    const id = (rows[0] as { id: string }).id;
    const allowed = 30 - app.sent();
    const statuses: number[] = [];
    for (let i = 0; i < 40 && !statuses.includes(429); i++) statuses.push((await app.post(new FormData())).res.status);
    expect(statuses.indexOf(429)).toBe(allowed);
    expect(statuses.slice(0, allowed).every((s) => s === 400)).toBe(true);
    for (let i = 0; i < 3; i++) expect((await fetch(`${app.intake.baseUrl}/api/v1/media/${id}`)).status).toBe(200);
  });
});
