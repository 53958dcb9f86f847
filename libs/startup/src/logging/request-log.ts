import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { redactUrl } from './log-format';

/** Requests that never get a line (probes and scrapes, every few seconds). */
const UNLOGGED = new Set(['/health', '/metrics']);

/**
 * The level of a request's log line. 503 is the answer while PostgreSQL is out of reach (with
 * Retry-After; the outage itself is logged once): a warning per request, not an error.
 */
export function httpLogLevel(statusCode: number, err?: Error): 'info' | 'warn' | 'error' {
  if (statusCode === 503) return 'warn';
  if (err || statusCode >= 500) return 'error';
  return statusCode >= 400 ? 'warn' : 'info';
}

type Next = (err?: unknown) => void;

/**
 * One line per answered request (what pino-http wrote: `req` {id, method, url redacted}, `res`
 * {statusCode}, `responseTime`, `err` for a 5xx), at httpLogLevel's level. Nothing is built for a
 * request before its answer, and nothing after it when the level drops the line: at LOG_LEVEL=warn a
 * 201 costs three listeners, where pino-http made a child logger and serialised the request for each.
 */
export function requestLog(logger: Logger): (req: IncomingMessage & { originalUrl?: string }, res: ServerResponse & { err?: Error }, next: Next) => void {
  let lastId = 0;
  // Nothing a request could log gets through (LOG_LEVEL=silent): not even the listeners.
  if (!logger.isLevelEnabled('error')) return (_req, _res, next) => next();
  return (req, res, next) => {
    if (UNLOGGED.has(req.url ?? '')) return next();
    const id = ++lastId;
    const started = Date.now();
    const done = (err?: Error) => {
      res.removeListener('finish', finished);
      res.removeListener('close', finished);
      res.removeListener('error', done);
      const failure = err ?? res.err;
      const level = httpLogLevel(res.statusCode, failure);
      if (!logger.isLevelEnabled(level)) return;
      const line: Record<string, unknown> = {
        req: { id, method: req.method, url: redactUrl(req.originalUrl ?? req.url ?? '') },
        res: { statusCode: res.statusCode },
        responseTime: Date.now() - started,
      };
      if (failure || res.statusCode >= 500) {
        line.err = failure ?? new Error(`failed with status code ${res.statusCode}`);
        logger[level](line, 'request errored');
      } else {
        logger[level](line, 'request completed');
      }
    };
    const finished = () => done();
    res.on('finish', finished);
    res.on('close', finished);
    res.on('error', done);
    next();
  };
}
