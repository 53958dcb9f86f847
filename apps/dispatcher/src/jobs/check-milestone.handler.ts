import { Inject, Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { MilestoneClockService, milestoneJobId } from '@wangge/campaigns';
import { CLOCK, type Clock } from '@wangge/clock';
import { JobName, JobQueue, type JobPayloads } from '@wangge/jobs';
import type { JobHandler } from './job-handler';

/** A campaign milestone is due: not done, it is marked overdue, announced and escalated to the street's leaders, once. */
@Injectable()
export class CheckMilestoneHandler implements JobHandler<JobName.CheckMilestone> {
  readonly name = JobName.CheckMilestone;

  constructor(
    @Inject(MilestoneClockService) private readonly milestones: MilestoneClockService,
    @Inject(JobQueue) private readonly queue: JobQueue,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async handle(data: JobPayloads[JobName.CheckMilestone], job: Job): Promise<unknown> {
    const outcome = await this.milestones.expire(data.itemId, data.code, new Date(data.dueAt));
    if (outcome.kind === 'early') {
      // Delivered before its time (two hosts' clocks differ): look again then, by the dispatcher's clock, under an id of its own.
      const now = this.clock.now().getTime();
      await this.queue.addAll(
        [{ jobId: `${milestoneJobId(data.itemId, data.code, outcome.at)}-after-${job.id ?? 'x'}-${now}`, request: { name: JobName.CheckMilestone, data, deliverAfter: outcome.at } }],
        now,
      );
    }
    return outcome;
  }
}
