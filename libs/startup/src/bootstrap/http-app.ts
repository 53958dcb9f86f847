import type { Server } from 'node:http';
import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication, NestExpressBodyParserOptionsFor } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { ApiExceptionFilter, createValidationPipe, verifyJsonDepth, type ErrorFormat } from '@wangge/operations';

/** How long the HTTP server keeps an idle keep-alive connection open. */
export const HTTP_KEEP_ALIVE_MS = 65_000;

export interface HttpAppOptions {
  /** OpenAPI document served at /docs (UI) and /docs-json. */
  openApi?: { title: string; description: string; version: string };
  bodyLimit?: string;
  /** Parts of the API that shape their error bodies their own way (the status stays the one filter's). */
  errorFormats?: ErrorFormat[];
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
  // Nest reserves `verify` only for `rawBody: true`, which we do not use; it passes ours through.
  const json = { limit: options.bodyLimit ?? '1mb', verify: verifyJsonDepth };
  app.useBodyParser('json', json as NestExpressBodyParserOptionsFor<'json'>);
  app.useBodyParser('urlencoded', { extended: false, limit: options.bodyLimit ?? '1mb' });
  // Idle keep-alive connections stay open longer than a proxy or a client pool keeps them (nginx's
  // upstream keepalive_timeout and cloud load balancers: 60 s), so the client always closes first. With
  // Node's 5 s, a request sent on a connection just as the server closes it fails with ECONNRESET.
  const server = app.getHttpServer() as Server;
  server.keepAliveTimeout = HTTP_KEEP_ALIVE_MS;
  server.headersTimeout = HTTP_KEEP_ALIVE_MS + 1000;
  app.useGlobalFilters(new ApiExceptionFilter(options.errorFormats));
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
