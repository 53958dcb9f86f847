import { addTimeLimit, type HolidayCalendar } from '@wangge/clock';
import type { CaseAction, ClockType, TimeLimit } from '@wangge/domain';
import type { ActionInput, TransitionContext } from './transition';

/** The business time a transition's clock arithmetic runs on. */
export interface ClockRules {
  /** The case's time limit (its standard's), null when it has none. */
  limit: TimeLimit | null;
  calendar: HolidayCalendar;
  offsetMinutes: number;
  /** The verification step's limit, in work hours (`VERIFY_LIMIT_WORK_HOURS`). */
  verifyLimitWorkHours: number;
}

/** Whether a dispatch names whom it goes to (a chief, or by hand a department): then it starts the case's clock. */
export function dispatchNamesTarget(input: ActionInput): boolean {
  return input.assigneeId !== undefined || input.departmentCode !== undefined;
}

/** Whether an action's context needs the case's clock (its limit and the calendar). */
export function needsClock(action: CaseAction, input: ActionInput, hasDeadline: boolean): boolean {
  return (action === 'dispatch' && dispatchNamesTarget(input)) || action === 'verify' || action === 'reopen' || (action === 'extend' && hasDeadline) || action === 'resolve';
}

/**
 * The clock parts of a transition's context, pure: the deadline of a dispatch (and of a rework on an
 * overdue case, and of a reopened one) on the case's limit, an extension's moved deadline (hours on the work clock for
 * work-time limits, continuous otherwise) and the verification step's limit.
 */
export function clockContext(action: CaseAction, input: ActionInput, hasDeadline: boolean, rules: ClockRules): Partial<TransitionContext> {
  const { limit, calendar, offsetMinutes } = rules;
  const ctx: Partial<TransitionContext> = {};
  if ((action === 'dispatch' && dispatchNamesTarget(input)) || action === 'verify' || action === 'reopen') {
    if (limit) ctx.deadlineFrom = (start) => addTimeLimit(start, limit, calendar, offsetMinutes);
  }
  if (action === 'extend' && hasDeadline) {
    // Extension hours run on the case's clock: work hours for work-time limits, continuous otherwise.
    const clockType: ClockType = limit && (limit.clockType === 'work_hours' || limit.clockType === 'work_days') ? 'work_hours' : 'urgent_hours';
    ctx.extend = (deadline, hours) => addTimeLimit(deadline, { value: hours, clockType }, calendar, offsetMinutes);
  }
  if (action === 'resolve') {
    const verify = { value: rules.verifyLimitWorkHours, clockType: 'work_hours' as const };
    ctx.verifyDeadlineFrom = (start) => addTimeLimit(start, verify, calendar, offsetMinutes);
  }
  return ctx;
}
