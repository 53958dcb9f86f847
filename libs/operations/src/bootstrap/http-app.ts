import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { ApiExceptionFilter } from '../http/api-exception.filter';
import { createValidationPipe } from '../http/validation';

export interface HttpAppOptions {
  /** OpenAPI document served at /docs (UI) and /docs-json. */
  openApi?: { title: string; description: string; version: string };
  bodyLimit?: string;
}

/**
 * Creates (does not start) an HTTP app the way every process wants it: JSON logs, the one error
 * shape, DTO validation, graceful shutdown, OpenAPI when asked for.
 */
export async function createHttpApp(rootModule: Type<unknown> | ReturnType<typeof Object>, options: HttpAppOptions = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(rootModule, { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.useBodyParser('json', { limit: options.bodyLimit ?? '1mb' });
  app.useBodyParser('urlencoded', { extended: false, limit: options.bodyLimit ?? '1mb' });
  app.useGlobalFilters(new ApiExceptionFilter());
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  if (options.openApi) {
    const doc = SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle(options.openApi.title)
        .setDescription(options.openApi.description)
        .setVersion(options.openApi.version)
        .addBearerAuth()
        .build(),
    );
    SwaggerModule.setup('docs', app, doc, { jsonDocumentUrl: 'docs-json' });
  }
  return app;
}
