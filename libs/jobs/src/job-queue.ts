import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { JobsOptions, Queue } from 'bullmq';
import { JOB_QUEUES, QueueName, type JobRequest } from './job.contract';

/** Completed jobs are kept a week: a re-sent job id within that time is recognised and not run twice. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 200_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
};

/** The one typed way to put jobs on the platform's queues. */
@Injectable()
export class JobQueue {
  private readonly queues: Record<QueueName, Queue>;

  constructor(
    @InjectQueue(QueueName.Routing) routing: Queue,
    @InjectQueue(QueueName.Clocks) clocks: Queue,
    @InjectQueue(QueueName.Bulletins) bulletins: Queue,
    @InjectQueue(QueueName.Maintenance) maintenance: Queue,
    @InjectQueue(QueueName.Notifications) notifications: Queue,
  ) {
    this.queues = {
      [QueueName.Routing]: routing,
      [QueueName.Clocks]: clocks,
      [QueueName.Bulletins]: bulletins,
      [QueueName.Maintenance]: maintenance,
      [QueueName.Notifications]: notifications,
    };
    // Connection errors while Redis is away are expected (the outbox keeps the work): log them
    // once a minute at most instead of letting BullMQ print each one.
    let lastLogged = 0;
    for (const queue of Object.values(this.queues)) {
      queue.on('error', (err: Error) => {
        if (Date.now() - lastLogged < 60_000) return;
        lastLogged = Date.now();
        this.logger.warn(`queue ${queue.name}: ${err.message}`);
      });
    }
  }

  private readonly logger = new Logger('jobs');

  queue(name: QueueName): Queue {
    return this.queues[name];
  }

  /**
   * Adds jobs, each under its own id: a job id that is already on the queue is ignored by BullMQ,
   * so sending the same request twice never doubles the work.
   */
  async addAll(jobs: readonly { jobId: string; request: JobRequest }[], now: number = Date.now()): Promise<void> {
    const byQueue = new Map<QueueName, Parameters<Queue['addBulk']>[0]>();
    for (const { jobId, request } of jobs) {
      const queue = JOB_QUEUES[request.name];
      const delay = request.deliverAfter ? Math.max(0, request.deliverAfter.getTime() - now) : 0;
      const list = byQueue.get(queue) ?? [];
      list.push({ name: request.name, data: request.data, opts: { ...DEFAULT_JOB_OPTIONS, jobId, delay } });
      byQueue.set(queue, list);
    }
    await Promise.all([...byQueue].map(([queue, list]) => this.queues[queue].addBulk(list)));
  }
}
