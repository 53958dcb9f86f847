import { AppError, type ErrorKind } from '@wangge/operations';

/** Codes of the refusals of an uploaded file (all name the form field `file`). */
export type MediaRefusal = 'empty_file' | 'unsupported_media_type' | 'unreadable_image' | 'image_too_large' | 'upload_quota_exceeded' | 'decoder_busy';

export const MEDIA_ERROR_KIND: Readonly<Record<MediaRefusal, ErrorKind>> = {
  empty_file: 'unprocessable',
  unsupported_media_type: 'unsupported_media_type',
  unreadable_image: 'unprocessable',
  image_too_large: 'unprocessable',
  upload_quota_exceeded: 'too_many',
  decoder_busy: 'unavailable',
};

const MESSAGE: Record<MediaRefusal, string> = {
  empty_file: 'the file is empty / 文件为空',
  unsupported_media_type: 'only JPEG, PNG and WebP photos are accepted / 仅支持 JPEG、PNG、WebP 格式的照片',
  unreadable_image: 'the file is not a readable image / 图片已损坏或无法识别',
  image_too_large: 'the image has too many pixels / 图片像素过大',
  upload_quota_exceeded: 'upload quota reached: try again later / 上传量已达上限，请稍后再试',
  decoder_busy: 'too many photos are being processed: try again shortly / 照片处理繁忙，请稍后重试',
};

/** A refused upload (415, 422, 429 or 503): the message says what is wrong in general, the one detail (field `file`) this file's problem. */
export class MediaError extends AppError<MediaRefusal> {
  constructor(code: MediaRefusal, problem: string, retryAfterSeconds?: number) {
    super(code, MEDIA_ERROR_KIND[code], MESSAGE[code], { details: [{ field: 'file', problem }], retryAfterSeconds });
  }
}

/** The MediaError (415, 422, or with a Retry-After 429 and 503; field `file`) for a refused upload. */
export function refuseFile(code: MediaRefusal, problem: string, retryAfterSeconds?: number): MediaError {
  return new MediaError(code, problem, retryAfterSeconds);
}
