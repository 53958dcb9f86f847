import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import { LocalMediaStorage } from './local-media-storage';
import { MEDIA_STORAGE } from './media-storage';
import { MediaService } from './media.service';

/** {@link MediaService} over the local media folder (`MEDIA_DIR`). Needs the database and APP_CONFIG. */
@Module({
  providers: [
    { provide: MEDIA_STORAGE, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new LocalMediaStorage(config.mediaDir) },
    MediaService,
  ],
  exports: [MediaService],
})
export class MediaModule {}
