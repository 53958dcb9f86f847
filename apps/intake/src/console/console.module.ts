import { resolve } from 'node:path';
import { Controller, DynamicModule, Get, Header, Inject, Module } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { ServeStaticModule } from '@nestjs/serve-static';
import { SkipThrottle } from '@nestjs/throttler';
import { Public } from '@wangge/auth';
import { APP_CONFIG, type AppConfig } from '@wangge/config';

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

/** Paths the console's single-page fallback leaves to the API and the operations endpoints. */
export const NOT_CONSOLE_PATHS = ['/api/{*rest}', '/open311/{*rest}', '/docs', '/docs/{*rest}', '/docs-json', '/health', '/metrics', '/media/{*rest}', '/config.json'];

/**
 * The web console (apps/console, built into CONSOLE_DIR): static files at `/`, index.html for any
 * other GET that is not the API's (client-side routes such as /command or /track/:id).
 */
@Module({})
export class ConsoleModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConsoleModule,
      imports: [
        ServeStaticModule.forRoot({
          rootPath: resolve(config.console.dir),
          exclude: NOT_CONSOLE_PATHS,
          serveStaticOptions: {
            index: 'index.html',
            // Hashed assets never change; index.html and the service worker must be revalidated to pick up a new build.
            setHeaders(res, path) {
              res.setHeader('Cache-Control', /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
              // The service worker (at the root) controls the whole console; the manifest has its own type.
              if (/[\\/]sw\.js$/.test(path)) res.setHeader('Service-Worker-Allowed', '/');
              if (path.endsWith('.webmanifest')) res.setHeader('Content-Type', 'application/manifest+json; charset=utf-8');
            },
          },
        }),
      ],
      controllers: [ConsoleConfigController],
    };
  }
}
