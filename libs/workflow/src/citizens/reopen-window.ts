import { localDay, startOfLocalDay } from '@wangge/clock';
import { CaseError } from '../case-error';

/** Natural days after the day of close in which a reporter's "not fixed" reopens the case (domain.md 9). */
export const REOPEN_DAYS = 7;

/** The public note of a reopened case (its status notes on the tracking page and in Open311). */
export const REOPEN_NOTE = '市民反馈问题未解决，已重新办理 / reopened: the reporter says it is not fixed';

/** The close a reporter answers and whether their "not fixed" may still reopen the case. */
export interface ReopenWindow {
  closedAt: Date;
  /** The first instant it no longer reopens: the local midnight that ends the 7th natural day after the day of close. */
  endsAt: Date;
  /** A case reopens once: it has been reopened before. */
  reopenedBefore: boolean;
}

/**
 * The window of a close, in natural days of the district's zone: closed on Monday at any hour, a
 * "not fixed" reopens the case until the end of the next Monday (day 7) and no longer on day 8.
 */
export function reopenWindow(closedAt: Date, reopenedBefore: boolean, utcOffsetMinutes: number): ReopenWindow {
  return { closedAt, endsAt: startOfLocalDay(localDay(closedAt, utcOffsetMinutes) + REOPEN_DAYS + 1, utcOffsetMinutes), reopenedBefore };
}

/** Why a "not fixed" at `now` does not reopen the case (null: it does). */
export function reopenRefusal(window: ReopenWindow, now: Date): CaseError | null {
  if (window.reopenedBefore) return new CaseError('already_reopened', 'the case was reopened once already / 案卷已重新办理过一次', undefined, 'closed');
  if (now.getTime() >= window.endsAt.getTime()) {
    return new CaseError('reopen_window_passed', `more than ${REOPEN_DAYS} days since the case closed / 结案已超过${REOPEN_DAYS}天`, undefined, 'closed');
  }
  return null;
}
