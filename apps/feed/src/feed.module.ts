import { DynamicModule, Module } from '@nestjs/common';
import { AppConfigModule, type AppConfig } from '@wangge/config';
import { DatabaseModule } from '@wangge/database';
import { HealthModule, LoggingModule, MetricsModule, RedisModule } from '@wangge/operations';

/** The feed process: socket.io streams of case events. HTTP for health and metrics. */
@Module({})
export class FeedModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: FeedModule,
      imports: [
        AppConfigModule.forRoot(config),
        LoggingModule.forRoot(config, 'feed'),
        DatabaseModule.forRoot('wangge-feed'),
        RedisModule,
        HealthModule,
        MetricsModule,
      ],
    };
  }
}
