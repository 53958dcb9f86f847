import { Inject, Injectable, Logger } from '@nestjs/common';
import { MilestoneClockService, milestoneJobId, milestoneTimer } from '@wangge/campaigns';
import { CLOCK, type Clock } from '@wangge/clock';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import { JobQueue } from '@wangge/jobs';
import { PeriodicSweep, resendTimers } from './periodic-sweep';

/**
 * Campaign milestones' timers from the database, like the stage timers' StageSweeper: at start
 * every pending milestone's timer is put (back) on the clocks queue (a Redis or worker restart
 * loses none), then every SWEEP_INTERVAL_MS those due and not yet marked are sent again; the
 * handler marks each milestone once.
 */
@Injectable()
export class MilestoneSweeper extends PeriodicSweep {
  protected readonly logger = new Logger('milestones');
  protected readonly what = 'milestone timers';
  protected readonly intervalMs: number;

  constructor(
    @Inject(MilestoneClockService) private readonly milestones: MilestoneClockService,
    @Inject(JobQueue) private readonly queue: JobQueue,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    super();
    this.intervalMs = config.sweepIntervalMs;
  }

  async sweep(all: boolean): Promise<number> {
    const sent = await resendTimers(
      this.queue,
      {
        first: { itemId: '00000000-0000-0000-0000-000000000000', code: '' },
        pending: (q) => this.milestones.pending(q),
        keyOf: (r) => ({ itemId: r.item_id, code: r.code }),
        job: (r) => {
          const dueAt = new Date(r.due_at);
          return { jobId: milestoneJobId(r.item_id, r.code, dueAt), request: milestoneTimer(r.item_id, r.code, dueAt) };
        },
      },
      all,
      this.clock.now(),
    );
    if (sent > 0) this.logger.log(`${all ? 'rebuilt' : 'resent'} ${sent} milestone timers`);
    return sent;
  }
}
