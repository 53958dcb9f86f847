/** One problem with the input, naming the field (a JSON path, a form field, or `file:feature`). */
export interface FieldProblem {
  field: string;
  problem: string;
}

/**
 * What kind of refusal an error is. The one place a kind becomes an HTTP status is
 * {@link STATUS_OF_KIND}; each lib maps its codes to kinds, never to statuses.
 */
export type ErrorKind =
  | 'invalid'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'unprocessable'
  | 'too_many'
  | 'not_implemented'
  | 'unavailable';

export const STATUS_OF_KIND: Readonly<Record<ErrorKind, number>> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  too_many: 429,
  not_implemented: 501,
  unavailable: 503,
};

export interface AppErrorOptions {
  /** The field at fault: `details` becomes `[{field, problem: message}]` unless given. */
  field?: string;
  /** Every problem, each naming its field. */
  details?: FieldProblem[];
  /** A passing refusal (a quota, a busy worker): the seconds the client should wait (Retry-After). */
  retryAfterSeconds?: number;
}

/**
 * An error a lib throws: a stable machine `code` (e.g. `illegal_transition`), a `kind` that decides
 * the HTTP status, a message in English and Chinese (`… / …`) and, for bad input, the fields at
 * fault. Libs throw subclasses of it, never HTTP exceptions; the one exception filter of
 * `@wangge/operations` answers `{statusCode, error: code, message, details?, …extra}`.
 */
export abstract class AppError<C extends string = string> extends Error {
  readonly status: number;
  readonly field?: string;
  readonly details?: FieldProblem[];
  /** Seconds to wait before sending the request again (the Retry-After header), for a passing refusal. */
  readonly retryAfterSeconds?: number;

  protected constructor(
    readonly code: C,
    readonly kind: ErrorKind,
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(message);
    this.name = new.target.name;
    this.status = STATUS_OF_KIND[kind];
    this.field = options.field;
    this.details = options.details ?? (options.field ? [{ field: options.field, problem: message }] : undefined);
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  /** Members of the JSON error body beyond `{statusCode, error, message, details?}` (e.g. a case's `currentStatus`). */
  extra(): Record<string, unknown> {
    return {};
  }
}
