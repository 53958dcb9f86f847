import type { GeoReportErrorItem } from './georeport';

/** The statuses GeoReport v2 errors use (plus 409 for an Idempotency-Key conflict and 429 when throttled). */
export type Open311Status = 400 | 403 | 404 | 409 | 413 | 415 | 429;

/**
 * A refused Open311 request: one HTTP status and one or more descriptions, written by the
 * Open311 filter as `errors/error{code, description}` in the requested format.
 */
export class Open311Error extends Error {
  readonly descriptions: string[];

  constructor(
    readonly status: Open311Status,
    description: string | string[],
  ) {
    const descriptions = Array.isArray(description) ? description : [description];
    super(descriptions.join('; '));
    this.name = 'Open311Error';
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
