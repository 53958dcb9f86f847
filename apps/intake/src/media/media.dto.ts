import { ApiProperty, type ApiBodyOptions } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { IMAGE_CONTENT_TYPES, type ImageContentType, type StoredMedia } from '@wangge/media';

/** The part of the uploaded file (multer's shape, kept in memory) that the upload reads. */
export interface UploadedImageFile {
  fieldname: string;
  originalname: string;
  mimetype: string;
  size: number;
  buffer: Buffer;
}

/** OpenAPI body of `POST /media`: one binary field `file`. */
export const MEDIA_UPLOAD_BODY: ApiBodyOptions = {
  schema: {
    type: 'object',
    required: ['file'],
    properties: { file: { type: 'string', format: 'binary', description: 'a JPEG, PNG or WebP photo' } },
  },
};

export class MediaIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'id must be a UUID' })
  id: string;
}

export class MediaUploadedDto implements StoredMedia {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '/api/v1/media/0b6f6c1e-2f55-4a55-9a43-5d1c7f3f0c8e' }) url: string;
  @ApiProperty({ enum: IMAGE_CONTENT_TYPES, description: 'decided by the bytes, not by the name or declared type' }) contentType: ImageContentType;
  @ApiProperty({ description: 'size of the stored image (re-encoded, metadata removed)' }) bytes: number;
  @ApiProperty() width: number;
  @ApiProperty() height: number;
}
