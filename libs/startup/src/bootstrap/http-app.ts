import type { Server } from 'node:http';
import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import { Logger } from 'nestjs-pino';
import type { Logger as PinoLoggerInstance } from 'pino';
import { AuthError, AuthService } from '@wangge/auth';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import { ApiExceptionFilter, createValidationPipe, type ErrorFormat } from '@wangge/operations';
import { installBodyParsers, type BodyLimitRoute } from '../http/body-limits';
import { rememberClientAddress, trustFunction, type TrustFunction } from '../http/client-address';
import { operationsGate, operationsServer } from '../http/operations-gate';
import { ROOT_LOGGER } from '../logging/logging.module';
import { requestLog } from '../logging/request-log';

/** How long the HTTP server keeps an idle keep-alive connection open. */
export const HTTP_KEEP_ALIVE_MS = 65_000;

/** How long a whole request (headers and body) may take to arrive. */
export const HTTP_REQUEST_TIMEOUT_MS = 300_000;

export interface HttpAppOptions {
  /** OpenAPI document served at /docs (UI) and /docs-json. */
  openApi?: { title: string; description: string; version: string };
  /** Routes whose body limit is not BODY_MAX_BYTES (the import's, multipart uploads'). */
  bodyLimits?: (config: AppConfig) => BodyLimitRoute[];
  /** Security headers (helmet) for every answer; absent: none (processes that serve no pages). */
  securityHeaders?: (config: AppConfig) => HelmetOptions;
  /**
   * Keep /metrics and /docs off the public port: on OPS_PORT (when `opsPort`), else for admins
   * only when NODE_ENV=production. Absent: open (a process on the private network only, the dispatcher).
   */
  operations?: { opsPort: boolean };
  /** Parts of the API that shape their error bodies their own way (the status stays the one filter's). */
  errorFormats?: ErrorFormat[];
}

/**
 * Creates (does not start) an HTTP app the way every process wants it: JSON logs, the one error
 * shape, DTO validation, graceful shutdown, OpenAPI when asked for.
 */
export async function createHttpApp(rootModule: Type<unknown> | ReturnType<typeof Object>, options: HttpAppOptions = {}): Promise<INestApplication> {
  // request.ip: the client behind loopback and TRUST_PROXY's proxies (X-Forwarded-For), else the
  // peer. The configuration is the app's (read below); the server asks the rule only per request.
  let trust: TrustFunction = () => false;
  const adapter = new FastifyAdapter({
    trustProxy: (address: string, hop: number) => trust(address, hop),
    // As the API always answered: `/api/v1/cases/` is `/api/v1/cases`; ids and tokens of any length.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 64 * 1024 },
    // Idle keep-alive connections stay open longer than a proxy or a client pool keeps them (nginx's
    // upstream keepalive_timeout and cloud load balancers: 60 s), so the client always closes first. With
    // Node's 5 s, a request sent on a connection just as the server closes it fails with ECONNRESET.
    keepAliveTimeout: HTTP_KEEP_ALIVE_MS,
    // A request (headers and body) must arrive within 5 minutes, Node's own default (Fastify's is none).
    requestTimeout: HTTP_REQUEST_TIMEOUT_MS,
  });
  const app = await NestFactory.create<NestFastifyApplication>(rootModule, adapter, { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  const config = app.get<AppConfig>(APP_CONFIG);
  trust = trustFunction(config);
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  // A line per answered request, first of all (a body refused by its limit gets one too).
  const log = requestLog(app.get<PinoLoggerInstance>(ROOT_LOGGER));
  fastify.addHook('onRequest', (request, reply, done) => {
    rememberClientAddress(request);
    log(request.raw, reply.raw, (err) => done(err as Error | undefined));
  });
  if (options.securityHeaders) {
    const headers = helmet(options.securityHeaders(config));
    fastify.addHook('onRequest', (request, reply, done) => {
      // What a policy may read of the request (the console's feed origin): its host and scheme by the same proxy rule.
      Object.assign(request.raw, { hostname: request.hostname, protocol: request.protocol });
      headers(request.raw, reply.raw, (err) => done(err as Error | undefined));
    });
  }
  if (options.operations) {
    const port = options.operations.opsPort ? config.http.opsPort : null;
    fastify.addHook('onRequest', operationsGate({ port, check: port === null && config.env === 'production' ? adminOnly(app) : null }));
    if (port !== null) operationsServer(app.getHttpServer() as Server, port);
  }
  // Checked before any guard, throttle or handler: a body over its route's limit is never read whole.
  const routes = options.bodyLimits?.(config) ?? [];
  installBodyParsers(fastify, { defaultBytes: config.http.bodyMaxBytes, routes }, routes.some((r) => r.roles) ? roleOf(app) : undefined);
  // The headers of a request on a kept-alive connection may take as long as the connection may idle.
  (app.getHttpServer() as Server).headersTimeout = HTTP_KEEP_ALIVE_MS + 1000;
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

const bearerOf = (req: FastifyRequest) => /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? null;

/** The role of the caller's valid bearer token (null: none, or not valid). */
function roleOf(app: INestApplication): (req: FastifyRequest) => Promise<string | null> {
  const auth = app.get(AuthService, { strict: false });
  return async (req) => {
    const token = bearerOf(req);
    return token ? (await auth.authenticate(token)).role : null;
  };
}

/** The check of the operations endpoints in production: an admin's bearer token. */
function adminOnly(app: INestApplication): (req: FastifyRequest) => Promise<void> {
  const auth = app.get(AuthService, { strict: false });
  return async (req) => {
    const token = bearerOf(req);
    if (!token) throw new AuthError('unauthenticated', 'metrics and docs are for admins in production: send an admin token, or use OPS_PORT / 生产环境下仅管理员可访问');
    const user = await auth.authenticate(token);
    if (user.role !== 'admin') throw new AuthError('forbidden', `role ${user.role} may not read the operations endpoints / 当前角色无此权限`);
  };
}
