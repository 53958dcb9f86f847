import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type OnApplicationBootstrap, type Type } from '@nestjs/common';
import type { Job } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import { QueueName } from '@wangge/jobs';
import { JobHandlerRegistry } from './job-handler';

/** The consumer of one queue: hands each job to its handler in the registry. */
function queueProcessor(queue: QueueName, concurrency: (config: AppConfig) => number = (config) => config.dispatcherConcurrency): Type<WorkerHost> {
  @Processor(queue)
  class QueueProcessor extends WorkerHost implements OnApplicationBootstrap {
    constructor(
      @Inject(JobHandlerRegistry) private readonly registry: JobHandlerRegistry,
      @Inject(APP_CONFIG) private readonly config: AppConfig,
    ) {
      super();
    }

    onApplicationBootstrap(): void {
      this.worker.concurrency = concurrency(this.config);
    }

    process(job: Job): Promise<unknown> {
      return this.registry.run(queue, job);
    }
  }
  Object.defineProperty(QueueProcessor, 'name', { value: `${queue[0].toUpperCase()}${queue.slice(1)}Processor` });
  return QueueProcessor;
}

export const RoutingProcessor = queueProcessor(QueueName.Routing);
export const ClocksProcessor = queueProcessor(QueueName.Clocks);
export const BulletinsProcessor = queueProcessor(QueueName.Bulletins);
export const MaintenanceProcessor = queueProcessor(QueueName.Maintenance);
/** Its own concurrency (NOTIFY_CONCURRENCY): endpoints that hang hold notification slots only. */
export const NotificationsProcessor = queueProcessor(QueueName.Notifications, (config) => config.notify.concurrency);
