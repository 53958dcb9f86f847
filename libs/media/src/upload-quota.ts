import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { AuthUser } from '@wangge/auth';
import { refuseFile } from './media-errors';

const HOUR_MS = 3_600_000;

/** Who an upload counts against: a staff account by its id, an anonymous client by its address. */
export function uploadClient(user: AuthUser | undefined, address: string | undefined): string {
  return user ? `user:${user.id}` : `address:${address ?? 'unknown'}`;
}

/** 10485760 → `10 MiB`. */
function mib(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;
}

/**
 * The byte quota of uploads (MEDIA_QUOTA_BYTES_PER_HOUR) per client and clock hour, counted in Redis
 * so every intake process shares it. The bytes received are counted before the photo is decoded
 * (decoding is what costs); a refused upload gives its bytes back and stores nothing. While Redis is
 * out of reach the quota is not enforced (uploads go on, as reports do), and that is logged.
 */
export class UploadQuota {
  private readonly logger = new Logger('media');
  private warnedAt = 0;

  constructor(
    private readonly redis: Redis,
    /** The database's Redis key prefix. */
    private readonly prefix: string,
    /** Bytes per client and hour; 0: no quota. */
    readonly bytesPerHour: number,
  ) {}

  /** Counts `bytes` against the client's hour; throws the 429 MediaError (field `file`) when they do not fit. */
  async take(client: string, bytes: number, now: Date = new Date()): Promise<void> {
    if (this.bytesPerHour <= 0) return;
    const hour = Math.floor(now.getTime() / HOUR_MS);
    const key = `${this.prefix}:media-quota:${hour}:${client}`;
    let used: number;
    try {
      const [[incrErr, total], [expireErr]] = (await this.redis.multi().incrby(key, bytes).pexpire(key, 2 * HOUR_MS).exec()) ?? [[new Error('no reply')], [null]];
      if (incrErr || expireErr) throw incrErr ?? expireErr;
      used = Number(total);
    } catch (err) {
      if (Date.now() - this.warnedAt > 60_000) {
        this.warnedAt = Date.now();
        this.logger.warn(`upload quota not enforced: Redis unavailable (${err instanceof Error ? err.message : String(err)})`);
      }
      return;
    }
    if (used <= this.bytesPerHour) return;
    await this.redis.decrby(key, bytes).catch(() => undefined);
    const retryAfter = Math.max(1, Math.ceil(((hour + 1) * HOUR_MS - now.getTime()) / 1000));
    throw refuseFile(
      'upload_quota_exceeded',
      `MEDIA_QUOTA_BYTES_PER_HOUR is ${this.bytesPerHour} bytes (${mib(this.bytesPerHour)}) per ${client.startsWith('user:') ? 'account' : 'address'} and hour; ${Math.max(0, used - bytes)} used this hour, this photo has ${bytes}`,
      retryAfter,
    );
  }
}
