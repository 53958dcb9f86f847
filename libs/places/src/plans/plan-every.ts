import { DAY_MS, HOUR_MS, MINUTE_MS } from '@wangge/clock';

/** The ISO 8601 durations a plan takes: days, hours, minutes (P1D, PT4H, P1DT12H, PT30M). Weeks and months are not fixed lengths of continuous time. */
const DURATION = /^P(?:(\d{1,3})D)?(?:T(?:(\d{1,4})H)?(?:(\d{1,5})M)?)?$/;

/** The shortest interval a plan may have. */
export const MIN_EVERY_MS = 15 * MINUTE_MS;
/** The longest: a plan is at least a monthly round. */
export const MAX_EVERY_MS = 31 * DAY_MS;

/**
 * A plan's `every` in milliseconds of continuous time (a day is 24 hours: holidays and nights do not
 * pause an inspection plan), or the problem with it.
 */
export function parseEvery(text: unknown): { ms: number } | { problem: string } {
  if (typeof text !== 'string') return { problem: 'must be an ISO 8601 duration such as PT4H or P1D' };
  const m = DURATION.exec(text);
  if (!m || text === 'P' || text.endsWith('T')) return { problem: `${text} is not an ISO 8601 duration of days, hours and minutes (PT4H, P1D, PT30M)` };
  const ms = Number(m[1] ?? 0) * DAY_MS + Number(m[2] ?? 0) * HOUR_MS + Number(m[3] ?? 0) * MINUTE_MS;
  if (ms < MIN_EVERY_MS) return { problem: `${text} is shorter than 15 minutes` };
  if (ms > MAX_EVERY_MS) return { problem: `${text} is longer than 31 days` };
  return { ms };
}
