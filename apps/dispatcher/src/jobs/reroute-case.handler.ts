import { Inject, Injectable, Logger } from '@nestjs/common';
import { UnrecoverableError, type Job } from 'bullmq';
import { JobName, type JobPayloads } from '@wangge/jobs';
import { CaseRoutingService } from '@wangge/workflow';
import type { JobHandler } from './job-handler';

/** Re-zoning changed a dispatched or in-progress case's responsible chief: hand it to the new one. */
@Injectable()
export class RerouteCaseHandler implements JobHandler<JobName.RerouteCase> {
  readonly name = JobName.RerouteCase;
  private readonly logger = new Logger('routing');

  constructor(@Inject(CaseRoutingService) private readonly routing: CaseRoutingService) {}

  async handle(data: JobPayloads[JobName.RerouteCase], job: Job): Promise<unknown> {
    const outcome = await this.routing.reroute(data.caseId);
    // The case stays with its chief; an operator sees the failed job and dispatches by hand.
    if (outcome.kind === 'no_chief') throw new UnrecoverableError(`case ${data.caseId}: ${outcome.reason}`);
    if (outcome.kind === 'rerouted') this.logger.debug(`case ${data.caseId} re-zoned: chief ${outcome.formerAssigneeId} → ${outcome.assigneeId} (job ${job.id})`);
    return outcome;
  }
}
