import { createHash, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AuthUser } from '@wangge/auth';
import { DecodeLimiter } from './decode-limiter';
import { normalizeImage, type DeclaredFile } from './image-normalizer';
import type { ImageContentType } from './image-type';
import { MEDIA_STORAGE, type MediaStorage } from './media-storage';
import { mediaStorageKey } from './storage-key';
import { uploadClient, UploadQuota } from './upload-quota';

/** What `POST /media` answers for a stored image. */
export interface StoredMedia {
  id: string;
  /** Where to download it: `/api/v1/media/<id>`. */
  url: string;
  contentType: ImageContentType;
  /** Size of the stored (re-encoded) bytes. */
  bytes: number;
  width: number;
  height: number;
}

/** Who sends an upload: the signed-in user, if any, and the client's address (the quota counts per user, else per address). */
export interface UploadSender {
  user?: AuthUser;
  address?: string;
}

/** A stored image opened for download. */
export interface MediaDownload {
  id: string;
  contentType: ImageContentType;
  bytes: number;
  sha256: string;
  stream: Readable;
}

interface MediaRow {
  storage_key: string;
  content_type: ImageContentType;
  bytes: number;
  sha256: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The download path of a media object. */
export function mediaUrl(id: string): string {
  return `/api/v1/media/${id}`;
}

/** Photos attached to reports and case actions: checked, cleaned, stored, recorded. */
@Injectable()
export class MediaService {
  private readonly logger = new Logger(MediaService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(MEDIA_STORAGE) private readonly storage: MediaStorage,
    @Inject(DecodeLimiter) private readonly decoders: DecodeLimiter,
    @Inject(UploadQuota) private readonly quota: UploadQuota,
  ) {}

  /**
   * Stores an uploaded photo: its type decided by its bytes (JPEG, PNG or WebP, fully decoded),
   * re-encoded upright without metadata (so without EXIF GPS), then recorded with its sha256 and
   * uploader. The row is written only once the file is stored; if writing it fails, the file is
   * removed. Throws a 415/422 MediaError naming `file` for anything that is not such an image, a
   * 429 when the sender's hourly byte quota is used up, a 503 when too many photos wait for a decoder.
   */
  async upload(buffer: Buffer, declared: DeclaredFile, sender: UploadSender = {}): Promise<StoredMedia> {
    const uploader = sender.user;
    await this.quota.take(uploadClient(uploader, sender.address), buffer.length);
    const image = await this.decoders.run(() => normalizeImage(buffer, declared));
    const id = randomUUID();
    const key = mediaStorageKey(id, image.contentType, new Date());
    const sha256 = createHash('sha256').update(image.bytes).digest('hex');
    await this.storage.put(key, image.bytes, image.contentType);
    try {
      await this.db.query(
        `INSERT INTO media (id, storage_key, content_type, bytes, width, height, sha256, uploaded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [id, key, image.contentType, image.bytes.length, image.width, image.height, sha256, uploader?.id ?? null],
      );
    } catch (err) {
      await this.storage.delete(key).catch((e: unknown) => this.logger.error(`media ${id}: could not remove ${key} after a failed insert: ${String(e)}`));
      throw err;
    }
    return { id, url: mediaUrl(id), contentType: image.contentType, bytes: image.bytes.length, width: image.width, height: image.height };
  }

  /** Opens a stored photo for download; null when the id is unknown (or not a UUID). */
  async open(id: string): Promise<MediaDownload | null> {
    if (!UUID.test(id)) return null;
    const rows = (await this.db.query(`SELECT storage_key, content_type, bytes, sha256 FROM media WHERE id = $1`, [id])) as MediaRow[];
    const row = rows[0];
    if (!row) return null;
    const stream = await this.storage.open(row.storage_key);
    if (!stream) {
      this.logger.error(`media ${id}: recorded, but nothing is stored under ${row.storage_key}`);
      return null;
    }
    return { id, contentType: row.content_type, bytes: row.bytes, sha256: row.sha256, stream };
  }
}
