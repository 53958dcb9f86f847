import { Module } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import { REDIS_NAMESPACE, type RedisNamespace } from '@wangge/jobs';
import { REDIS } from '@wangge/operations';
import { DecodeLimiter } from './decode-limiter';
import { LocalMediaStorage } from './local-media-storage';
import { MEDIA_STORAGE } from './media-storage';
import { MediaService } from './media.service';
import { OrphanMediaPurger } from './orphan-media.purger';
import { UploadQuota } from './upload-quota';

/**
 * {@link MediaService} over the local media folder (`MEDIA_DIR`), with the process's decode limit
 * and the shared upload quota; {@link OrphanMediaPurger} for the dispatcher. Needs the database,
 * APP_CONFIG, and the process's Redis connection and namespace.
 */
@Module({
  providers: [
    { provide: MEDIA_STORAGE, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new LocalMediaStorage(config.mediaDir) },
    { provide: DecodeLimiter, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new DecodeLimiter(config.media.decodeConcurrency, config.media.decodeQueue) },
    {
      provide: UploadQuota,
      inject: [REDIS, REDIS_NAMESPACE, APP_CONFIG],
      useFactory: (redis: Redis, keys: RedisNamespace, config: AppConfig) => new UploadQuota(redis, keys.prefix, config.media.quotaBytesPerHour),
    },
    MediaService,
    OrphanMediaPurger,
  ],
  exports: [MediaService, OrphanMediaPurger, DecodeLimiter],
})
export class MediaModule {}
