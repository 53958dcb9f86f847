import { AppError, type ErrorKind } from '@wangge/operations';
import type { GeoReportErrorItem } from './georeport';

/** The statuses GeoReport v2 errors use (plus 409 for an Idempotency-Key conflict and 429 when throttled). */
export type Open311Status = 400 | 403 | 404 | 409 | 413 | 415 | 429;

/** Each Open311 status as a code and the kind of error it is (the kind decides the status, in `@wangge/operations`). */
export const OPEN311_ERROR_KIND: Readonly<Record<Open311Status, { code: string; kind: ErrorKind }>> = {
  400: { code: 'bad_request', kind: 'invalid' },
  403: { code: 'forbidden', kind: 'forbidden' },
  404: { code: 'not_found', kind: 'not_found' },
  409: { code: 'conflict', kind: 'conflict' },
  413: { code: 'payload_too_large', kind: 'payload_too_large' },
  415: { code: 'unsupported_media_type', kind: 'unsupported_media_type' },
  429: { code: 'too_many_requests', kind: 'too_many' },
};

/**
 * A refused Open311 request: one HTTP status and one or more descriptions, written by the
 * Open311 error format as `errors/error{code, description}` in the requested format.
 */
export class Open311Error extends AppError {
  declare readonly status: Open311Status;
  readonly descriptions: string[];

  constructor(status: Open311Status, description: string | string[]) {
    const descriptions = Array.isArray(description) ? description : [description];
    super(OPEN311_ERROR_KIND[status].code, OPEN311_ERROR_KIND[status].kind, descriptions.join('; '));
    this.descriptions = descriptions;
  }

  get items(): GeoReportErrorItem[] {
    return this.descriptions.map((description) => ({ code: this.status, description }));
  }

  static badRequest(description: string | string[]): Open311Error {
    return new Open311Error(400, description);
  }

  static notFound(description: string): Open311Error {
    return new Open311Error(404, description);
  }

  static forbidden(description: string): Open311Error {
    return new Open311Error(403, description);
  }
}
