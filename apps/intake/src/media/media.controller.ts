import { Controller, Get, Headers, HttpCode, HttpStatus, Inject, Ip, Param, Post, Res, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-fastify/multipart';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiProduces,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnprocessableEntityResponse,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import { SkipThrottle, Throttle } from '@nestjs/throttler';
import type { FastifyReply } from 'fastify';
import { CurrentUser, Public, type AuthUser } from '@wangge/auth';
import { IMAGE_CONTENT_TYPES, MediaService } from '@wangge/media';
import { ApiError } from '@wangge/operations';
import { MEDIA_UPLOAD_BODY, MediaIdParams, MediaUploadedDto, type UploadedImageFile } from './media.dto';
import { missingFileError, MultipartErrorsInterceptor } from './multipart-errors.interceptor';
import { RateLimit } from '../throttling/rate-limit.decorator';

/** Uploads per minute from one IP address. */
export const MEDIA_UPLOADS_PER_MINUTE = 30;

@ApiTags('media')
@Controller('api/v1/media')
export class MediaController {
  constructor(@Inject(MediaService) private readonly media: MediaService) {}

  @Post()
  @Public()
  @HttpCode(HttpStatus.CREATED)
  @RateLimit('default')
  @Throttle({ default: { limit: MEDIA_UPLOADS_PER_MINUTE, ttl: 60_000 } })
  @UseInterceptors(MultipartErrorsInterceptor, FileInterceptor('file'))
  @ApiOperation({ summary: 'Upload a photo (JPEG, PNG or WebP; anonymous allowed): checked by content, EXIF GPS removed' })
  @ApiConsumes('multipart/form-data')
  @ApiBody(MEDIA_UPLOAD_BODY)
  @ApiCreatedResponse({ type: MediaUploadedDto })
  @ApiPayloadTooLargeResponse({ description: 'payload_too_large: larger than MEDIA_MAX_BYTES' })
  @ApiUnsupportedMediaTypeResponse({ description: 'unsupported_media_type: not a JPEG, PNG or WebP image, or not multipart/form-data' })
  @ApiUnprocessableEntityResponse({ description: 'unreadable_image, image_too_large or empty_file' })
  @ApiTooManyRequestsResponse({
    description: `more than ${MEDIA_UPLOADS_PER_MINUTE} uploads a minute from one address, or upload_quota_exceeded: MEDIA_QUOTA_BYTES_PER_HOUR used up (per account, else per address; Retry-After)`,
  })
  @ApiServiceUnavailableResponse({ description: 'decoder_busy: MEDIA_DECODE_CONCURRENCY photos are being decoded and MEDIA_DECODE_QUEUE wait (Retry-After)' })
  upload(
    @UploadedFile() file: UploadedImageFile | undefined,
    @Headers('content-type') contentType: string | undefined,
    @CurrentUser() user: AuthUser | undefined,
    @Ip() address: string,
  ): Promise<MediaUploadedDto> {
    if (!file) throw missingFileError(contentType);
    return this.media.upload(file.buffer, { declaredName: file.originalname, declaredType: file.mimetype }, { user, address });
  }

  @Get(':id')
  @Public()
  @SkipThrottle({ default: true, reports: true })
  @ApiOperation({ summary: 'Download a photo (immutable: cache it forever)' })
  @ApiProduces(...IMAGE_CONTENT_TYPES)
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  @ApiNotFoundResponse({ description: 'no photo with this id' })
  async download(@Param() params: MediaIdParams, @Res({ passthrough: true }) res: FastifyReply): Promise<StreamableFile> {
    const media = await this.media.open(params.id);
    if (!media) throw new ApiError(HttpStatus.NOT_FOUND, 'not_found', `media ${params.id} not found / 未找到该照片`);
    res.header('Cache-Control', 'public, max-age=31536000, immutable');
    res.header('X-Content-Type-Options', 'nosniff');
    res.header('ETag', `"${media.sha256}"`);
    return new StreamableFile(media.stream, { type: media.contentType, length: media.bytes });
  }
}
