import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, type Clock } from '@wangge/clock';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import { JobName, JobQueue, type JobRequest } from '@wangge/jobs';
import { DutyClockService, InspectionClockService } from '@wangge/places';
import { shiftJobId } from '../jobs/check-duty-shift.handler';
import { dueJobId } from '../jobs/check-inspection-due.handler';
import { PeriodicSweep, resendTimers } from './periodic-sweep';

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
    const due = await resendTimers(
      this.queue,
      {
        first: NIL,
        pending: (q) => this.inspections.pending(q),
        keyOf: (r) => r.id,
        job: (r) => {
          const at = new Date(r.due_at);
          const request: JobRequest = { name: JobName.CheckInspectionDue, data: { dueId: r.id, dueAt: at.toISOString() }, deliverAfter: at };
          return { jobId: dueJobId(r.id, at), request };
        },
      },
      all,
      now,
    );
    const shifts = await resendTimers(
      this.queue,
      {
        first: NIL,
        pending: (q) => this.duty.pending(q),
        keyOf: (r) => r.id,
        job: (r) => {
          const at = new Date(r.check_by);
          const request: JobRequest = { name: JobName.CheckDutyShift, data: { shiftId: r.id, dueAt: at.toISOString() }, deliverAfter: at };
          return { jobId: shiftJobId(r.id, at), request };
        },
      },
      all,
      now,
    );
    if (due + shifts > 0) this.logger.log(`${all ? 'rebuilt' : 'resent'} ${due} inspection and ${shifts} duty timers`);
    return { due, shifts };
  }
}
