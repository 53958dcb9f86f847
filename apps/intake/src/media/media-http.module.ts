import { Module } from '@nestjs/common';
import { MultipartModule } from '@nestjs/platform-fastify/multipart';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import { MediaModule } from '@wangge/media';
import { MediaController } from './media.controller';

/**
 * `POST /api/v1/media` and `GET /api/v1/media/:id`. The upload interceptor keeps the one file in memory (no `dest`,
 * no storage engine), limited to MEDIA_MAX_BYTES.
 */
@Module({
  imports: [
    MediaModule,
    MultipartModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ limits: { fileSize: config.mediaMaxBytes, files: 1, fields: 5, fieldSize: 16 * 1024 } }),
    }),
  ],
  controllers: [MediaController],
})
export class MediaHttpModule {}
