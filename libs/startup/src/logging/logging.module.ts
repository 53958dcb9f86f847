import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { pino, stdSerializers, stdTimeFunctions, type LoggerOptions } from 'pino';
import type { AppConfig } from '@wangge/config';
import { PrettyLogStream, useColour } from './log-format';

const SYNTHETIC_HTTP_ERROR = /^failed with status code \d+$/;

export { httpLogLevel } from './request-log';

/** The process's pino logger (nestjs-pino's Logger writes through it; so does the request line). */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

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
      serializers: {
        // The request line makes an Error for every 5xx answer; its stack would be ours, not the cause's.
        err: (err: Error) => (SYNTHETIC_HTTP_ERROR.test(err?.message ?? '') ? { message: err.message } : stdSerializers.err(err)),
      },
    } satisfies LoggerOptions;
    const pretty = config.logFormat === 'pretty' ? new PrettyLogStream(service, config.logLevel, useColour(config.logColor, process.stdout)) : null;
    const root = pretty ? pino(options, pretty) : pino(options);
    return {
      module: LoggingModule,
      // The request lines are requestLog's (mounted by createHttpApp), not pino-http's: nestjs-pino
      // only takes the logger (useExisting), without a child logger made for every request.
      imports: [LoggerModule.forRoot({ pinoHttp: { logger: root, wrapSerializers: false }, useExisting: true })],
      providers: [{ provide: ROOT_LOGGER, useValue: root }],
      exports: [ROOT_LOGGER],
    };
  }
}
