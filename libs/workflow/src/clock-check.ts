import type { CaseStatus } from '@wangge/domain';

/** What the clock knows of a case when a check comes due. */
export interface ClockState {
  status: CaseStatus;
  overdue: boolean;
  escalationLevel: number;
  nextCheckAt: Date | null;
  verifyDeadlineAt: Date | null;
  verifyOverdue: boolean;
}

export type ClockDecision =
  /** The job's time is not the case's: its deadline moved, or the case was handled. */
  | { kind: 'stale' }
  /** Delivered before its time (clock skew): look again at `at`. */
  | { kind: 'early'; at: Date }
  /** The handling limit was missed: mark overdue (first time) and escalate if there is a level left. */
  | { kind: 'handling_missed'; firstTime: boolean; mayEscalate: boolean }
  /** The verification limit was missed. */
  | { kind: 'verification_missed' };

/** Escalations stop after two levels (3 → 2 → 1). */
export const MAX_ESCALATIONS = 2;

/**
 * The rule of the clocks (domain.md 2): a check acts only when its time is the case's
 * `next_check_at` and has come; a handled case (or one whose deadline moved) ignores it. Pure; the
 * service runs it under the case's row lock, so a check delivered twice acts once.
 */
export function decideClockCheck(state: ClockState, dueAt: Date, now: Date): ClockDecision {
  if (!state.nextCheckAt || state.nextCheckAt.getTime() !== dueAt.getTime()) return { kind: 'stale' };
  if (now.getTime() < dueAt.getTime()) return { kind: 'early', at: dueAt };
  if (state.status === 'dispatched' || state.status === 'in_progress') {
    return { kind: 'handling_missed', firstTime: !state.overdue, mayEscalate: state.escalationLevel < MAX_ESCALATIONS };
  }
  if (state.status === 'resolved' && state.verifyDeadlineAt && !state.verifyOverdue) return { kind: 'verification_missed' };
  return { kind: 'stale' };
}
