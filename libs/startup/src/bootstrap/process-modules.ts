import type { DynamicModule, Type } from '@nestjs/common';
import { AppConfigModule, type AppConfig } from '@wangge/config';
import { DatabaseModule } from '@wangge/database';
import { HealthModule } from '../health/health.module';
import { LoggingModule } from '../logging/logging.module';
import { MetricsModule } from '../metrics/metrics.module';
import { RedisModule } from '../redis/redis.module';

/** What every process has: its config, JSON logs, the database, Redis, /health and /metrics. */
export function processModules(config: AppConfig, service: string): (DynamicModule | Type<unknown>)[] {
  return [
    AppConfigModule.forRoot(config),
    LoggingModule.forRoot(config, service),
    DatabaseModule.forRoot(`wangge-${service}`),
    RedisModule,
    HealthModule,
    MetricsModule,
  ];
}
