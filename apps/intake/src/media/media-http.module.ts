import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import { MediaModule } from '@wangge/media';
import { MediaController } from './media.controller';

/**
 * `POST /api/v1/media` and `GET /api/v1/media/:id`. Multer keeps the one file in memory (no `dest`,
 * no storage engine), limited to MEDIA_MAX_BYTES.
 */
@Module({
  imports: [
    MediaModule,
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ limits: { fileSize: config.mediaMaxBytes, files: 1, fields: 5, fieldSize: 16 * 1024 } }),
    }),
  ],
  controllers: [MediaController],
})
export class MediaHttpModule {}
