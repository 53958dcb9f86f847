import sharp, { type Sharp, type SharpOptions } from 'sharp';
import { describeContent, sniffImageType, type ImageContentType } from './image-type';
import { refuseFile } from './media-errors';

/** Larger images are refused before they are decoded (decompression bombs). */
export const MAX_IMAGE_PIXELS = 40_000_000;

/** What the client said about the file: used in messages only, never to decide anything. */
export interface DeclaredFile {
  declaredName?: string;
  declaredType?: string;
}

/** An accepted image as it will be stored: re-encoded, upright, without metadata. */
export interface NormalizedImage {
  bytes: Buffer;
  contentType: ImageContentType;
  width: number;
  height: number;
}

const FORMAT = { 'image/jpeg': 'jpeg', 'image/png': 'png', 'image/webp': 'webp' } as const satisfies Record<ImageContentType, string>;

/** Re-encoding: lossy formats at a high quality; PNG stays lossless (a `quality` would quantize it). */
function encode(image: Sharp, contentType: ImageContentType): Sharp {
  switch (contentType) {
    case 'image/jpeg':
      return image.jpeg({ quality: 90 });
    case 'image/png':
      return image.png();
    case 'image/webp':
      return image.webp({ quality: 90 });
  }
}

/** Untrusted input: abort on any decoder warning, never decode past the pixel limit. */
const INPUT: SharpOptions = { failOn: 'warning', limitInputPixels: MAX_IMAGE_PIXELS };

function declared(file: DeclaredFile): string {
  const parts = [file.declaredName && `named ${JSON.stringify(file.declaredName.slice(0, 80))}`, file.declaredType && `sent as ${file.declaredType.slice(0, 80)}`];
  const said = parts.filter(Boolean).join(', ');
  return said ? ` (${said})` : '';
}

/**
 * Checks that the bytes are a JPEG, PNG or WebP image by magic number and by a full decode, then
 * re-encodes it in the same format: EXIF orientation applied, every piece of metadata (EXIF with
 * GPS, XMP, comments) dropped. Throws a MediaError (415 or 422, field `file`) otherwise.
 */
export async function normalizeImage(bytes: Buffer, file: DeclaredFile = {}): Promise<NormalizedImage> {
  if (bytes.length === 0) throw refuseFile('empty_file', 'the file has no bytes');
  const contentType = sniffImageType(bytes);
  if (!contentType) {
    throw refuseFile('unsupported_media_type', `the content is ${describeContent(bytes)}${declared(file)}; accepted: JPEG, PNG, WebP`);
  }
  const format = FORMAT[contentType];
  const unreadable = () => refuseFile('unreadable_image', `starts like a ${format.toUpperCase()} image but does not decode as one (corrupt, truncated or forged)`);

  const header = await sharp(bytes, { ...INPUT, limitInputPixels: false }).metadata().catch(() => null);
  if (!header || header.format !== format || !header.width || !header.height) throw unreadable();
  if (header.width * header.height > MAX_IMAGE_PIXELS) {
    throw refuseFile('image_too_large', `${header.width}×${header.height} pixels; at most ${MAX_IMAGE_PIXELS / 1_000_000} megapixels`);
  }

  try {
    const { data, info } = await encode(sharp(bytes, INPUT).autoOrient(), contentType).toBuffer({ resolveWithObject: true });
    return { bytes: data, contentType, width: info.width, height: info.height };
  } catch {
    throw unreadable();
  }
}
