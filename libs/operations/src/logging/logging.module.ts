import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { stdTimeFunctions } from 'pino';
import type { AppConfig } from '@wangge/config';

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
            customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
            serializers: {
              req: (req: { method: string; url: string; id: unknown }) => ({ id: req.id, method: req.method, url: req.url }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
            },
          },
        }),
      ],
    };
  }
}
