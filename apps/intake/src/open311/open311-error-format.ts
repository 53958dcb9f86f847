import { ThrottlerException } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { requestPath, toBody, type ApiErrorBody, type ErrorFormat } from '@wangge/operations';
import { formatOfPath, Open311Error, toOpen311Error, type GeoReportErrorItem } from '@wangge/open311';
import { CaseError } from '@wangge/workflow';
import { serializeGeoReport } from './open311-format.interceptor';

export interface Open311Errors {
  status: number;
  items: GeoReportErrorItem[];
}

/**
 * Any error under /open311 as GeoReport errors: `[{code, description}]` or
 * `<errors><error><code/><description/></error></errors>`. The status is the platform's (the one
 * filter's, from the error's kind), narrowed to what the specification knows: bad input is 400
 * (422s included: the specification knows 400, 403 and 404), throttling 429; only our own faults are 500.
 */
export function open311ErrorsOf(exception: unknown, body: ApiErrorBody = toBody(exception)): Open311Errors {
  if (exception instanceof Open311Error) return { status: exception.status, items: exception.items };
  if (exception instanceof CaseError) {
    const e = toOpen311Error(exception);
    return { status: e.status, items: e.items };
  }
  if (exception instanceof ThrottlerException) {
    return { status: 429, items: [{ code: 429, description: 'too many requests from this address: wait a minute and try again / 请求过于频繁，请稍后再试' }] };
  }
  // Other errors, and what the body parsers refuse (malformed, too large, bad encoding), as the platform reads them.
  const status = body.statusCode === 422 ? 400 : body.statusCode;
  const descriptions = body.details?.length
    ? body.details.map((d) => (d.problem.startsWith(d.field) ? d.problem : `${d.field}: ${d.problem}`))
    : [body.message];
  return { status, items: descriptions.map((description) => ({ code: status, description })) };
}

/** Writes GeoReport errors in the format the path asked for (`.xml`; JSON otherwise). */
export function writeOpen311Errors(req: FastifyRequest, res: FastifyReply, errors: Open311Errors): void {
  const body = serializeGeoReport(res, formatOfPath(requestPath(req)), { kind: 'errors', body: errors.items });
  res.status(errors.status).send(body);
}

/** Whether a path is Open311's (`/open311` and everything under it). */
export function isOpen311Path(path: string): boolean {
  return path === '/open311' || path.startsWith('/open311/');
}

/** The body shape of errors under /open311, for the one exception filter (`ApiExceptionFilter`). */
export const OPEN311_ERROR_FORMAT: ErrorFormat = {
  matches: (req) => isOpen311Path(requestPath(req)),
  write: (req, res, exception, body) => writeOpen311Errors(req, res, open311ErrorsOf(exception, body)),
};
