import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, type Clock } from '@wangge/clock';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import { JobName, JobQueue, type JobRequest } from '@wangge/jobs';
import { DutyClockService, InspectionClockService } from '@wangge/places';
import { shiftJobId } from '../jobs/check-duty-shift.handler';
import { dueJobId } from '../jobs/check-inspection-due.handler';
import { PeriodicSweep } from './periodic-sweep';

const GRACE_MS = 10_000;
const BATCH = 1000;
const NIL = '00000000-0000-0000-0000-000000000000';

export interface InspectionSweepResult {
  due: number;
  shifts: number;
}

/**
 * The timers of inspection plans and duty shifts from the database, like the stage timers'
 * StageSweeper: at start every due inspection's deadline and every shift's check-in mark not yet
 * handled is put (back) on the clocks queue, then every SWEEP_INTERVAL_MS those past due are sent
 * again; the handlers act once per row and time.
 */
@Injectable()
export class InspectionSweeper extends PeriodicSweep {
  protected readonly logger = new Logger('inspections');
  protected readonly what = 'inspection and duty timers';
  protected readonly intervalMs: number;

  constructor(
    @Inject(InspectionClockService) private readonly inspections: InspectionClockService,
    @Inject(DutyClockService) private readonly duty: DutyClockService,
    @Inject(JobQueue) private readonly queue: JobQueue,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    super();
    this.intervalMs = config.sweepIntervalMs;
  }

  async sweep(all: boolean): Promise<InspectionSweepResult> {
    const now = this.clock.now();
    const dueBefore = new Date(now.getTime() - (all ? 0 : GRACE_MS));
    let due = 0;
    for (let after = NIL; ; ) {
      const rows = await this.inspections.pending({ all, dueBefore, after, limit: BATCH });
      if (rows.length === 0) break;
      await this.queue.addAll(
        rows.map((r) => {
          const at = new Date(r.due_at);
          const request: JobRequest = { name: JobName.CheckInspectionDue, data: { dueId: r.id, dueAt: at.toISOString() }, deliverAfter: at };
          return { jobId: dueJobId(r.id, at), request };
        }),
        now.getTime(),
      );
      due += rows.length;
      after = rows[rows.length - 1].id;
    }
    let shifts = 0;
    for (let after = NIL; ; ) {
      const rows = await this.duty.pending({ all, dueBefore, after, limit: BATCH });
      if (rows.length === 0) break;
      await this.queue.addAll(
        rows.map((r) => {
          const at = new Date(r.check_by);
          const request: JobRequest = { name: JobName.CheckDutyShift, data: { shiftId: r.id, dueAt: at.toISOString() }, deliverAfter: at };
          return { jobId: shiftJobId(r.id, at), request };
        }),
        now.getTime(),
      );
      shifts += rows.length;
      after = rows[rows.length - 1].id;
    }
    if (due + shifts > 0) this.logger.log(`${all ? 'rebuilt' : 'resent'} ${due} inspection and ${shifts} duty timers`);
    return { due, shifts };
  }
}
