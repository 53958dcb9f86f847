import { deflateSync } from 'node:zlib';
import exifReader from 'exif-reader';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { MAX_IMAGE_PIXELS, normalizeImage } from './image-normalizer';
import { MediaError } from './media-errors';

const GPS = { IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '34/1 44/1 2406/100', GPSLongitudeRef: 'E', GPSLongitude: '113/1 40/1 4800/100' } };

/** A small photo-like JPEG (noise, so it does not compress to nothing) with EXIF GPS and an orientation. */
async function jpegWithGps(orientation = 1): Promise<Buffer> {
  const noise = Buffer.alloc(64 * 32 * 3, 0).map((_, i) => (i * 37) % 251);
  return sharp(noise, { raw: { width: 64, height: 32, channels: 3 } })
    .jpeg()
    .withMetadata({ orientation })
    .withExif({ IFD0: { Make: 'WanggeCam' }, ...GPS })
    .toBuffer();
}

const solid = () => sharp({ create: { width: 30, height: 20, channels: 3, background: '#3366aa' } });

/** A valid 1-bit PNG of the given size whose pixel data deflates to almost nothing. */
function hugePng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([1, 0, 0, 0, 0], 8); // bit depth 1, greyscale
  const raw = Buffer.alloc((Math.ceil(width / 8) + 1) * height);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

function crc32(bytes: Buffer): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

async function refusal(input: Buffer, declared = {}): Promise<{ status: number; code: string; field: string; problem: string }> {
  const err = await normalizeImage(input, declared).then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof MediaError)) throw new Error(`expected a MediaError, got ${String(err)}`);
  return { status: err.status, code: err.code, field: err.details?.[0]?.field ?? '', problem: err.details?.[0]?.problem ?? '' };
}

describe('normalizeImage', () => {
  it('re-encodes a JPEG without its EXIF (GPS gone) and keeps it upright', async () => {
    const input = await jpegWithGps(6); // stored sideways: "rotate 90° clockwise to view"
    const before = await sharp(input).metadata();
    expect(before.orientation).toBe(6);
    expect(exifReader(before.exif as Buffer).GPSInfo?.GPSLatitude).toEqual([34, 44, 24.06]);

    const out = await normalizeImage(input, { declaredName: 'photo.jpg', declaredType: 'image/jpeg' });
    expect(out).toMatchObject({ contentType: 'image/jpeg', width: 32, height: 64 });
    const after = await sharp(out.bytes).metadata();
    expect(after.format).toBe('jpeg');
    expect(after.exif).toBeUndefined();
    expect(after.orientation).toBeUndefined();
    expect(out.bytes.includes(Buffer.from('WanggeCam'))).toBe(false);
  });

  it('accepts PNG and WebP, named by their bytes whatever the client declared', async () => {
    const png = await normalizeImage(await solid().png().toBuffer(), { declaredName: 'x.jpg', declaredType: 'image/jpeg' });
    expect(png).toMatchObject({ contentType: 'image/png', width: 30, height: 20 });
    const webp = await normalizeImage(await solid().webp().withExif(GPS).toBuffer(), { declaredType: 'application/octet-stream' });
    expect(webp).toMatchObject({ contentType: 'image/webp', width: 30, height: 20 });
    expect((await sharp(webp.bytes).metadata()).exif).toBeUndefined();
  });

  it('keeps PNG lossless', async () => {
    const input = await solid().png().toBuffer();
    const out = await normalizeImage(input);
    expect(await sharp(out.bytes).raw().toBuffer()).toEqual(await sharp(input).raw().toBuffer());
  });

  it.each([
    ['HTML', '<!doctype html><script>alert(1)</script>', 'an HTML document'],
    ['SVG', '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', 'an SVG image'],
    ['PDF', '%PDF-1.7\n%âãÏÓ\n', 'a PDF document'],
  ])('refuses %s with 415 unsupported_media_type naming file', async (_name, content, words) => {
    const r = await refusal(Buffer.from(content), { declaredName: 'a.jpg', declaredType: 'image/jpeg' });
    expect(r).toMatchObject({ status: 415, code: 'unsupported_media_type', field: 'file' });
    expect(r.problem).toContain(words);
    expect(r.problem).toContain('sent as image/jpeg');
  });

  it('refuses a real GIF with 415', async () => {
    const gif = await solid().gif().toBuffer();
    expect(await refusal(gif)).toMatchObject({ status: 415, code: 'unsupported_media_type', problem: expect.stringContaining('a GIF image') });
  });

  it('refuses an empty file with 422 empty_file', async () => {
    expect(await refusal(Buffer.alloc(0))).toMatchObject({ status: 422, code: 'empty_file', field: 'file' });
  });

  it.each([
    ['a JPEG header followed by garbage', async () => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000, 0x41)])],
    ['a PNG signature followed by garbage', async () => Buffer.concat([(await solid().png().toBuffer()).subarray(0, 8), Buffer.alloc(500, 7)])],
    ['a WebP header followed by garbage', async () => Buffer.concat([Buffer.from('RIFF\x24\0\0\0WEBPVP8 ', 'latin1'), Buffer.alloc(500, 9)])],
    ['a truncated JPEG', async () => (await jpegWithGps()).subarray(0, 700)],
    ['a truncated PNG', async () => {
      const png = await sharp({ create: { width: 200, height: 200, channels: 3, background: '#123456' } }).png({ compressionLevel: 0 }).toBuffer();
      return png.subarray(0, png.length / 2);
    }],
  ])('refuses %s with 422 unreadable_image', async (_name, make) => {
    expect(await refusal(await make())).toMatchObject({ status: 422, code: 'unreadable_image', field: 'file' });
  });

  it('refuses a decompression bomb by its header, before decoding', async () => {
    const bomb = hugePng(8000, 6000);
    expect(bomb.length).toBeLessThan(20_000);
    expect(8000 * 6000).toBeGreaterThan(MAX_IMAGE_PIXELS);
    const started = Date.now();
    const r = await refusal(bomb);
    expect(r).toMatchObject({ status: 422, code: 'image_too_large', field: 'file' });
    expect(r.problem).toContain('8000×6000');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('accepts a large image under the pixel limit', async () => {
    const out = await normalizeImage(hugePng(2000, 1500));
    expect(out).toMatchObject({ contentType: 'image/png', width: 2000, height: 1500 });
  });
});
