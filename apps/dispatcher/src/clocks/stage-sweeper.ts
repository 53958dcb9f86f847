import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, type Clock } from '@wangge/clock';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import { JobName, JobQueue, type JobRequest } from '@wangge/jobs';
import { CaseStageService } from '@wangge/workflow';
import { stageJobId } from '../jobs/check-stage.handler';
import { PeriodicSweep, resendTimers } from './periodic-sweep';

const NIL = '00000000-0000-0000-0000-000000000000';

/**
 * Stage timers from the database, like the case clocks' TimerSweeper: at start every open stage's
 * timer is put (back) on the clocks queue, then every SWEEP_INTERVAL_MS those due and not yet marked
 * are sent again; the handler acts once per stage and due time.
 */
@Injectable()
export class StageSweeper extends PeriodicSweep {
  protected readonly logger = new Logger('stages');
  protected readonly what = 'stage timers';
  protected readonly intervalMs: number;

  constructor(
    @Inject(CaseStageService) private readonly stages: CaseStageService,
    @Inject(JobQueue) private readonly queue: JobQueue,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    super();
    this.intervalMs = config.sweepIntervalMs;
  }

  /** `all`: every open stage's timer (at start); otherwise only those that should have fired already. */
  async sweep(all: boolean): Promise<number> {
    const sent = await resendTimers(
      this.queue,
      {
        first: { caseId: NIL, stage: '' },
        pending: (q) => this.stages.pending(q),
        keyOf: (r) => ({ caseId: r.case_id, stage: r.stage }),
        job: (r) => {
          const dueAt = new Date(r.due_at);
          const request: JobRequest = { name: JobName.CheckStage, data: { caseId: r.case_id, stage: r.stage, dueAt: dueAt.toISOString() }, deliverAfter: dueAt };
          return { jobId: stageJobId(r.case_id, r.stage, dueAt), request };
        },
      },
      all,
      this.clock.now(),
    );
    if (sent > 0) this.logger.log(`${all ? 'rebuilt' : 'resent'} ${sent} stage timers`);
    return sent;
  }
}
