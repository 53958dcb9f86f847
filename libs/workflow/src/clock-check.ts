import { escalationTarget, isChiefLevel, type CaseStatus, type RoutingCandidates, type RoutingPlace } from '@wangge/domain';
import type { EventDraft } from './transition';

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

/** What the escalation of a missed limit needs to know of the case. */
export interface EscalationInput {
  escalationLevel: number;
  assigneeChiefId: number | null;
  /** The level of the assigned chief, if known. */
  assigneeLevel: number | null;
  escalatedTo: readonly number[];
  /** The levels of the chiefs holding the case (the assignee and those it was escalated to). */
  heldLevels: readonly number[];
  /** The place of the case as routing sees it; null when it lies in no cell any more. */
  routing: { routingPlace: Pick<RoutingPlace, 'segment' | 'street'>; candidates: RoutingCandidates } | null;
}

export interface EscalationStep {
  /** The chief the case goes up to, or null. */
  escalatedTo: number | null;
  reason: { en: string; zh: string } | null;
  levelAfter: number;
  /** Whether another missed limit may climb again (a next check one more limit away). */
  climbsAgain: boolean;
}

/**
 * Who a missed handling limit escalates the case to (domain.md 2): one level up from the lowest
 * level holding it, past the chiefs already holding it; pure. `mayEscalate` from {@link decideClockCheck}.
 */
export function escalationStep(c: EscalationInput, mayEscalate: boolean): EscalationStep {
  let escalatedTo: number | null = null;
  let reason: { en: string; zh: string } | null = null;
  if (mayEscalate && c.assigneeChiefId !== null) {
    const holding = [c.assigneeChiefId, ...c.escalatedTo];
    const current = Math.min(...c.heldLevels, c.assigneeLevel ?? 3);
    if (c.routing && isChiefLevel(current)) {
      const target = escalationTarget(c.routing.routingPlace, c.routing.candidates, current, new Set(holding));
      escalatedTo = target.chief?.id ?? null;
      reason = { en: target.reason, zh: target.reasonZh };
    }
  }
  const escalates = escalatedTo !== null;
  const levelAfter = c.escalationLevel + (escalates ? 1 : 0);
  return { escalatedTo, reason, levelAfter, climbsAgain: escalates && levelAfter < MAX_ESCALATIONS };
}

/** The event of a first missed handling limit. */
export function overdueDraft(status: CaseStatus, deadlineAt: Date | null): EventDraft {
  return { type: 'case.overdue', from: status, to: status, reason: 'handling limit missed / 超过处置时限', note: null, evidence: { deadlineAt: deadlineAt ? deadlineAt.toISOString() : null } };
}

/** The event of an escalation to `to`, now at `level`. */
export function escalatedDraft(status: CaseStatus, reason: { en: string; zh: string }, to: number, level: number): EventDraft {
  return { type: 'case.escalated', from: status, to: status, reason: reason.en, note: reason.zh, evidence: { to, level } };
}

/** The event of a missed verification limit. */
export function verificationOverdueDraft(status: CaseStatus, dueAt: Date): EventDraft {
  return { type: 'case.verification_overdue', from: status, to: status, reason: 'verification limit missed / 核查超时', note: null, evidence: { verifyDeadlineAt: dueAt.toISOString() } };
}
