import { Inject, Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { JobName, JobQueue, type JobPayloads } from '@wangge/jobs';
import { DutyClockService } from '@wangge/places';
import type { JobHandler } from './job-handler';

/** A duty shift's check-in mark: missed (announced, escalated once) unless someone of it checked in. */
@Injectable()
export class CheckDutyShiftHandler implements JobHandler<JobName.CheckDutyShift> {
  readonly name = JobName.CheckDutyShift;

  constructor(
    @Inject(DutyClockService) private readonly duty: DutyClockService,
    @Inject(JobQueue) private readonly queue: JobQueue,
  ) {}

  async handle(data: JobPayloads[JobName.CheckDutyShift], job: Job): Promise<unknown> {
    const outcome = await this.duty.expire(data.shiftId, new Date(data.dueAt));
    if (outcome.kind === 'early') {
      await this.queue.addAll([
        { jobId: `${shiftJobId(data.shiftId, outcome.at)}-after-${job.id ?? 'x'}-${Date.now()}`, request: { name: JobName.CheckDutyShift, data, deliverAfter: outcome.at } },
      ]);
    }
    return outcome;
  }
}

/** The job id of a shift's timer rebuilt from the database: one per shift and mark. */
export function shiftJobId(shiftId: string, dueAt: Date): string {
  return `duty-shift-${shiftId}-${dueAt.getTime()}`;
}
