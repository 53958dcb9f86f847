import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import { JobQueue } from '@wangge/jobs';
import { CaseEventNotifier, deliverJob, NotificationDeliveryService } from '@wangge/notifications';
import { PeriodicSweep } from '../clocks/periodic-sweep';

/**
 * New case events into notifications (assigned, escalated, overdue, supervised), every NOTIFY_POLL_MS,
 * until none is left; each pass fans its notifications out in its own transaction (no queue hop).
 */
@Injectable()
export class CaseEventNotifications extends PeriodicSweep {
  protected readonly logger = new Logger('notifications');
  protected readonly what = 'case events to notify';
  protected readonly intervalMs: number;

  constructor(
    @Inject(CaseEventNotifier) private readonly notifier: CaseEventNotifier,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    super();
    this.intervalMs = config.notify.pollMs;
  }

  async sweep(): Promise<number> {
    let raised = 0;
    for (let i = 0; i < 20; i++) {
      const ids = await this.notifier.run();
      raised += ids.length;
      if (ids.length === 0) break;
    }
    return raised;
  }
}

/**
 * Deliveries whose job was lost (Redis emptied) or whose hold ended under a moved clock, put back on
 * the notifications queue every SWEEP_INTERVAL_MS; the claim makes a doubled job a no-op.
 */
@Injectable()
export class DeliverySweeper extends PeriodicSweep {
  protected readonly logger = new Logger('notifications');
  protected readonly what = 'notification deliveries';
  protected readonly intervalMs: number;

  constructor(
    @Inject(NotificationDeliveryService) private readonly deliveries: NotificationDeliveryService,
    @Inject(JobQueue) private readonly queue: JobQueue,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    super();
    this.intervalMs = config.sweepIntervalMs;
  }

  async sweep(): Promise<number> {
    const due = await this.deliveries.overdue();
    await this.queue.addAll(due.map((d) => ({ jobId: `sweep-delivery-${d.deliveryId}-${d.attempt}`, request: deliverJob(d.deliveryId, d.attempt) })));
    return due.length;
  }
}
