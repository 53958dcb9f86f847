import type { CaseAction, CaseEventType, CaseStatus, ClockType } from '@wangge/domain';
import { JobName, type JobRequest } from '@wangge/jobs';
import type { Actor } from './actor';
import { CaseError } from './case-error';

/**
 * 挂账 (domain.md 2, 数字城管 practice): an operator asks to put a case on the ledger with a reason
 * and a date (`until`, at most a year ahead); a leader approves (or refuses). While suspended the
 * case's clock stands still: the time left to its deadline (and to its next clock check) on its own
 * clock is kept, it is not overdue and no check acts on it. At `resume`, or when `until` comes, the
 * clock restarts from now with exactly that time left.
 */

/** What a case holds of a suspension: a pending request and the suspension in force. */
export interface SuspensionState {
  request: { reason: string; until: Date } | null;
  suspendedAt: Date | null;
  until: Date | null;
  clockType: ClockType | null;
  /** Clock milliseconds that were left to the deadline. */
  leftMs: number | null;
  /** Clock milliseconds that were left to the next clock check (null: none was pending). */
  checkLeftMs: number | null;
  /** The overdue mark the case had when it was suspended (given back at resume). */
  overdue: boolean;
}

/** The columns a suspension changes (part of transition.ts `CasePatch`). */
export interface SuspensionPatch {
  deadlineAt?: Date | null;
  overdue?: boolean;
  nextCheckAt?: Date | null;
  suspendRequestedUntil?: Date | null;
  suspendRequestedReason?: string | null;
  suspendedAt?: Date | null;
  suspendedUntil?: Date | null;
  suspendReason?: string | null;
  suspendClock?: ClockType | null;
  suspendLeftMs?: number | null;
  suspendCheckLeftMs?: number | null;
  suspendOverdue?: boolean;
}

/** What a suspension reads of a case (part of transition.ts `CaseState`). */
export interface SuspensionSubject {
  id: string;
  status: CaseStatus;
  deadlineAt: Date | null;
  overdue: boolean;
  nextCheckAt?: Date | null;
  suspension?: SuspensionState;
}

/** The change a suspend or resume makes: the transition writes it with its one event. */
export interface SuspensionStep {
  patch: SuspensionPatch;
  event: { type: CaseEventType; evidence: Record<string, unknown> };
  effects: JobRequest[];
}

/** The clock of the case a suspension stops and restarts (built by the workflow from its limit). */
export interface SuspensionClock {
  clockType: ClockType;
  /** Clock milliseconds from `from` to `to` (0 when `to` is not after `from`). */
  msBetween(from: Date, to: Date): number;
  /** The instant `ms` clock milliseconds after `start`. */
  after(start: Date, ms: number): Date;
}

/** The states whose clock a suspension stops (the handling limit runs in them). */
export const SUSPENDABLE: readonly CaseStatus[] = ['dispatched', 'in_progress'];

/** The actions a suspended case still takes; any other waits for the resume. */
export const WHILE_SUSPENDED: readonly CaseAction[] = ['resume', 'comment', 'cancel'];

/** The columns of a suspension, cleared (at resume, at cancel). */
export const SUSPENSION_CLEARED: SuspensionPatch = {
  suspendedAt: null,
  suspendedUntil: null,
  suspendReason: null,
  suspendClock: null,
  suspendLeftMs: null,
  suspendCheckLeftMs: null,
  suspendOverdue: false,
};

/** The latest `until` a suspension may have: one year after `now` (the same date and time). */
export function latestUntil(now: Date): Date {
  const d = new Date(now.getTime());
  d.setUTCFullYear(d.getUTCFullYear() + 1);
  return d;
}

export function isSuspended(state: Pick<SuspensionSubject, 'suspension'>): boolean {
  return !!state.suspension?.suspendedAt;
}

/** What suspend and resume are given: the instant and, for an approval or a resume, the case's clock. */
export interface SuspensionContext {
  now: Date;
  suspensionClock?: SuspensionClock;
}

const event = (type: CaseEventType, evidence: Record<string, unknown>) => ({ type, evidence });

/** `suspend`: the operator's request, or the leader's approval (`passed` false: refusal). */
export function suspendCase(
  state: SuspensionSubject,
  actor: Actor,
  input: { until?: string; passed?: boolean },
  ctx: SuspensionContext,
  reason: string | null,
): SuspensionStep {
  if (isSuspended(state)) throw new CaseError('illegal_transition', 'the case is already suspended / 案卷已挂账', undefined, state.status);
  const pending = state.suspension?.request ?? null;
  if (actor.role === 'operator') {
    if (pending) throw new CaseError('illegal_transition', 'a suspension is already requested and awaits a leader / 已申请挂账，待领导审批', undefined, state.status);
    if (!reason) throw new CaseError('bad_input', 'a reason is required to suspend a case / 挂账须说明理由', 'reason');
    const until = untilOf(input.until, ctx.now);
    if (!state.deadlineAt) throw new CaseError('illegal_transition', 'the case has no deadline whose clock could stop / 案卷没有处置时限', undefined, state.status);
    return {
      patch: { suspendRequestedUntil: until, suspendRequestedReason: reason },
      event: event('case.suspend_requested', { until: until.toISOString() }),
      effects: [],
    };
  }
  // The leader decides an operator's request: a leader alone cannot suspend a case.
  if (!pending) throw new CaseError('illegal_transition', 'no suspension is requested: an operator asks first / 须先由受理员申请挂账', undefined, state.status);
  if (input.passed === false) {
    return {
      patch: { suspendRequestedUntil: null, suspendRequestedReason: null },
      event: event('case.suspend_refused', { until: pending.until.toISOString() }),
      effects: [],
    };
  }
  if (pending.until.getTime() <= ctx.now.getTime()) {
    throw new CaseError('bad_input', 'the requested until has passed; ask again / 申请的挂账截止时间已过，请重新申请', 'until');
  }
  const clock = ctx.suspensionClock;
  if (!state.deadlineAt || !clock) throw new CaseError('illegal_transition', 'the case has no deadline whose clock could stop / 案卷没有处置时限', undefined, state.status);
  const leftMs = clock.msBetween(ctx.now, state.deadlineAt);
  const nextCheckAt = state.nextCheckAt ?? null;
  const checkLeftMs = nextCheckAt ? clock.msBetween(ctx.now, nextCheckAt) : null;
  const patch: SuspensionPatch = {
    suspendRequestedUntil: null,
    suspendRequestedReason: null,
    suspendedAt: ctx.now,
    suspendedUntil: pending.until,
    suspendReason: pending.reason,
    suspendClock: clock.clockType,
    suspendLeftMs: leftMs,
    suspendCheckLeftMs: checkLeftMs,
    suspendOverdue: state.overdue,
    overdue: false,
    // The clock's only timer while suspended is the suspension's end: checks made before are void.
    nextCheckAt: pending.until,
  };
  return {
    patch,
    event: event('case.suspended', {
      until: pending.until.toISOString(),
      requestReason: pending.reason,
      leftMs,
      clockType: clock.clockType,
    }),
    effects: [checkAt(state.id, pending.until)],
  };
}

/** `resume`: by an operator or a leader, or by the dispatcher once `until` has come. */
export function resumeCase(state: SuspensionSubject, actor: Actor, ctx: SuspensionContext): SuspensionStep {
  const s = state.suspension;
  if (!s || !s.suspendedAt || s.leftMs === null || !s.until) {
    throw new CaseError('illegal_transition', 'the case is not suspended / 案卷未挂账', undefined, state.status);
  }
  const auto = actor.role === 'system';
  if (auto && ctx.now.getTime() < s.until.getTime()) {
    throw new CaseError('illegal_transition', 'the suspension has not expired / 挂账未到期', undefined, state.status);
  }
  const clock = ctx.suspensionClock;
  if (!clock) throw new CaseError('illegal_transition', 'the case has no clock to restart / 案卷没有处置时限', undefined, state.status);
  const deadlineAt = clock.after(ctx.now, s.leftMs);
  const nextCheckAt = s.checkLeftMs === null ? null : clock.after(ctx.now, s.checkLeftMs);
  return {
    patch: { ...SUSPENSION_CLEARED, deadlineAt, nextCheckAt, overdue: s.overdue },
    event: event('case.resumed', {
      deadlineAt: deadlineAt.toISOString(),
      suspendedAt: s.suspendedAt.toISOString(),
      ...(auto ? { auto: true, until: s.until.toISOString() } : {}),
    }),
    effects: nextCheckAt ? [checkAt(state.id, nextCheckAt)] : [],
  };
}

/** `until`: an instant with its zone, in the future, at most a year ahead. */
function untilOf(value: unknown, now: Date): Date {
  if (value === undefined || value === null || value === '') {
    throw new CaseError('bad_input', 'until (the date the case comes back) is required / 须给出挂账截止时间', 'until');
  }
  const until = typeof value === 'string' ? new Date(value) : null;
  if (!until || Number.isNaN(until.getTime())) throw new CaseError('bad_input', 'until must be an ISO 8601 date-time / 挂账截止时间格式不正确', 'until');
  if (until.getTime() <= now.getTime()) throw new CaseError('bad_input', 'until must be in the future / 挂账截止时间须晚于现在', 'until');
  if (until.getTime() > latestUntil(now).getTime()) throw new CaseError('bad_input', 'until is at most one year ahead / 挂账最长一年', 'until');
  return until;
}

function checkAt(caseId: string, at: Date): JobRequest {
  return { name: JobName.CheckDeadline, data: { caseId, dueAt: at.toISOString() }, deliverAfter: at };
}
