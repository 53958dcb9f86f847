import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors/app-error';
import { isDatabaseUnavailable } from '../errors/database-unavailable';
import type { ApiErrorBody } from './api-error';

/** What a 503 for an unreachable database asks the client to wait before it tries again (Retry-After). */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

const STATUS_CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable',
  429: 'too_many_requests',
  503: 'unavailable',
};

/**
 * A part of the API that writes its errors in a format of its own (Open311's GeoReport errors,
 * JSON or XML): the filter still decides the status and logs; `write` only shapes the body.
 */
export interface ErrorFormat {
  /** Whether the errors of this request are written in this format. */
  matches(req: FastifyRequest): boolean;
  /** Writes the answer for `exception`, whose platform body (with its status) is `body`. */
  write(req: FastifyRequest, res: FastifyReply, exception: unknown, body: ApiErrorBody): void;
}

/**
 * The one exception filter. Every HTTP error leaves in one shape, `{statusCode, error, message,
 * details?}`: a lib's {@link AppError} with the status of its kind, an HttpException with its own.
 * PostgreSQL out of reach (down, restarting) is 503 with Retry-After: the request may be sent again
 * as it was (with its Idempotency-Key); nothing of it was kept. Other errors are bugs: logged with
 * their stack, answered 500 without internals. Requests an {@link ErrorFormat} matches get its body.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');
  /** When the last answer was 503 because PostgreSQL was out of reach (0: none yet). */
  private unavailableAt = 0;

  constructor(private readonly formats: readonly ErrorFormat[] = []) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const res = http.getResponse<FastifyReply>();
    const body = toBody(exception);
    const retryAfter = retryAfterSeconds(exception);
    if (retryAfter !== null) {
      this.unavailable(exception);
    } else if (body.statusCode >= 500) {
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    }
    if (res.sent) return;
    const wait = retryAfter ?? (exception instanceof AppError ? exception.retryAfterSeconds : undefined) ?? (typeof body.retryAfter === 'number' ? body.retryAfter : undefined);
    if (wait !== undefined) res.header('Retry-After', String(wait));
    const req = this.formats.length ? http.getRequest<FastifyRequest>() : null;
    const format = req && this.formats.find((f) => f.matches(req));
    if (req && format) format.write(req, res, exception, body);
    else res.status(body.statusCode).send(body);
  }

  /**
   * One line when PostgreSQL goes out of reach, not one per request answered 503 (the request log
   * has those): an outage is over, for this log, once a minute passes without such an answer.
   */
  private unavailable(exception: unknown): void {
    const now = Date.now();
    if (now - this.unavailableAt > UNAVAILABLE_QUIET_MS) {
      this.logger.warn(`database unavailable: ${exception instanceof Error ? exception.message : String(exception)} (answering 503 with Retry-After while it lasts)`);
    }
    this.unavailableAt = now;
  }
}

/** A minute without a 503 for an unreachable database ends an outage, for the log. */
const UNAVAILABLE_QUIET_MS = 60_000;

/** The platform's error body (and status) for anything thrown. */
export function toBody(exception: unknown): ApiErrorBody {
  if (exception instanceof AppError) {
    return {
      statusCode: exception.status,
      error: exception.code,
      message: exception.message,
      ...(exception.details ? { details: exception.details } : {}),
      ...exception.extra(),
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    if (typeof response === 'object' && response !== null && 'status' in response && 'details' in response && !('message' in response)) {
      // A failed health check (@nestjs/terminus): say which dependency is down.
      const checks = (response as { details: Record<string, { status: string }> }).details;
      const down = Object.entries(checks).filter(([, c]) => c.status !== 'up').map(([name]) => name);
      return { statusCode: status, error: 'unavailable', message: `not ready: ${down.join(', ')} down / 依赖服务不可用`, checks };
    }
    if (typeof response === 'object' && response !== null && 'error' in response && 'message' in response) {
      const r = response as Partial<ApiErrorBody> & { message: unknown };
      if (typeof r.error === 'string' && typeof r.message === 'string' && /^[a-z_]+$/.test(r.error)) {
        return { statusCode: status, error: r.error, message: r.message, ...(r.details ? { details: r.details } : {}) };
      }
      const message = Array.isArray(r.message) ? r.message.join('; ') : String(r.message);
      return { statusCode: status, error: STATUS_CODES[status] ?? 'error', message };
    }
    return { statusCode: status, error: STATUS_CODES[status] ?? 'error', message: typeof response === 'string' ? response : exception.message };
  }
  if (isBodyParserError(exception)) {
    return { statusCode: exception.status, error: exception.status === 413 ? 'payload_too_large' : 'bad_request', message: exception.message };
  }
  if (isFastifyClientError(exception)) {
    return { statusCode: exception.statusCode, error: STATUS_CODES[exception.statusCode] ?? 'bad_request', message: exception.message };
  }
  if (isDatabaseUnavailable(exception)) {
    return { statusCode: HttpStatus.SERVICE_UNAVAILABLE, error: 'unavailable', message: 'database unavailable, retry shortly / 数据库暂不可用，请稍后重试' };
  }
  return { statusCode: HttpStatus.INTERNAL_SERVER_ERROR, error: 'internal_error', message: 'internal error / 服务器内部错误' };
}

/** Seconds the client should wait before sending the request again, when the error is a passing one (else null). */
export function retryAfterSeconds(exception: unknown): number | null {
  return !(exception instanceof HttpException) && !(exception instanceof AppError) && isDatabaseUnavailable(exception) ? DATABASE_RETRY_AFTER_SECONDS : null;
}

function isBodyParserError(e: unknown): e is { status: number; message: string } {
  // body-parser and http-errors: a 4xx with `type` (parse, size, verify) or `expose` (e.g. a bad gzip body).
  return (
    typeof e === 'object' && e !== null && 'status' in e && typeof e.status === 'number' && e.status >= 400 && e.status < 500 && ('type' in e || ('expose' in e && e.expose === true))
  );
}

function isFastifyClientError(e: unknown): e is { statusCode: number; message: string } {
  // Fastify's own refusals of a request (a malformed URL, an over-long route parameter, a bad Content-Length): FST_ codes with a 4xx.
  return (
    typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' && e.code.startsWith('FST_') &&
    'statusCode' in e && typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500
  );
}
