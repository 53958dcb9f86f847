import { ArgumentsHost, Catch, Logger, type ExceptionFilter } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { retryAfterSeconds, toBody } from '@wangge/operations';
import { formatOfPath, Open311Error, toOpen311Error, type GeoReportErrorItem } from '@wangge/open311';
import { CaseError } from '@wangge/workflow';
import { serializeGeoReport } from './open311-format.interceptor';

export interface Open311Errors {
  status: number;
  items: GeoReportErrorItem[];
}

/**
 * Any error under /open311 as GeoReport errors: `[{code, description}]` or
 * `<errors><error><code/><description/></error></errors>`. Bad input is 400 (422s included: the
 * specification knows 400, 403 and 404), throttling 429; only our own faults are 500.
 */
export function open311ErrorsOf(exception: unknown, logger?: Logger): Open311Errors {
  if (exception instanceof Open311Error) return { status: exception.status, items: exception.items };
  if (exception instanceof CaseError) {
    const e = toOpen311Error(exception);
    return { status: e.status, items: e.items };
  }
  if (exception instanceof ThrottlerException) {
    return { status: 429, items: [{ code: 429, description: 'too many requests from this address: wait a minute and try again / 请求过于频繁，请稍后再试' }] };
  }
  // HttpExceptions, and what the body parsers refuse (malformed, too large, bad encoding), as the platform reads them.
  const body = toBody(exception);
  if (body.statusCode >= 500) logger?.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
  const status = body.statusCode === 422 ? 400 : body.statusCode;
  const descriptions = body.details?.length
    ? body.details.map((d) => (d.problem.startsWith(d.field) ? d.problem : `${d.field}: ${d.problem}`))
    : [body.message];
  return { status, items: descriptions.map((description) => ({ code: status, description })) };
}

/** Writes GeoReport errors in the format the path asked for (`.xml`; JSON otherwise). */
export function writeOpen311Errors(req: Request, res: Response, errors: Open311Errors): void {
  const body = serializeGeoReport(res, formatOfPath(req.path), { kind: 'errors', body: errors.items });
  res.status(errors.status).send(body);
}

/** Every Open311 controller's one filter. */
@Catch()
export class Open311ExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('open311');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const res = http.getResponse<Response>();
    const errors = open311ErrorsOf(exception, this.logger);
    if (res.headersSent) return;
    const retryAfter = retryAfterSeconds(exception);
    if (retryAfter !== null) res.setHeader('Retry-After', String(retryAfter));
    writeOpen311Errors(http.getRequest<Request>(), res, errors);
  }
}
