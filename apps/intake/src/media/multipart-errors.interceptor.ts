import { CallHandler, ExecutionContext, HttpException, HttpStatus, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { catchError, throwError, type Observable } from 'rxjs';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import { ApiError } from '@wangge/operations';

/** The fields a multipart limit names, in multer's codes (what the upload interceptor reports). */
interface MultipartFailure {
  code?: string;
  field?: string;
  message: string;
}

/** The upload interceptor's messages for multer's codes (`File too large`, `Unexpected file field - photo`). */
const LIMIT_CODES: Record<string, string> = {
  'Too many parts': 'LIMIT_PART_COUNT',
  'File too large': 'LIMIT_FILE_SIZE',
  'Too many files': 'LIMIT_FILE_COUNT',
  'Field name too long': 'LIMIT_FIELD_KEY',
  'Field value too long': 'LIMIT_FIELD_VALUE',
  'Too many fields': 'LIMIT_FIELD_COUNT',
  'Unexpected file field': 'LIMIT_UNEXPECTED_FILE',
  'Field name missing': 'MISSING_FIELD_NAME',
};

/** Errors the multipart parser raises about the request itself (not a coded limit). */
const REQUEST_ERRORS = ['Multipart: Boundary not found', 'Multipart: Unexpected end of', 'Malformed part header', 'Unexpected end of', 'Request aborted', 'Request closed', 'Premature close'];

function failureOf(err: unknown): MultipartFailure | null {
  // The upload interceptor maps the parser's errors to HttpExceptions with multer's messages.
  if (!(err instanceof HttpException) || (err.getStatus() !== 400 && err.getStatus() !== 413)) return null;
  const message = err.message;
  const m = /^(.+?)(?: - (.*))?$/.exec(message);
  const code = m ? LIMIT_CODES[m[1]] : undefined;
  if (code) return { code, field: m?.[2], message };
  return REQUEST_ERRORS.some((r) => message.startsWith(r)) ? { message } : null;
}

/** 10485760 → `10 MiB`, 20000 → `19.5 KiB`. */
function size(bytes: number): string {
  const [value, unit] = bytes >= 1024 * 1024 ? [bytes / 1024 / 1024, 'MiB'] : [bytes / 1024, 'KiB'];
  return `${Math.round(value * 10) / 10} ${unit}`;
}

/** The ApiError for a multipart body the upload refused, or null when the error is not the upload's. */
export function multipartError(err: unknown, maxBytes: number): ApiError | null {
  const failure = failureOf(err);
  if (!failure) return null;
  const bad = (field: string, problem: string, message = 'bad multipart upload / 上传内容格式错误') => ApiError.badInput([{ field, problem }], message);
  switch (failure.code) {
    case 'LIMIT_FILE_SIZE':
      return new ApiError(HttpStatus.PAYLOAD_TOO_LARGE, 'payload_too_large', `the photo is larger than ${size(maxBytes)} / 照片超过 ${size(maxBytes)}`, [
        { field: 'file', problem: `larger than ${maxBytes} bytes` },
      ]);
    case 'LIMIT_UNEXPECTED_FILE':
      return bad('file', `send the image in the form field "file", not "${(failure.field ?? '').slice(0, 100)}"`, 'unexpected file field / 文件字段名应为 file');
    case 'LIMIT_FILE_COUNT':
      return bad('file', 'send exactly one file', 'only one photo per upload / 每次只能上传一张照片');
    case 'LIMIT_FIELD_COUNT':
    case 'LIMIT_PART_COUNT':
      return bad('form', 'too many form fields: send the image in "file" and little else');
    case undefined:
      if (failure.message.startsWith('Unsupported content type')) {
        return new ApiError(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'unsupported_media_type', 'send multipart/form-data / 请以 multipart/form-data 上传', [
          { field: 'file', problem: 'the request must be multipart/form-data' },
        ]);
      }
      return bad('file', `the multipart body is malformed or incomplete (${failure.message})`);
    default:
      return bad(failure.field?.slice(0, 100) ?? 'form', failure.message);
  }
}

/** The 400 (or 415, when the request is not multipart at all) for an upload without a file. */
export function missingFileError(contentType: string | undefined): ApiError {
  if (!/^multipart\/form-data\b/i.test(contentType ?? '')) {
    return new ApiError(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'unsupported_media_type', 'send multipart/form-data / 请以 multipart/form-data 上传', [
      { field: 'file', problem: 'the request must be multipart/form-data with the image in the field "file"' },
    ]);
  }
  return ApiError.badInput([{ field: 'file', problem: 'required: the image, as a file in this form field' }], 'no photo in the upload / 未收到照片');
}

/**
 * Bound outside `FileInterceptor`: turns what the multipart parser throws about a bad multipart body
 * (too large, wrong or extra file field, truncated, no boundary) into the platform's 4xx errors
 * naming the field, instead of bare messages or a 500.
 */
@Injectable()
export class MultipartErrorsInterceptor implements NestInterceptor {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(catchError((err: unknown) => throwError(() => multipartError(err, this.config.mediaMaxBytes) ?? err)));
  }
}
