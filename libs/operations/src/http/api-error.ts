import { HttpException, HttpStatus } from '@nestjs/common';
import type { FieldProblem } from '../errors/app-error';

/** The platform's error body: `{statusCode, error, message, details?}` (domain.md 4.3). */
export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: FieldProblem[];
  /** Seconds to wait before trying again (sent as Retry-After too), e.g. an account locked after wrong passwords. */
  retryAfter?: number;
  /** Health: the state of each dependency. */
  checks?: Record<string, unknown>;
}

/**
 * An HTTP error with a stable machine code (`error`, e.g. `out_of_jurisdiction`), a message in
 * words and, for bad input, the fields at fault. For the apps' controllers, guards and pipes; libs
 * throw their own `AppError`s (errors/app-error.ts).
 */
export class ApiError extends HttpException {
  constructor(status: HttpStatus, readonly code: string, message: string, readonly details?: FieldProblem[]) {
    super({ statusCode: status, error: code, message, ...(details ? { details } : {}) } satisfies ApiErrorBody, status);
  }

  static badInput(details: FieldProblem[], message = 'invalid input'): ApiError {
    return new ApiError(HttpStatus.BAD_REQUEST, 'bad_input', message, details);
  }

  static unprocessable(code: string, message: string, details?: FieldProblem[]): ApiError {
    return new ApiError(HttpStatus.UNPROCESSABLE_ENTITY, code, message, details);
  }

  static notFound(what: string): ApiError {
    return new ApiError(HttpStatus.NOT_FOUND, 'not_found', `${what} not found`);
  }

  static conflict(code: string, message: string): ApiError {
    return new ApiError(HttpStatus.CONFLICT, code, message);
  }
}
