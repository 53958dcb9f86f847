import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { stdSerializers, stdTimeFunctions } from 'pino';
import type { AppConfig } from '@wangge/config';

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

/** Structured JSON logs (pino), one line per event, secrets redacted. */
@Module({})
export class LoggingModule {
  static forRoot(config: AppConfig, service: string): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            base: { service },
            timestamp: stdTimeFunctions.isoTime,
            redact: ['req.headers.authorization', 'req.headers.cookie', 'req.body.password', 'req.headers["idempotency-key"]'],
            autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/metrics' },
            customLogLevel: (_req, res, err) => httpLogLevel(res.statusCode, err),
            serializers: {
              // pino-http makes an Error for every 5xx answer; its stack is pino-http's own, not the cause's.
              err: (err: Error) => (SYNTHETIC_HTTP_ERROR.test(err?.message ?? '') ? { message: err.message } : stdSerializers.err(err)),
              req: (req: { method: string; url: string; id: unknown }) => ({ id: req.id, method: req.method, url: req.url }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
            },
          },
        }),
      ],
    };
  }
}
