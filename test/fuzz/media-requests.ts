import type { FuzzRequest } from './fuzz-harness';
import { addresses } from './admin-requests';
import type { SeededRandom } from './seeded-random';

/** Real images to forge from (made with sharp by the test). */
export interface SampleImages {
  jpeg: Buffer;
  png: Buffer;
  webp: Buffer;
  gif: Buffer;
}

interface Part {
  field: string;
  filename?: string;
  type?: string;
  body: Buffer | string;
}

/** A hand-written multipart/form-data body. */
export function multipart(parts: Part[], boundary: string, close = true): Buffer {
  const chunks = parts.flatMap((p) => [
    `--${boundary}\r\nContent-Disposition: form-data; name="${p.field}"${p.filename !== undefined ? `; filename="${p.filename}"` : ''}\r\n`,
    p.type ? `Content-Type: ${p.type}\r\n` : '',
    '\r\n',
    p.body,
    '\r\n',
  ]);
  return Buffer.concat([...chunks, close ? `--${boundary}--\r\n` : ''].map((c) => (typeof c === 'string' ? Buffer.from(c) : c)));
}

/** CRC-32 as PNG chunks use it (zlib.crc32 is not in every Node 20). */
function crc32(bytes: Buffer): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

/** The PNG with its header claiming other dimensions (a decompression bomb's header, with a valid CRC). */
function pngClaiming(png: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(png);
  // Signature (8), IHDR length (4), "IHDR" (4), then width and height; the CRC covers type and data (17 bytes).
  out.writeUInt32BE(width, 16);
  out.writeUInt32BE(height, 20);
  out.writeUInt32BE(crc32(out.subarray(12, 29)), 29);
  return out;
}

const NAMES = ['photo.jpg', 'a.png', 'x.webp', 'IMG_0001.JPG', '../../etc/passwd.jpg', 'con.jpg', '照片.jpg', 'a"b.jpg', 'x.jpg\r\nX-Injected: 1', '', '.jpg', 'a'.repeat(300) + '.jpg'];

/** A file that is not an accepted image, however it is named or declared; what a correct server answers. */
function forged(rng: SeededRandom, img: SampleImages): { what: string; bytes: Buffer; status: number } {
  switch (rng.int(0, 12)) {
    case 0:
      return { what: 'JPEG magic number, then garbage', bytes: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, rng.pick([0xe0, 0xe1, 0xdb])]), rng.bytes(rng.int(0, 4000))]), status: 422 };
    case 1:
      return { what: 'PNG signature, then garbage', bytes: Buffer.concat([img.png.subarray(0, 8), rng.bytes(rng.int(0, 4000))]), status: 422 };
    case 2:
      return { what: 'RIFF WEBP header, then garbage', bytes: Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x10, 0, 0, 0]), Buffer.from('WEBPVP8 '), rng.bytes(rng.int(0, 2000))]), status: 422 };
    case 3: {
      const src = rng.pick([img.jpeg, img.png, img.webp]);
      // Long enough to keep the magic number (a WebP's is 16 bytes), short enough to lose real data.
      const cut = rng.int(Math.max(24, Math.floor(src.length * 0.1)), Math.floor(src.length * 0.8));
      return { what: `a real image cut to ${cut} of ${src.length} bytes`, bytes: src.subarray(0, cut), status: 422 };
    }
    case 4: {
      const junk = Buffer.concat([Buffer.from([rng.pick([0x00, 0x20, 0x3c, 0x7b])]), rng.bytes(rng.int(0, 15))]);
      return { what: `a real image after ${junk.length} junk bytes`, bytes: Buffer.concat([junk, rng.pick([img.jpeg, img.png, img.webp])]), status: 415 };
    }
    case 5:
      return { what: 'zero bytes', bytes: Buffer.alloc(0), status: 422 };
    case 6:
      return {
        what: 'an HTML page',
        bytes: Buffer.from(rng.pick(['<!DOCTYPE html><html><body><script>alert(1)</script></body></html>', '<html><img src=x onerror=alert(1)>', '\uFEFF  <script>alert(1)</script>'])),
        status: 415,
      };
    case 7:
      return { what: 'a GIF', bytes: img.gif, status: 415 };
    case 8:
      return { what: 'an SVG with a script', bytes: Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'), status: 415 };
    case 9:
      return {
        what: 'another format',
        bytes: Buffer.from(rng.pick(['%PDF-1.7\n%%EOF', 'BM\0\0\0\0', 'II*\0garbage', 'PK\u0003\u0004zip', '\0\0\0\u0018ftypheic', 'GIF89a', 'plain text', '#!/bin/sh\nrm -rf /'])),
        status: 415,
      };
    case 10:
      return { what: 'random bytes', bytes: Buffer.concat([Buffer.from([rng.pick([0x00, 0x42, 0x7f, 0xfe])]), rng.bytes(rng.int(0, 3000))]), status: 415 };
    case 11: {
      const [wd, ht] = rng.pick([[100_000, 100_000], [65_535, 65_535], [7000, 7000], [2_000_000, 1]]);
      return { what: `a PNG header claiming ${wd}×${ht} pixels`, bytes: pngClaiming(img.png, wd, ht), status: 422 };
    }
    default:
      return { what: 'a JPEG with its magic number removed', bytes: img.jpeg.subarray(2), status: 415 };
  }
}

type Upload = Omit<FuzzRequest, 'method' | 'path'>;

/** At least `n` bad uploads to POST /api/v1/media, each from an address of its own (30 uploads a minute each). */
export function mediaRequests(rng: SeededRandom, img: SampleImages, n: number, maxBytes: number, auth: string): FuzzRequest[] {
  const next = addresses();
  const out: FuzzRequest[] = [];
  while (out.length < n) {
    const boundary = rng.pick(['wangge-boundary', `----WebKitFormBoundary${rng.string(16)}`, 'x', `${rng.string(40)}`]);
    const formData = (label: string, parts: Part[], expect: Upload['expect'], close = true): Upload => ({
      label,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      body: multipart(parts, boundary, close),
      expect,
    });
    const image = (body: Buffer = rng.pick([img.jpeg, img.png, img.webp]), field = 'file'): Part => ({ field, filename: 'a.jpg', type: 'image/jpeg', body });
    const f = forged(rng, img);
    const noFile = { status: 400, fields: ['file'] };
    let req: Upload;
    switch (rng.int(0, 13)) {
      case 0:
      case 1:
      case 2:
      case 3: {
        const name = rng.pick(NAMES);
        const type = rng.pick(['image/jpeg', 'image/png', 'application/octet-stream', 'text/html', 'image/svg+xml', '']);
        // An empty or broken filename makes the part a plain field for busboy: then "no photo" (400) is right too.
        const status = name === '' || name.includes('"') ? [400, f.status] : f.status;
        const part = { field: 'file', filename: name.replace(/\r\n/g, ' '), type, body: f.bytes };
        req = formData(`${f.what} named ${JSON.stringify(name.slice(0, 40))} sent as ${type || '(no type)'}`, [part], { status, fields: ['file'] });
        break;
      }
      case 4:
        req = formData('no file, only text fields', rng.chance(0.5) ? [{ field: 'caption', body: 'x' }] : [], noFile);
        break;
      case 5: {
        const field = rng.pick(['image', 'files', 'file[]', 'FILE', 'photo', 'file ', 'upload']);
        req = formData(`the image in field ${JSON.stringify(field)}`, [image(undefined, field)], noFile);
        break;
      }
      case 6:
        req = formData('two files in the field file', [image(), image()], noFile);
        break;
      case 7: {
        const [ct, body] = rng.pick<[string | null, Buffer | string]>([
          ['application/json', '{"file":"aGVsbG8="}'],
          ['image/jpeg', img.jpeg],
          ['application/octet-stream', img.png],
          ['text/plain', 'file=photo.jpg'],
          ['application/x-www-form-urlencoded', 'file=photo.jpg'],
          [null, img.webp],
          ['multipart/mixed; boundary=x', multipart([image()], 'x')],
          ['multipart/related; boundary=x', multipart([image()], 'x')],
        ]);
        req = { label: `not multipart/form-data: ${ct ?? '(no content type)'}`, headers: ct ? { 'content-type': ct } : {}, body, expect: { status: 415, fields: ['file'] } };
        break;
      }
      case 8: {
        const whole = formData('', [image()], noFile).body as Buffer;
        const cut = rng.int(1, whole.length - `--${boundary}--\r\n`.length - 3);
        req = { ...formData(`multipart cut at byte ${cut} of ${whole.length}`, [], noFile), body: whole.subarray(0, cut) };
        break;
      }
      case 9:
        req = formData('multipart without its closing boundary', [image()], noFile, false);
        break;
      case 10: {
        const declared = rng.pick([`multipart/form-data; boundary=other-${rng.string(8)}`, 'multipart/form-data', 'multipart/form-data; boundary=', 'multipart/form-data; boundary="unterminated']);
        req = { ...formData(`body boundary ${boundary}, header ${declared}`, [image()], noFile), headers: { 'content-type': declared } };
        break;
      }
      case 11: {
        const many = Array.from({ length: rng.int(6, 12) }, (_, i) => ({ field: `f${i}`, body: 'x' }));
        req = formData(`${many.length} text fields before the file`, [...many, image(f.bytes)], { status: 400, fields: ['form'] });
        break;
      }
      case 12:
        req = formData('a 17 KiB text field before a forged file', [{ field: 'caption', body: 'x'.repeat(17 * 1024) }, image(f.bytes)], { status: 400, fields: ['caption'] });
        break;
      default: {
        const big = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(maxBytes + rng.int(1, 1024), 0x5a)]);
        req = formData(`a file of ${big.length} bytes (limit ${maxBytes})`, [image(big)], { status: 413, fields: ['file'] });
      }
    }
    const signedIn = rng.chance(0.2);
    const headers = { ...req.headers, 'x-forwarded-for': next(), ...(signedIn ? { authorization: auth } : {}) };
    out.push({ ...req, label: `${signedIn ? '[warden1] ' : ''}${req.label}`, method: 'POST', path: '/api/v1/media', headers });
  }
  return out;
}
