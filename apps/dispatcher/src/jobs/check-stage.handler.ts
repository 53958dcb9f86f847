import { Inject, Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { JobName, JobQueue, type JobPayloads } from '@wangge/jobs';
import { CaseStageService } from '@wangge/workflow';
import type { JobHandler } from './job-handler';

/** A stage of the command centre is due: marked overdue against its post and told to the leader on duty, once. */
@Injectable()
export class CheckStageHandler implements JobHandler<JobName.CheckStage> {
  readonly name = JobName.CheckStage;

  constructor(
    @Inject(CaseStageService) private readonly stages: CaseStageService,
    @Inject(JobQueue) private readonly queue: JobQueue,
  ) {}

  async handle(data: JobPayloads[JobName.CheckStage], job: Job): Promise<unknown> {
    const outcome = await this.stages.expire(data.caseId, data.stage, new Date(data.dueAt));
    if (outcome.kind === 'early') {
      // Delivered before its time (two hosts' clocks differ): look again then, under an id of its own.
      await this.queue.addAll([
        { jobId: `${stageJobId(data.caseId, data.stage, outcome.at)}-after-${job.id ?? 'x'}-${Date.now()}`, request: { name: JobName.CheckStage, data, deliverAfter: outcome.at } },
      ]);
    }
    return outcome;
  }
}

/** The job id of a stage's timer rebuilt from the database: one per case, stage and due time. */
export function stageJobId(caseId: string, stage: string, dueAt: Date): string {
  return `stage-${caseId}-${stage}-${dueAt.getTime()}`;
}
