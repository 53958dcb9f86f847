import { JobName, type JobRequest } from '@wangge/jobs';

/** The timer of an item's milestone due at `dueAt` (on the dispatcher's clocks queue). */
export function milestoneTimer(itemId: string, code: string, dueAt: Date): JobRequest {
  return { name: JobName.CheckMilestone, data: { itemId, code, dueAt: dueAt.toISOString() }, deliverAfter: dueAt };
}

/** The job id of a milestone's timer rebuilt from the database: one per item, milestone and due time. */
export function milestoneJobId(itemId: string, code: string, dueAt: Date): string {
  return `milestone-${itemId}-${code}-${dueAt.getTime()}`;
}
