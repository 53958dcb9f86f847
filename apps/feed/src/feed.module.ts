import { DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '@wangge/config';
import { processModules } from '@wangge/operations';

/** The feed process: socket.io streams of case events. HTTP for health and metrics. */
@Module({})
export class FeedModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: FeedModule,
      imports: processModules(config, 'feed'),
    };
  }
}
