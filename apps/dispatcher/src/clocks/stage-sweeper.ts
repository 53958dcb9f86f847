import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, type Clock } from '@wangge/clock';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import { JobName, JobQueue, type JobRequest } from '@wangge/jobs';
import { CaseStageService } from '@wangge/workflow';
import { stageJobId } from '../jobs/check-stage.handler';
import { PeriodicSweep } from './periodic-sweep';

const GRACE_MS = 10_000;
const BATCH = 1000;

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
    const now = this.clock.now();
    const dueBefore = new Date(now.getTime() - (all ? 0 : GRACE_MS));
    let sent = 0;
    for (let after = { caseId: '00000000-0000-0000-0000-000000000000', stage: '' }; ; ) {
      const rows = await this.stages.pending({ all, dueBefore, after, limit: BATCH });
      if (rows.length === 0) break;
      await this.queue.addAll(
        rows.map((r) => {
          const dueAt = new Date(r.due_at);
          const request: JobRequest = { name: JobName.CheckStage, data: { caseId: r.case_id, stage: r.stage, dueAt: dueAt.toISOString() }, deliverAfter: dueAt };
          return { jobId: stageJobId(r.case_id, r.stage, dueAt), request };
        }),
        now.getTime(),
      );
      sent += rows.length;
      const last = rows[rows.length - 1];
      after = { caseId: last.case_id, stage: last.stage };
    }
    if (sent > 0) this.logger.log(`${all ? 'rebuilt' : 'resent'} ${sent} stage timers`);
    return sent;
  }
}
