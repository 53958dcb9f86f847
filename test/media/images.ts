import exifReader from 'exif-reader';
import sharp from 'sharp';

/** EXIF GPS of a spot in 管城回族区 (34°44'24.06" N, 113°40'48" E). */
export const GPS_EXIF = {
  IFD0: { Make: 'WanggeCam', Model: 'Test 1' },
  IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '34/1 44/1 2406/100', GPSLongitudeRef: 'E', GPSLongitude: '113/1 40/1 4800/100' },
};

/** Photo-like pixels (a pattern that does not compress to nothing), so sizes are realistic. */
function pixels(width: number, height: number) {
  const data = Buffer.alloc(width * height * 3).map((_, i) => (i * 37 + (i >> 7) * 11) % 251);
  return sharp(data, { raw: { width, height, channels: 3 } });
}

/** A JPEG carrying EXIF GPS, camera make and an orientation tag (6: stored sideways). */
export const jpegWithGps = (width = 320, height = 240) => pixels(width, height).jpeg({ quality: 92 }).withMetadata({ orientation: 6 }).withExif(GPS_EXIF).toBuffer();
export const png = () => pixels(120, 80).png().toBuffer();
export const webp = () => pixels(120, 80).webp().withExif(GPS_EXIF).toBuffer();
export const gif = () => pixels(40, 30).gif().toBuffer();

/** The GPS block of an image's EXIF, or undefined when it has none (or no EXIF at all). */
export async function gpsOf(image: Buffer): Promise<Record<string, unknown> | undefined> {
  const { exif } = await sharp(image).metadata();
  return exif ? exifReader(exif).GPSInfo : undefined;
}
