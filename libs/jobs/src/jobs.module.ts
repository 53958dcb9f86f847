import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import { ALL_QUEUES, QUEUE_PREFIX } from './job.contract';
import { JobQueue } from './job-queue';
import { redisOptions } from './redis-connection';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** BullMQ for a process: producers fail fast while Redis is down; workers wait for it. */
@Module({})
export class JobsModule {
  static forRoot(role: 'producer' | 'worker'): DynamicModule {
    return {
      module: JobsModule,
      imports: [
        BullModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({
            connection: redisOptions(config.redisUrl ?? DEFAULT_REDIS_URL, role),
            prefix: QUEUE_PREFIX,
          }),
        }),
        BullModule.registerQueue(...ALL_QUEUES.map((name) => ({ name }))),
      ],
      providers: [JobQueue],
      exports: [JobQueue, BullModule],
    };
  }
}
