import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import { ALL_QUEUES } from './job.contract';
import { JobQueue } from './job-queue';
import { redisOptions } from './redis-connection';
import { REDIS_NAMESPACE, type RedisNamespace } from './redis-namespace';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** BullMQ for a process: producers fail fast while Redis is down; workers wait for it. */
@Module({})
export class JobsModule {
  static forRoot(role: 'producer' | 'worker'): DynamicModule {
    return {
      module: JobsModule,
      imports: [
        BullModule.forRootAsync({
          inject: [APP_CONFIG, REDIS_NAMESPACE],
          useFactory: (config: AppConfig, keys: RedisNamespace) => ({
            connection: redisOptions(config.redisUrl ?? DEFAULT_REDIS_URL, role),
            // The database's own prefix: another database's jobs on the same Redis are never seen.
            prefix: keys.prefix,
          }),
        }),
        BullModule.registerQueue(...ALL_QUEUES.map((name) => ({ name }))),
      ],
      providers: [JobQueue],
      exports: [JobQueue, BullModule],
    };
  }
}
