// What a task in a road chief's list is to them: their own (assigned) or one escalated to them.
import type { CaseEventPayload } from './contract';

export type TaskRelation = 'assigned' | 'escalated';

/**
 * GET /me/tasks answers the cases assigned to the chief or escalated to them (the case's
 * escalatedTo holds their id): one whose assignee is someone else was escalated to them.
 * Unknown (null) until the chief's own id is known.
 */
export function relationOf(task: { assignee: { id: number } | { kind: 'department' } | null }, chiefId: number | null): TaskRelation | null {
  if (chiefId === null) return null;
  // A department's case (domain.md 9) is the chief's to coordinate, never their own.
  return task.assignee && 'id' in task.assignee && task.assignee.id === chiefId ? 'assigned' : 'escalated';
}

/** Whether a feed event escalates a case to this chief (just now: worth a sound). */
export function escalatedToMe(e: Pick<CaseEventPayload, 'type' | 'escalatedTo'>, chiefId: number | null): boolean {
  return chiefId !== null && e.type === 'case.escalated' && e.escalatedTo.includes(chiefId);
}
