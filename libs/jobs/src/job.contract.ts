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
}

export enum JobName {
  /** A case became `registered`: find its chief and dispatch it. */
  RouteCase = 'route-case',
  /** A case's clock is due (deadline, further limit or verification limit): overdue, escalate. */
  CheckDeadline = 'check-deadline',
}

export interface JobPayloads {
  [JobName.RouteCase]: { caseId: string };
  /** `dueAt` is the case's `next_check_at` when the job was made; a job whose time moved on does nothing. */
  [JobName.CheckDeadline]: { caseId: string; dueAt: string };
}

/** Which queue carries each job. */
export const JOB_QUEUES: { [N in JobName]: QueueName } = {
  [JobName.RouteCase]: QueueName.Routing,
  [JobName.CheckDeadline]: QueueName.Clocks,
};

/** A job to enqueue, type-checked against its payload. */
export type JobRequest = {
  [N in JobName]: { name: N; data: JobPayloads[N]; /** not before this instant */ deliverAfter?: Date };
}[JobName];

export const ALL_QUEUES: readonly QueueName[] = Object.values(QueueName);

export function isJobName(value: unknown): value is JobName {
  return typeof value === 'string' && (Object.values(JobName) as string[]).includes(value);
}

/** BullMQ key prefix of the platform. */
export const QUEUE_PREFIX = 'wangge';
