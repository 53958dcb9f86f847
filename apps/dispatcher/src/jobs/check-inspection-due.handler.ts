import { Inject, Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { JobName, JobQueue, type JobPayloads } from '@wangge/jobs';
import { InspectionClockService } from '@wangge/places';
import type { JobHandler } from './job-handler';

/** A due inspection's deadline: missed (announced, escalated once) unless done; the plan's next slot made due. */
@Injectable()
export class CheckInspectionDueHandler implements JobHandler<JobName.CheckInspectionDue> {
  readonly name = JobName.CheckInspectionDue;

  constructor(
    @Inject(InspectionClockService) private readonly inspections: InspectionClockService,
    @Inject(JobQueue) private readonly queue: JobQueue,
  ) {}

  async handle(data: JobPayloads[JobName.CheckInspectionDue], job: Job): Promise<unknown> {
    const outcome = await this.inspections.expire(data.dueId, new Date(data.dueAt));
    if (outcome.kind === 'early') {
      // Delivered before its time (two hosts' clocks differ): look again then, under an id of its own.
      await this.queue.addAll([
        { jobId: `${dueJobId(data.dueId, outcome.at)}-after-${job.id ?? 'x'}-${Date.now()}`, request: { name: JobName.CheckInspectionDue, data, deliverAfter: outcome.at } },
      ]);
    }
    return outcome;
  }
}

/** The job id of a due inspection's timer rebuilt from the database: one per row and deadline. */
export function dueJobId(dueId: string, dueAt: Date): string {
  return `inspection-due-${dueId}-${dueAt.getTime()}`;
}
