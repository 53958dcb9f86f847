import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import { QueueName } from '@wangge/jobs';
import { JobHandlerRegistry } from './job-handler';

/** Consumes the routing queue. */
@Processor(QueueName.Routing)
export class RoutingProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    @Inject(JobHandlerRegistry) private readonly registry: JobHandlerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.dispatcherConcurrency;
  }

  process(job: Job): Promise<unknown> {
    return this.registry.run(QueueName.Routing, job);
  }
}

/** Consumes the clocks queue. */
@Processor(QueueName.Clocks)
export class ClocksProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    @Inject(JobHandlerRegistry) private readonly registry: JobHandlerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.dispatcherConcurrency;
  }

  process(job: Job): Promise<unknown> {
    return this.registry.run(QueueName.Clocks, job);
  }
}
