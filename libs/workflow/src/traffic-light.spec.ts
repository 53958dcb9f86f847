import { describe, expect, it } from 'vitest';
import { addTimeLimit, clockMsBetween, clockReading, HolidayCalendar } from '@wangge/clock';
import type { ClockType } from '@wangge/domain';
import { currentLimit, lightOf, trafficLight, type CaseLimit } from './traffic-light';

// National Day 2026: 10-01..10-07 off, make-up work days Sunday 09-27 and Saturday 10-10.
const CALENDAR = HolidayCalendar.fromRows([
  ...['01', '02', '03', '04', '05', '06', '07'].map((d) => ({ date: `2026-10-${d}`, kind: 'holiday' as const, name: '国庆节' })),
  { date: '2026-09-27', kind: 'workday', name: '国庆节' },
  { date: '2026-10-10', kind: 'workday', name: '国庆节' },
]);
const OFFSET = 480;
const MS = 1;

/** The instant of a local wall-clock time 'YYYY-MM-DD HH:mm' in UTC+8. */
function local(text: string): Date {
  return new Date(Date.parse(`${text.replace(' ', 'T')}:00+08:00`));
}

function limit(clockType: ClockType, start: string, value: number): CaseLimit {
  const startedAt = local(start);
  return { clockType, startedAt, endsAt: addTimeLimit(startedAt, { value, clockType }, CALENDAR, OFFSET) };
}

const light = (l: CaseLimit, now: Date) => trafficLight(l, now, CALENDAR, OFFSET)?.light;
const before = (d: Date) => new Date(d.getTime() - MS);
const after = (d: Date) => new Date(d.getTime() + MS);

describe('the traffic light at 80 % and 100 % of the limit, on each clock', () => {
  // [clock, start, value, expected deadline, the instant 80 % is used]
  it.each([
    // 10 continuous hours: 80 % after 8 h.
    ['urgent_hours', '2026-03-02 10:00', 10, '2026-03-02 20:00', '2026-03-02 18:00'],
    // 5 natural days from Monday: 80 % after 4 days, weekends count.
    ['natural_days', '2026-03-02 10:00', 5, '2026-03-07 10:00', '2026-03-06 10:00'],
    // 10 work hours from Friday 14:00: Fri 14-18 (4), Mon 08-12 (8 = 80 % at the lunch closing), Mon 14-16.
    ['work_hours', '2026-03-06 14:00', 10, '2026-03-09 16:00', '2026-03-09 12:00'],
    // 5 work days (40 work hours) from 09-30 10:00 across National Day and the make-up Saturday:
    // 09-30 6 h, 10-08 8, 10-09 8, Sat 10-10 8 (30), Mon 10-12 08-10 = 32 h = 80 %, deadline Tue 10:00.
    ['work_days', '2026-09-30 10:00', 5, '2026-10-13 10:00', '2026-10-12 10:00'],
  ] as const)('%s from %s for %s', (clockType, start, value, deadline, yellowAt) => {
    const l = limit(clockType, start, value);
    expect(l.endsAt).toEqual(local(deadline));
    const yellow = local(yellowAt);
    expect(light(l, l.startedAt)).toBe('green');
    expect(light(l, before(yellow))).toBe('green');
    expect(light(l, yellow)).toBe('yellow');
    expect(trafficLight(l, yellow, CALENDAR, OFFSET)?.share).toBe(0.8);
    expect(light(l, before(l.endsAt))).toBe('yellow');
    expect(light(l, l.endsAt)).toBe('red');
    expect(trafficLight(l, l.endsAt, CALENDAR, OFFSET)?.share).toBe(1);
    expect(light(l, after(l.endsAt))).toBe('red');
  });

  it('does not count time off the work clock: the lunch break and a holiday leave the share where it was', () => {
    const l = limit('work_hours', '2026-03-06 14:00', 10);
    // Monday 12:00 to 14:00 is lunch: still exactly 80 %.
    expect(trafficLight(l, local('2026-03-09 13:30'), CALENDAR, OFFSET)).toEqual({ light: 'yellow', share: 0.8 });
    const holiday = limit('work_days', '2026-09-30 10:00', 5);
    // 6 of 40 work hours by 09-30 18:00, and still 6 through the whole holiday week.
    expect(trafficLight(holiday, local('2026-10-05 12:00'), CALENDAR, OFFSET)).toEqual({ light: 'green', share: 6 / 40 });
  });

  it('is red at the deadline on a work clock even when the deadline falls at a closing and time runs on off the clock', () => {
    const l = limit('work_hours', '2026-03-06 14:00', 4); // ends Friday 18:00
    expect(l.endsAt).toEqual(local('2026-03-06 18:00'));
    expect(light(l, local('2026-03-07 10:00'))).toBe('red');
  });
});

describe('lightOf: the rule on clock milliseconds', () => {
  it.each([
    [0, 1000, 'green'],
    [799, 1000, 'green'],
    [800, 1000, 'yellow'],
    [999, 1000, 'yellow'],
    [1000, 1000, 'red'],
    [5000, 1000, 'red'],
    // 80 % of 3 ms is 2.4 ms: 2 is green, 3 red (integers, no rounding).
    [2, 3, 'green'],
    [3, 3, 'red'],
    // A limit of no length is used up at once.
    [0, 0, 'red'],
  ] as const)('%d of %d ms is %s', (used, total, expected) => {
    expect(lightOf(used, total).light).toBe(expected);
  });
});

describe('currentLimit', () => {
  const base = {
    handlingStartedAt: local('2026-03-02 10:00'),
    deadlineAt: local('2026-03-03 10:00'),
    resolvedAt: local('2026-03-02 15:00'),
    verifyDeadlineAt: local('2026-03-02 17:00'),
  };
  it('is the handling limit while dispatched or in progress, on the standard clock', () => {
    expect(currentLimit({ ...base, status: 'dispatched' }, 'work_days')).toEqual({ clockType: 'work_days', startedAt: base.handlingStartedAt, endsAt: base.deadlineAt });
    expect(currentLimit({ ...base, status: 'in_progress' }, null)?.clockType).toBe('urgent_hours');
  });
  it('is the verification limit while resolved, on work hours', () => {
    expect(currentLimit({ ...base, status: 'resolved' }, 'natural_days')).toEqual({ clockType: 'work_hours', startedAt: base.resolvedAt, endsAt: base.verifyDeadlineAt });
    expect(currentLimit({ ...base, status: 'resolved', verifyDeadlineAt: null }, 'natural_days')).toBeNull();
  });
  it('is none in the other states', () => {
    for (const status of ['reported', 'registered', 'closed', 'rejected', 'merged', 'cancelled'] as const) {
      expect(currentLimit({ ...base, status }, 'work_hours')).toBeNull();
    }
  });
});

describe('clock readings (the SQL form stores them)', () => {
  it('differ by exactly the clock time between two instants', () => {
    const instants = ['2023-12-29 17:30', '2026-03-06 14:00', '2026-03-09 12:00', '2026-09-30 10:00', '2026-10-05 12:00', '2026-10-13 10:00'].map(local);
    for (const clockType of ['urgent_hours', 'natural_days', 'work_hours', 'work_days'] as const) {
      for (const a of instants) {
        for (const b of instants) {
          if (b < a) continue;
          expect(clockReading(b, clockType, CALENDAR, OFFSET) - clockReading(a, clockType, CALENDAR, OFFSET)).toBe(clockMsBetween(a, b, clockType, CALENDAR, OFFSET));
        }
      }
    }
  });
});
