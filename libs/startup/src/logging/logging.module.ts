import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { stdSerializers, stdTimeFunctions } from 'pino';
import type { Options } from 'pino-http';
import type { AppConfig } from '@wangge/config';
import { PrettyLogStream, redactUrl, useColour } from './log-format';

const SYNTHETIC_HTTP_ERROR = /^failed with status code \d+$/;

/**
 * The level of a request's log line. 503 is the answer while PostgreSQL is out of reach (with
 * Retry-After; the outage itself is logged once): a warning per request, not an error.
 */
export function httpLogLevel(statusCode: number, err?: Error): 'info' | 'warn' | 'error' {
  if (statusCode === 503) return 'warn';
  if (err || statusCode >= 500) return 'error';
  return statusCode >= 400 ? 'warn' : 'info';
}

/**
 * Logs (pino), one line per event, secrets redacted: JSON for a log collector (LOG_FORMAT=json, the
 * default in production), else one readable line per notable event (log-format.ts).
 */
@Module({})
export class LoggingModule {
  static forRoot(config: AppConfig, service: string): DynamicModule {
    const options = {
      level: config.logLevel,
      base: { service },
      timestamp: stdTimeFunctions.isoTime,
      redact: ['req.headers.authorization', 'req.headers.cookie', 'req.body.password', 'req.headers["idempotency-key"]'],
      autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/metrics' },
      customLogLevel: (_req, res, err) => httpLogLevel(res.statusCode, err),
      serializers: {
        // pino-http makes an Error for every 5xx answer; its stack is pino-http's own, not the cause's.
        err: (err: Error) => (SYNTHETIC_HTTP_ERROR.test(err?.message ?? '') ? { message: err.message } : stdSerializers.err(err)),
        req: (req: { method: string; url: string; id: unknown }) => ({ id: req.id, method: req.method, url: redactUrl(req.url) }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    } satisfies Options;
    const pretty = config.logFormat === 'pretty' ? new PrettyLogStream(service, config.logLevel, useColour(config.logColor, process.stdout)) : null;
    return {
      module: LoggingModule,
      imports: [LoggerModule.forRoot({ pinoHttp: pretty ? [options, pretty] : options })],
    };
  }
}
