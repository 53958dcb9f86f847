/** The image types `POST /media` accepts, named by what the bytes are, never by what the client says. */
export const IMAGE_CONTENT_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;

/** One of {@link IMAGE_CONTENT_TYPES}. */
export type ImageContentType = (typeof IMAGE_CONTENT_TYPES)[number];

/** The file extension stored objects of each type get. */
export const IMAGE_EXTENSIONS: Record<ImageContentType, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
};

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const WEBP_CHUNKS = ['VP8 ', 'VP8L', 'VP8X'];

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  return bytes.length >= at + prefix.length && prefix.every((b, i) => bytes[at + i] === b);
}

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return Buffer.from(bytes.subarray(from, to)).toString('latin1');
}

/**
 * The accepted image type the bytes start with (magic numbers only; a real decode must follow),
 * or null when they are not a JPEG, PNG or WebP file.
 */
export function sniffImageType(bytes: Uint8Array): ImageContentType | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, PNG_SIGNATURE)) return 'image/png';
  if (bytes.length >= 16 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP' && WEBP_CHUNKS.includes(ascii(bytes, 12, 16))) {
    return 'image/webp';
  }
  return null;
}

/**
 * What bytes that are not an accepted image look like, in words for an error message:
 * `a GIF image`, `an SVG image`, `an HTML document`, `a PDF document`, … or `an unknown format`.
 */
export function describeContent(bytes: Uint8Array): string {
  if (bytes.length === 0) return 'an empty file';
  const head = ascii(bytes, 0, Math.min(bytes.length, 1024));
  if (head.startsWith('GIF87a') || head.startsWith('GIF89a')) return 'a GIF image';
  if (head.startsWith('%PDF-')) return 'a PDF document';
  if (head.startsWith('BM')) return 'a BMP image';
  if (head.startsWith('II*\0') || head.startsWith('MM\0*')) return 'a TIFF image';
  if (head.startsWith('PK\x03\x04')) return 'a ZIP archive';
  if (head.slice(4, 8) === 'ftyp') {
    const brand = head.slice(8, 12);
    if (brand.startsWith('avi')) return 'an AVIF image';
    if (['heic', 'heix', 'mif1', 'msf1', 'hevc'].includes(brand)) return 'a HEIC image';
    return 'a video or ISO media file';
  }
  if (head.startsWith('RIFF')) return 'a RIFF file that is not WebP';
  const text = head.replace(/^\xEF\xBB\xBF/, '').trimStart().toLowerCase(); // less a UTF-8 byte order mark
  if (text.startsWith('<svg') || (text.startsWith('<?xml') && text.includes('<svg'))) return 'an SVG image';
  if (/^<(!doctype html|html|head|body|script|iframe|meta|div|a\s)/.test(text)) return 'an HTML document';
  if (text.startsWith('<')) return 'an XML or HTML document';
  return 'an unknown format';
}
