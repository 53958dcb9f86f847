import { Injectable } from '@nestjs/common';
import { UnrecoverableError, type Job } from 'bullmq';
import { JOB_QUEUES, JobName, type JobPayloads, type QueueName } from '@wangge/jobs';
import { CaseError } from '@wangge/workflow';

/** Handles one job name. Each handler enqueues its own next step (through the outbox). */
export interface JobHandler<N extends JobName = JobName> {
  readonly name: N;
  handle(data: JobPayloads[N], job: Job): Promise<unknown>;
}

export const JOB_HANDLERS = Symbol('JOB_HANDLERS');

/**
 * Every job name has exactly one handler: checked when the registry is built, so a dispatcher with
 * a missing or doubled handler fails at boot rather than when the first job arrives.
 */
@Injectable()
export class JobHandlerRegistry {
  private readonly handlers = new Map<JobName, JobHandler>();
  /** Jobs given up at once because their case does not exist (for /metrics). */
  readonly counters = { caseMissing: 0 };

  constructor(handlers: JobHandler[]) {
    const problems: string[] = [];
    for (const h of handlers) {
      if (this.handlers.has(h.name)) problems.push(`job ${h.name} has two handlers`);
      this.handlers.set(h.name, h);
    }
    for (const name of Object.values(JobName)) {
      if (!this.handlers.has(name)) problems.push(`job ${name} has no handler`);
    }
    if (problems.length > 0) throw new Error(`dispatcher job handlers: ${problems.join('; ')}`);
  }

  /**
   * Runs a job taken from `queue`; a job that does not belong there is refused. A job whose case does
   * not exist fails once, with that reason, instead of being retried: no retry will make the case.
   */
  async run(queue: QueueName, job: Job): Promise<unknown> {
    const handler = this.handlers.get(job.name as JobName);
    if (!handler || JOB_QUEUES[handler.name] !== queue) {
      throw new Error(`queue ${queue} has no job ${job.name}`);
    }
    try {
      return await handler.handle(job.data as never, job);
    } catch (err) {
      if (err instanceof CaseError && err.code === 'not_found') {
        this.counters.caseMissing++;
        throw new UnrecoverableError(err.message);
      }
      throw err;
    }
  }
}
