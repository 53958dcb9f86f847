import { Inject, Injectable, Logger } from '@nestjs/common';
import { UnrecoverableError, type Job } from 'bullmq';
import { JobName, type JobPayloads } from '@wangge/jobs';
import { CaseRoutingService } from '@wangge/workflow';
import type { JobHandler } from './job-handler';

/** A case became `registered`: route it to its chief and dispatch it. */
@Injectable()
export class RouteCaseHandler implements JobHandler<JobName.RouteCase> {
  readonly name = JobName.RouteCase;
  private readonly logger = new Logger('routing');

  constructor(@Inject(CaseRoutingService) private readonly routing: CaseRoutingService) {}

  async handle(data: JobPayloads[JobName.RouteCase], job: Job): Promise<unknown> {
    const outcome = await this.routing.route(data.caseId);
    if (outcome.kind === 'no_chief') {
      // No retry will find a chief until someone acts: straight to the failed set, where an operator
      // sees it (GET /api/v1/admin/jobs) and dispatches by hand or retries once a chief is back.
      throw new UnrecoverableError(`case ${data.caseId}: ${outcome.reason}`);
    }
    if (outcome.kind === 'dispatched') this.logger.debug(`case ${data.caseId} → chief ${outcome.assigneeId} (job ${job.id})`);
    return outcome;
  }
}
