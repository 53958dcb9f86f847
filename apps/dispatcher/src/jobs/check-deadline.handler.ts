import { Inject, Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { JobName, JobQueue, type JobPayloads } from '@wangge/jobs';
import { CaseClockService } from '@wangge/workflow';
import type { JobHandler } from './job-handler';

/** A case's clock is due: overdue, escalation, or a missed verification. */
@Injectable()
export class CheckDeadlineHandler implements JobHandler<JobName.CheckDeadline> {
  readonly name = JobName.CheckDeadline;

  constructor(
    @Inject(CaseClockService) private readonly clocks: CaseClockService,
    @Inject(JobQueue) private readonly queue: JobQueue,
  ) {}

  async handle(data: JobPayloads[JobName.CheckDeadline], job: Job): Promise<unknown> {
    const outcome = await this.clocks.check(data.caseId, new Date(data.dueAt));
    if (outcome.kind === 'early') {
      // Delivered before its time (clocks of two hosts differ): look again then, under an id of its
      // own — this job's id may be the sweeper's, which BullMQ would ignore while this job runs.
      await this.queue.addAll([
        { jobId: `${timerJobId(data.caseId, outcome.at)}-after-${job.id ?? 'x'}-${Date.now()}`, request: { name: JobName.CheckDeadline, data, deliverAfter: outcome.at } },
      ]);
    }
    return outcome;
  }
}

/** The job id of a case's timer rebuilt from the database: one per case and due time. */
export function timerJobId(caseId: string, dueAt: Date): string {
  return `timer-${caseId}-${dueAt.getTime()}`;
}
