/**
 * The queue contract: queue names, job names and the payload of each job, in one place. Payloads
 * carry ids, never entities: a handler re-reads what it needs, so a retried job never acts on
 * stale data.
 */
export enum QueueName {
  /** Route registered cases to their road chief (dispatcher). */
  Routing = 'routing',
  /** Deadlines, overdue marks and escalations (dispatcher). */
  Clocks = 'clocks',
  /** Daily summaries and weekly bulletins, made by job schedulers at their local times (dispatcher). */
  Bulletins = 'bulletins',
  /** Housekeeping on a schedule: purging uploads no case holds (dispatcher). */
  Maintenance = 'maintenance',
  /** Notifications: fan-out to channels and people, and each delivery (its own queue and concurrency: a slow endpoint never holds the others). */
  Notifications = 'notifications',
}

export enum JobName {
  /** A case became `registered`: find its chief and dispatch it. */
  RouteCase = 'route-case',
  /** Re-zoning changed a dispatched or in-progress case's responsible chief: hand it to the new one. */
  RerouteCase = 'reroute-case',
  /** A case's clock is due (deadline, further limit or verification limit): overdue, escalate. */
  CheckDeadline = 'check-deadline',
  /** A stage of the command centre (受理/立案, 派遣, 核查) is due: mark it overdue against its post, tell the leader on duty. */
  CheckStage = 'check-stage',
  /** An inspection due by a plan reached its deadline: missed (announced, escalated once) unless done; the plan's next slot is made due. */
  CheckInspectionDue = 'check-inspection-due',
  /** A duty shift's check-in time (start + DUTY_GRACE_MIN) is over: missed (announced, escalated once) unless checked in. */
  CheckDutyShift = 'check-duty-shift',
  /** A campaign item's milestone is due: not done, it is marked overdue, announced and escalated once to the leaders over the place's street. */
  CheckMilestone = 'check-milestone',
  /** The daily summary (每日汇总) is due: publish every daily period due at the dispatcher's clock and not yet stored. */
  PublishDailySummary = 'publish-daily-summary',
  /** The weekly bulletin (每周通报) is due: likewise for ISO weeks. */
  PublishWeeklyBulletin = 'publish-weekly-bulletin',
  /** Delete uploads no case holds once they are MEDIA_ORPHAN_HOURS old (row and file). */
  PurgeOrphanMedia = 'purge-orphan-media',
  /** A notification was raised (libs/notifications `notify`): write its deliveries (channels, people) and queue them. */
  FanOutNotification = 'fan-out-notification',
  /** Send one delivery (webhook, WeCom, DingTalk, email, inbox); a failure schedules the next attempt or marks it dead. */
  DeliverNotification = 'deliver-notification',
  /** An hour before a task's deadline: `task.due_soon` to its assignee, unless the case moved on. */
  CheckDueSoon = 'check-due-soon',
}

export interface JobPayloads {
  [JobName.RouteCase]: { caseId: string };
  [JobName.RerouteCase]: { caseId: string };
  /** `dueAt` is the case's `next_check_at` when the job was made; a job whose time moved on does nothing. */
  [JobName.CheckDeadline]: { caseId: string; dueAt: string };
  /** `dueAt` is the open stage's due time when the job was made; a stage ended or re-timed since does nothing. */
  [JobName.CheckStage]: { caseId: string; stage: 'register' | 'dispatch' | 'check'; dueAt: string };
  /** `dueAt` is the due inspection's deadline when the job was made; a row done, missed or re-timed since does nothing more. */
  [JobName.CheckInspectionDue]: { dueId: string; dueAt: string };
  /** `dueAt` is the shift's check-in deadline when the job was made. */
  [JobName.CheckDutyShift]: { shiftId: string; dueAt: string };
  /** `dueAt` is the milestone's due time when the job was made; a milestone done or re-timed since does nothing. */
  [JobName.CheckMilestone]: { itemId: string; code: string; dueAt: string };
  /** No data: the periods come from the clock when the job runs, so a late or repeated job publishes the right ones once. */
  [JobName.PublishDailySummary]: Record<string, never>;
  [JobName.PublishWeeklyBulletin]: Record<string, never>;
  /** No data: the cut-off comes from the dispatcher's clock when the job runs. */
  [JobName.PurgeOrphanMedia]: Record<string, never>;
  [JobName.FanOutNotification]: { notificationId: string };
  /** `attempt` is the attempt this job makes (1 first); a job for an attempt already made does nothing. */
  [JobName.DeliverNotification]: { deliveryId: string; attempt: number };
  /** `deadlineAt` and `chiefId` when the job was made; a case whose deadline or assignee changed since does nothing. */
  [JobName.CheckDueSoon]: { caseId: string; deadlineAt: string; chiefId: number };
}

/** Which queue carries each job. */
export const JOB_QUEUES: { [N in JobName]: QueueName } = {
  [JobName.RouteCase]: QueueName.Routing,
  [JobName.RerouteCase]: QueueName.Routing,
  [JobName.CheckDeadline]: QueueName.Clocks,
  [JobName.CheckStage]: QueueName.Clocks,
  [JobName.CheckInspectionDue]: QueueName.Clocks,
  [JobName.CheckDutyShift]: QueueName.Clocks,
  [JobName.CheckMilestone]: QueueName.Clocks,
  [JobName.PublishDailySummary]: QueueName.Bulletins,
  [JobName.PublishWeeklyBulletin]: QueueName.Bulletins,
  [JobName.PurgeOrphanMedia]: QueueName.Maintenance,
  [JobName.FanOutNotification]: QueueName.Notifications,
  [JobName.DeliverNotification]: QueueName.Notifications,
  [JobName.CheckDueSoon]: QueueName.Notifications,
};

/** A job to enqueue, type-checked against its payload. */
export type JobRequest = {
  [N in JobName]: { name: N; data: JobPayloads[N]; /** not before this instant */ deliverAfter?: Date };
}[JobName];

export const ALL_QUEUES: readonly QueueName[] = Object.values(QueueName);

export function isJobName(value: unknown): value is JobName {
  return typeof value === 'string' && (Object.values(JobName) as string[]).includes(value);
}
