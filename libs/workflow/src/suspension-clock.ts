import { addTimeLimit, clockMsBetween, type HolidayCalendar } from '@wangge/clock';
import type { ClockType } from '@wangge/domain';
import type { SuspensionClock } from './suspension';
import { isWorkClock } from './traffic-light';

const HOUR_MS = 3_600_000;

/**
 * The case's clock as a suspension stops and restarts it: milliseconds on the work clock (work
 * periods of work days, holidays from the calendar) for work-time limits, continuous otherwise.
 */
export function suspensionClock(clockType: ClockType, calendar: HolidayCalendar, offsetMinutes: number): SuspensionClock {
  const on: ClockType = isWorkClock(clockType) ? 'work_hours' : 'urgent_hours';
  return {
    clockType,
    msBetween: (from, to) => clockMsBetween(from, to, on, calendar, offsetMinutes),
    after: (start, ms) => (ms <= 0 ? new Date(start.getTime()) : addTimeLimit(start, { value: ms / HOUR_MS, clockType: on }, calendar, offsetMinutes)),
  };
}
