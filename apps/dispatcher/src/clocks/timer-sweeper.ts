import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, type Clock } from '@wangge/clock';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import { JobName, JobQueue, QueueName, type JobRequest } from '@wangge/jobs';
import { CaseSweepQuery, type WaitingCase } from '@wangge/workflow';
import { timerJobId } from '../jobs/check-deadline.handler';
import { LOST_AFTER_MS, PeriodicSweep, resendTimers } from './periodic-sweep';

/** Registered cases waiting for a dispatch are read a page at a time. */
const BATCH = 1000;

export interface SweepResult {
  timers: number;
  routes: number;
}

/**
 * The database is the source of truth for timers: at start every case's next check is put (back)
 * on the clocks queue, and then, every SWEEP_INTERVAL_MS, checks that are overdue by more than a
 * grace period and registered cases still waiting for a dispatch are sent again. So a Redis that
 * was emptied, a crash between commit and enqueue, or a lost job never loses a deadline or a
 * dispatch; the handlers are idempotent, so a timer sent twice acts once.
 */
@Injectable()
export class TimerSweeper extends PeriodicSweep {
  protected readonly logger = new Logger('timers');
  protected readonly what = 'timers';
  protected readonly intervalMs: number;

  constructor(
    @Inject(CaseSweepQuery) private readonly cases: CaseSweepQuery,
    @Inject(JobQueue) private readonly queue: JobQueue,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    super();
    this.intervalMs = config.sweepIntervalMs;
  }

  /** `all`: every pending timer (at start); otherwise only the ones that should have fired already. */
  async sweep(all: boolean): Promise<SweepResult> {
    const now = this.clock.now();
    const lostBefore = new Date(now.getTime() - LOST_AFTER_MS);
    const timers = await resendTimers(
      this.queue,
      {
        first: '00000000-0000-0000-0000-000000000000',
        pending: (q) => this.cases.pendingChecks(q),
        keyOf: (r) => r.id,
        job: (r) => {
          const dueAt = new Date(r.next_check_at);
          const request: JobRequest = { name: JobName.CheckDeadline, data: { caseId: r.id, dueAt: dueAt.toISOString() }, deliverAfter: dueAt };
          return { jobId: timerJobId(r.id, dueAt), request };
        },
      },
      all,
      now,
    );
    let routes = 0;
    for (let after = { at: new Date(0), id: '00000000-0000-0000-0000-000000000000' }; ; ) {
      const waiting = await this.cases.waitingForDispatch({ changedBefore: all ? now : lostBefore, after, limit: BATCH });
      if (waiting.length === 0) break;
      const jobs = await this.routeJobsWanted(waiting, now);
      await this.queue.addAll(jobs, now.getTime());
      routes += jobs.length;
      const last = waiting[waiting.length - 1];
      after = { at: last.updated_at, id: last.id };
    }
    if (timers + routes > 0) this.logger.log(`${all ? 'rebuilt' : 'resent'} ${timers} timers and ${routes} route jobs`);
    return { timers, routes };
  }

  /**
   * The route jobs to send for registered cases still waiting for a dispatch. Each case's sweep job
   * is `route-<case>-<updated_at>`: one per case and state, so repeated sweeps send it once. It is
   * sent when missing, and again under a new id when the job of that id cannot dispatch the case:
   * it ended without dispatching it, or it is another case's. A failed job is left as it is: it is
   * listed with its reason (GET /api/v1/admin/jobs) for an operator, who retries or dispatches by hand.
   */
  private async routeJobsWanted(waiting: readonly WaitingCase[], now: Date): Promise<{ jobId: string; request: JobRequest }[]> {
    const routing = this.queue.queue(QueueName.Routing);
    type Wanted = { jobId: string; request: JobRequest };
    const wanted = await Promise.all(
      waiting.map(async (r): Promise<Wanted | null> => {
        const jobId = `route-${r.id}-${new Date(r.updated_at).getTime()}`;
        const request: JobRequest = { name: JobName.RouteCase, data: { caseId: r.id } };
        const job = await routing.getJob(jobId);
        if (!job) return { jobId, request };
        const state = (job.data as { caseId?: unknown }).caseId === r.id ? await job.getState() : 'another case';
        if (state === 'waiting' || state === 'delayed' || state === 'active' || state === 'prioritized' || state === 'waiting-children' || state === 'failed') {
          return null;
        }
        this.logger.warn(`case ${r.id} is still registered and its route job ${jobId} is ${state}: sending a new one`);
        return { jobId: `${jobId}-${now.getTime()}`, request };
      }),
    );
    return wanted.filter((j): j is Wanted => j !== null);
  }
}
