import { HttpStatus } from '@nestjs/common';
import { ApiError } from '@wangge/operations';

/** Codes of the refusals of an uploaded file (all name the form field `file`). */
export type MediaRefusal = 'empty_file' | 'unsupported_media_type' | 'unreadable_image' | 'image_too_large';

const STATUS: Record<MediaRefusal, HttpStatus> = {
  empty_file: HttpStatus.UNPROCESSABLE_ENTITY,
  unsupported_media_type: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  unreadable_image: HttpStatus.UNPROCESSABLE_ENTITY,
  image_too_large: HttpStatus.UNPROCESSABLE_ENTITY,
};

const MESSAGE: Record<MediaRefusal, string> = {
  empty_file: 'the file is empty / 文件为空',
  unsupported_media_type: 'only JPEG, PNG and WebP photos are accepted / 仅支持 JPEG、PNG、WebP 格式的照片',
  unreadable_image: 'the file is not a readable image / 图片已损坏或无法识别',
  image_too_large: 'the image has too many pixels / 图片像素过大',
};

/** The ApiError (415 or 422, field `file`) for a refused upload. */
export function refuseFile(code: MediaRefusal, problem: string): ApiError {
  return new ApiError(STATUS[code], code, MESSAGE[code], [{ field: 'file', problem }]);
}
