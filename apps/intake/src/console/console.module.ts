import { createReadStream, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Controller, DynamicModule, Get, Header, Inject, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ApiExcludeController } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { Public } from '@wangge/auth';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import { requestPath } from '@wangge/operations';

/** What the browser console needs to know at run time: where the feed is, and an optional base map. */
export interface ConsoleRuntimeConfig {
  /** The feed's URL as browsers reach it; null: the page's own host on feedPort. */
  feedUrl: string | null;
  feedPort: number;
  mapTileUrl: string | null;
  mapTileAttribution: string | null;
}

export function consoleRuntimeConfig(config: AppConfig): ConsoleRuntimeConfig {
  return {
    feedUrl: config.console.feedUrl,
    feedPort: config.ports.feed,
    mapTileUrl: config.console.mapTileUrl,
    mapTileAttribution: config.console.mapTileAttribution,
  };
}

@ApiExcludeController()
@Controller()
export class ConsoleConfigController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get('config.json')
  @Public()
  @SkipThrottle({ default: true, reports: true })
  @Header('Cache-Control', 'no-cache')
  get(): ConsoleRuntimeConfig {
    return consoleRuntimeConfig(this.config);
  }
}

/** Paths the console's single-page fallback leaves to the API and the operations endpoints (they answer 404 there). */
const NOT_CONSOLE_PATH = /^\/(api|open311|media)(\/|$)|^\/(docs(\/.*)?|docs-json|docs-yaml|health|metrics|config\.json)\/?$/i;

export function isConsolePath(path: string): boolean {
  return !NOT_CONSOLE_PATH.test(path);
}

/** The console's caching: hashed assets never change; index.html and the service worker are revalidated to pick up a new build. */
function consoleHeaders(res: { header(name: string, value: string): unknown }, path: string): void {
  res.header('Cache-Control', /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
  // The service worker (at the root) controls the whole console; the manifest has its own type.
  if (/[\\/]sw\.js$/.test(path)) res.header('Service-Worker-Allowed', '/');
  if (path.endsWith('.webmanifest')) res.header('Content-Type', 'application/manifest+json; charset=utf-8');
}

/**
 * The web console (apps/console, built into CONSOLE_DIR): static files at `/`, index.html for any
 * other GET that is not the API's (client-side routes such as /command or /track/:id).
 */
@Module({})
export class ConsoleModule implements OnModuleInit {
  constructor(
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  static forRoot(): DynamicModule {
    return { module: ConsoleModule, controllers: [ConsoleConfigController] };
  }

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    const root = resolve(this.config.console.dir);
    const index = join(root, 'index.html');
    if (existsSync(root)) {
      // A route per file of the build (no wildcard: the fallback below has it).
      void fastify.register(fastifyStatic, { root, wildcard: false, index: false, decorateReply: false, cacheControl: false, setHeaders: consoleHeaders });
    }
    fastify.get('/*', (request, reply) => {
      const path = requestPath(request);
      if (!isConsolePath(path) || !existsSync(index)) return reply.callNotFound();
      consoleHeaders(reply, index);
      return reply.type('text/html; charset=utf-8').send(createReadStream(index));
    });
  }
}
