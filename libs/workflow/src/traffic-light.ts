import { clockMsBetween, type HolidayCalendar } from '@wangge/clock';
import type { CaseLight, CaseStatus, ClockType, TrafficLight } from '@wangge/domain';

/**
 * The traffic light of an open case (domain.md 2, 数字城管 practice): how much of its current limit
 * is used, in business time on the limit's clock. One rule ({@link lightOf}); the in-memory form
 * ({@link trafficLight}) and the SQL form ({@link lightOrderSql}) both apply it, and
 * test/cases/traffic-light-agreement.int-spec.ts checks that they agree.
 */

/** The limit a case is being timed against now. */
export interface CaseLimit {
  clockType: ClockType;
  startedAt: Date;
  endsAt: Date;
}

/** The light with the share of the limit used (0.85 = 85 %; above 1 once past it). */
export type LightReading = CaseLight;

/** Yellow from 80 % of the limit used: used / total >= 4 / 5, compared in integers. */
const YELLOW_NUMERATOR = 4;
const YELLOW_DENOMINATOR = 5;

/**
 * The rule, on clock milliseconds: red when the limit is used up (at 100 %, the instant the
 * overdue mark falls, and past it), yellow from 80 % to just under 100 %, green under 80 %. A limit
 * of zero length is used up at once.
 */
export function lightOf(usedMs: number, totalMs: number): LightReading {
  const used = Math.max(0, usedMs);
  if (totalMs <= 0) return { light: 'red', share: 1 };
  const share = used / totalMs;
  if (used >= totalMs) return { light: 'red', share };
  if (YELLOW_DENOMINATOR * used >= YELLOW_NUMERATOR * totalMs) return { light: 'yellow', share };
  return { light: 'green', share };
}

/** The light of a case's current limit at `now` (null: the case is timed by no limit). */
export function trafficLight(limit: CaseLimit | null, now: Date, calendar: HolidayCalendar, utcOffsetMinutes: number): LightReading | null {
  if (!limit) return null;
  return lightOf(
    clockMsBetween(limit.startedAt, now, limit.clockType, calendar, utcOffsetMinutes),
    clockMsBetween(limit.startedAt, limit.endsAt, limit.clockType, calendar, utcOffsetMinutes),
  );
}

/** What {@link currentLimit} reads of a case. */
export interface LimitSubject {
  status: CaseStatus;
  /** When the handling limit started (the dispatch). */
  handlingStartedAt: Date | null;
  deadlineAt: Date | null;
  resolvedAt: Date | null;
  verifyDeadlineAt: Date | null;
  /** 挂账: a suspended case's clock stands still, so it shows no colour. */
  suspended?: boolean;
}

/** The clock of the verification limit (VERIFY_LIMIT_WORK_HOURS). */
export const VERIFY_LIMIT_CLOCK: ClockType = 'work_hours';

/**
 * The case's current limit: the handling limit (dispatch → deadline, on the standard's clock;
 * continuous hours without a standard) while dispatched or in progress, the verification limit
 * (resolution → verify deadline, work hours) while resolved; none in other states, nor while suspended.
 */
export function currentLimit(c: LimitSubject, handlingClock: ClockType | null): CaseLimit | null {
  if (c.suspended) return null;
  if ((c.status === 'dispatched' || c.status === 'in_progress') && c.deadlineAt && c.handlingStartedAt) {
    return { clockType: handlingClock ?? 'urgent_hours', startedAt: c.handlingStartedAt, endsAt: c.deadlineAt };
  }
  if (c.status === 'resolved' && c.verifyDeadlineAt && c.resolvedAt) {
    return { clockType: VERIFY_LIMIT_CLOCK, startedAt: c.resolvedAt, endsAt: c.verifyDeadlineAt };
  }
  return null;
}

/** Whether a clock counts work time (its readings are the work clocks'). */
export function isWorkClock(clockType: ClockType): boolean {
  return clockType === 'work_hours' || clockType === 'work_days';
}

/** Rank of a light in a list sorted by light: red first, then yellow, green, and cases without one. */
export const LIGHT_RANK: Record<TrafficLight | 'none', number> = { red: 0, yellow: 1, green: 2, none: 3 };

/** The sort key of a case: rank, then the share used (higher first); -1 for cases without a light. */
export function lightSortKey(reading: LightReading | null): { rank: number; share: number } {
  return reading ? { rank: LIGHT_RANK[reading.light], share: reading.share } : { rank: LIGHT_RANK.none, share: -1 };
}

/**
 * The same rule in SQL over the case's stored limit (`limit_clock`, `limit_start_reading`,
 * `limit_end_reading`: the clock's readings at the limit's start and end) and the readings of now
 * on the continuous and the work clocks, given as parameters. `rank` and `share` order a list as
 * {@link lightSortKey} does; `light` is the colour.
 */
export function lightOrderSql(alias: string, now: { continuous: string; work: string }): { rank: string; share: string; light: string } {
  const a = alias;
  const nowReading = `(CASE WHEN ${a}.limit_clock IN ('work_hours', 'work_days') THEN ${now.work}::bigint ELSE ${now.continuous}::bigint END)`;
  const used = `GREATEST(0, ${nowReading} - ${a}.limit_start_reading)`;
  const total = `(${a}.limit_end_reading - ${a}.limit_start_reading)`;
  const light = `(CASE WHEN ${a}.limit_clock IS NULL THEN NULL
                       WHEN ${total} <= 0 OR ${used} >= ${total} THEN 'red'
                       WHEN ${YELLOW_DENOMINATOR} * ${used} >= ${YELLOW_NUMERATOR} * ${total} THEN 'yellow'
                       ELSE 'green' END)`;
  const rank = `(CASE ${light} WHEN 'red' THEN ${LIGHT_RANK.red} WHEN 'yellow' THEN ${LIGHT_RANK.yellow} WHEN 'green' THEN ${LIGHT_RANK.green} ELSE ${LIGHT_RANK.none} END)`;
  const share = `(CASE WHEN ${a}.limit_clock IS NULL THEN -1::float8 WHEN ${total} <= 0 THEN 1::float8 ELSE ${used}::float8 / ${total}::float8 END)`;
  return { rank, share, light };
}
