import { DynamicModule, Module } from '@nestjs/common';
import { AppConfigModule, type AppConfig } from '@wangge/config';
import { DatabaseModule } from '@wangge/database';
import { HealthModule, LoggingModule, MetricsModule, RedisModule } from '@wangge/operations';

/** The dispatcher process: BullMQ workers that route cases and run the clocks. HTTP only for health and metrics. */
@Module({})
export class DispatcherModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: DispatcherModule,
      imports: [
        AppConfigModule.forRoot(config),
        LoggingModule.forRoot(config, 'dispatcher'),
        DatabaseModule.forRoot('wangge-dispatcher'),
        RedisModule,
        HealthModule,
        MetricsModule,
      ],
    };
  }
}
