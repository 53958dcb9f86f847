import { Inject, Injectable } from '@nestjs/common';
import { JobName, type JobPayloads } from '@wangge/jobs';
import { CaseEventNotifier, NotificationDeliveryService, NotificationFanOut, type DeliveryOutcome } from '@wangge/notifications';
import type { JobHandler } from '../jobs/job-handler';

/** A raised notification: its deliveries written and queued. */
@Injectable()
export class FanOutNotificationHandler implements JobHandler<JobName.FanOutNotification> {
  readonly name = JobName.FanOutNotification;

  constructor(@Inject(NotificationFanOut) private readonly fanOut: NotificationFanOut) {}

  handle(data: JobPayloads[JobName.FanOutNotification]): Promise<number> {
    return this.fanOut.fanOut(data.notificationId);
  }
}

/** One attempt of one delivery (its failure is recorded and retried by the service, not by BullMQ). */
@Injectable()
export class DeliverNotificationHandler implements JobHandler<JobName.DeliverNotification> {
  readonly name = JobName.DeliverNotification;

  constructor(@Inject(NotificationDeliveryService) private readonly deliveries: NotificationDeliveryService) {}

  handle(data: JobPayloads[JobName.DeliverNotification]): Promise<DeliveryOutcome> {
    return this.deliveries.deliver(data.deliveryId, data.attempt);
  }
}

/** An hour before a task's deadline: `task.due_soon`, unless the case moved on. */
@Injectable()
export class CheckDueSoonHandler implements JobHandler<JobName.CheckDueSoon> {
  readonly name = JobName.CheckDueSoon;

  constructor(@Inject(CaseEventNotifier) private readonly notifier: CaseEventNotifier) {}

  handle(data: JobPayloads[JobName.CheckDueSoon]): Promise<boolean> {
    return this.notifier.dueSoon(data);
  }
}
