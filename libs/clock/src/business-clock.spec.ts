import type { ClockType, TimeLimit } from '@wangge/domain';
import { describe, expect, it, vi } from 'vitest';
import { MAX_NON_WORK_DAYS, addTimeLimit, clockMsBetween, clockReading, elapsedOnClock, remaining } from './business-clock';
import { CALENDAR_2026, ROWS_2026, at, show } from './clock.fixture';
import { HolidayCalendar, type HolidayRow } from './holiday-calendar';

// 2026-03-02 is a Monday; 03-07/08 an ordinary weekend. National Day fixture: 10-01..10-07 off,
// make-up work days Sunday 09-27 and Saturday 10-10.
const limit = (value: number, clockType: ClockType): TimeLimit => ({ value, clockType });

describe('addTimeLimit', () => {
  it.each([
    // work_hours
    ['Mon 10:00 + 1 work hour', '2026-03-02 10:00', 1, 'work_hours', '2026-03-02 11:00'],
    ['ends exactly at the morning closing: 12:00, not 14:00', '2026-03-02 10:00', 2, 'work_hours', '2026-03-02 12:00'],
    ['runs over lunch', '2026-03-02 10:00', 3, 'work_hours', '2026-03-02 15:00'],
    ['ends exactly at the evening closing: 18:00, not next morning', '2026-03-02 08:00', 8, 'work_hours', '2026-03-02 18:00'],
    ['start before 08:00', '2026-03-02 07:00', 1, 'work_hours', '2026-03-02 09:00'],
    ['start in the lunch break', '2026-03-02 12:30', 1, 'work_hours', '2026-03-02 15:00'],
    ['start exactly at 12:00', '2026-03-02 12:00', 1, 'work_hours', '2026-03-02 15:00'],
    ['start exactly at 14:00', '2026-03-02 14:00', 0.5, 'work_hours', '2026-03-02 14:30'],
    ['start after 18:00', '2026-03-02 19:00', 1, 'work_hours', '2026-03-03 09:00'],
    ['Friday evening over the weekend', '2026-03-06 17:00', 2, 'work_hours', '2026-03-09 09:00'],
    ['start on a weekend', '2026-03-07 10:00', 1, 'work_hours', '2026-03-09 09:00'],
    ['start on a holiday', '2026-10-01 09:00', 2, 'work_hours', '2026-10-08 10:00'],
    ['over the holiday week', '2026-09-30 17:00', 2, 'work_hours', '2026-10-08 09:00'],
    ['start on a make-up work day (Saturday)', '2026-10-10 10:00', 1, 'work_hours', '2026-10-10 11:00'],
    ['start on a make-up work day (Sunday)', '2026-09-27 17:00', 2, 'work_hours', '2026-09-28 09:00'],
    ['into a make-up work day', '2026-10-09 17:00', 2, 'work_hours', '2026-10-10 09:00'],
    ['fractional work hours', '2026-03-02 11:30', 2.5, 'work_hours', '2026-03-02 16:00'],
    ['zero keeps the start', '2026-03-02 19:00', 0, 'work_hours', '2026-03-02 19:00'],
    // work_days
    ['1 work day from Monday 10:00', '2026-03-02 10:00', 1, 'work_days', '2026-03-03 10:00'],
    ['1 work day from Friday 17:00', '2026-03-06 17:00', 1, 'work_days', '2026-03-09 17:00'],
    ['1 work day from an opening ends at that closing', '2026-03-02 08:00', 1, 'work_days', '2026-03-02 18:00'],
    ['half a work day', '2026-03-02 10:00', 0.5, 'work_days', '2026-03-02 16:00'],
    ['2.5 work days', '2026-03-02 10:00', 2.5, 'work_days', '2026-03-04 16:00'],
    ['1 work day from a weekend', '2026-03-07 10:00', 1, 'work_days', '2026-03-09 18:00'],
    ['1 work day over the holiday week', '2026-09-30 10:00', 1, 'work_days', '2026-10-08 10:00'],
    ['1 work day into a make-up work day', '2026-10-09 10:00', 1, 'work_days', '2026-10-10 10:00'],
    // urgent_hours
    ['urgent hours run through the night', '2026-03-02 23:00', 2, 'urgent_hours', '2026-03-03 01:00'],
    ['urgent hours run through holidays', '2026-10-01 10:00', 0.5, 'urgent_hours', '2026-10-01 10:30'],
    ['urgent hours over a weekend', '2026-03-06 10:00', 72, 'urgent_hours', '2026-03-09 10:00'],
    // natural_days
    ['1 natural day', '2026-03-02 10:00', 1, 'natural_days', '2026-03-03 10:00'],
    ['natural days count holidays', '2026-09-30 10:00', 1, 'natural_days', '2026-10-01 10:00'],
    ['fractional natural days', '2026-03-02 10:00', 2.5, 'natural_days', '2026-03-04 22:00'],
  ] as const)('%s', (_what, start, value, clockType, deadline) => {
    expect(show(addTimeLimit(at(start), limit(value, clockType), CALENDAR_2026))).toBe(deadline);
  });

  it('reads work hours at the given offset: the same instant gives different deadlines', () => {
    const instant = new Date('2026-03-02T02:00:00Z'); // Monday 10:00 in UTC+8, 02:00 in UTC+0
    expect(addTimeLimit(instant, limit(1, 'work_hours'), CALENDAR_2026, 480).toISOString()).toBe('2026-03-02T03:00:00.000Z');
    expect(addTimeLimit(instant, limit(1, 'work_hours'), CALENDAR_2026, 0).toISOString()).toBe('2026-03-02T09:00:00.000Z');
    // Friday 20:00 UTC is already Saturday in UTC+8, still Friday evening at UTC-5.
    const friday = new Date('2026-03-06T20:00:00Z');
    expect(show(addTimeLimit(friday, limit(1, 'work_hours'), CALENDAR_2026, 480), 480)).toBe('2026-03-09 09:00');
    expect(show(addTimeLimit(friday, limit(1, 'work_hours'), CALENDAR_2026, -300), -300)).toBe('2026-03-06 16:00');
  });

  it('steps by periods, not minutes: 2000 work hours', () => {
    const calendar = HolidayCalendar.weekdaysOnly();
    const isWorkDay = vi.spyOn(calendar, 'isWorkDay');
    const deadline = addTimeLimit(at('2026-03-02 08:00'), limit(2000, 'work_hours'), calendar);
    expect(show(deadline)).toBe('2027-02-12 18:00'); // 250 work days = 50 full weeks
    expect(isWorkDay.mock.calls.length).toBeLessThanOrEqual(350);
  });

  it('gives up with a clear error when the calendar has no work days', () => {
    const rows: HolidayRow[] = [];
    for (let ms = Date.UTC(2026, 0, 1); ms < Date.UTC(2028, 0, 1); ms += 86_400_000) {
      rows.push({ date: new Date(ms).toISOString().slice(0, 10), kind: 'holiday', name: 'closed' });
    }
    const closed = HolidayCalendar.fromRows(rows);
    expect(() => addTimeLimit(at('2026-03-02 10:00'), limit(1, 'work_hours'), closed)).toThrow(
      new RegExp(`no work day in the ${MAX_NON_WORK_DAYS} days`),
    );
    expect(() => addTimeLimit(at('2026-03-02 10:00'), limit(1, 'work_days'), closed)).toThrow(/holiday calendar/);
    // A long but finite closure is crossed.
    const longBreak = HolidayCalendar.fromRows(rows.filter((r) => r.date < '2026-12-01'));
    expect(show(addTimeLimit(at('2026-01-01 10:00'), limit(1, 'work_hours'), longBreak))).toBe('2026-12-01 09:00');
  });

  it('rejects negative or non-finite values and invalid inputs', () => {
    const start = at('2026-03-02 10:00');
    expect(() => addTimeLimit(start, limit(-1, 'work_hours'), CALENDAR_2026)).toThrow(RangeError);
    expect(() => addTimeLimit(start, limit(Number.NaN, 'urgent_hours'), CALENDAR_2026)).toThrow(RangeError);
    expect(() => addTimeLimit(start, limit(Number.POSITIVE_INFINITY, 'work_days'), CALENDAR_2026)).toThrow(RangeError);
    expect(() => addTimeLimit(new Date('x'), limit(1, 'work_hours'), CALENDAR_2026)).toThrow(/start is an invalid Date/);
    expect(() => addTimeLimit(start, { value: 1, clockType: 'fortnights' as ClockType }, CALENDAR_2026)).toThrow(/unknown clock type/);
  });
});

describe('elapsedOnClock', () => {
  it.each([
    ['a whole work day, from before opening to after closing', '2026-03-02 07:00', '2026-03-02 19:00', 'work_hours', 8],
    ['across lunch', '2026-03-02 11:00', '2026-03-02 15:00', 'work_hours', 2],
    ['the lunch break alone', '2026-03-02 12:00', '2026-03-02 14:00', 'work_hours', 0],
    ['over a weekend', '2026-03-06 17:00', '2026-03-09 09:00', 'work_hours', 2],
    ['a weekend alone', '2026-03-07 00:00', '2026-03-09 00:00', 'work_hours', 0],
    ['a holiday alone', '2026-10-01 08:00', '2026-10-01 18:00', 'work_hours', 0],
    ['a make-up work day', '2026-10-10 00:00', '2026-10-11 00:00', 'work_hours', 8],
    ['a fraction of a work hour', '2026-03-02 09:00', '2026-03-02 09:15', 'work_hours', 0.25],
    ['one work day', '2026-03-02 10:00', '2026-03-03 10:00', 'work_days', 1],
    ['one work day over the holiday week', '2026-09-30 10:00', '2026-10-08 10:00', 'work_days', 1],
    ['half a work day', '2026-03-02 08:00', '2026-03-02 12:00', 'work_days', 0.5],
    ['urgent hours', '2026-03-02 10:00', '2026-03-02 13:30', 'urgent_hours', 3.5],
    ['natural days', '2026-03-02 10:00', '2026-03-05 22:00', 'natural_days', 3.5],
  ] as const)('%s', (_what, start, end, clockType, expected) => {
    expect(elapsedOnClock(at(start), at(end), clockType, CALENDAR_2026)).toBeCloseTo(expected, 12);
  });

  it.each(['urgent_hours', 'work_hours', 'work_days', 'natural_days'] as const)('is 0 on %s when end <= start', (clockType) => {
    expect(elapsedOnClock(at('2026-03-02 11:00'), at('2026-03-02 10:00'), clockType, CALENDAR_2026)).toBe(0);
    expect(elapsedOnClock(at('2026-03-02 10:00'), at('2026-03-02 10:00'), clockType, CALENDAR_2026)).toBe(0);
  });

  it('reads work hours at the given offset', () => {
    // 00:00-04:00 UTC on Monday is 08:00-12:00 in UTC+8 but night in UTC+0.
    const start = new Date('2026-03-02T00:00:00Z');
    const end = new Date('2026-03-02T04:00:00Z');
    expect(elapsedOnClock(start, end, 'work_hours', CALENDAR_2026, 480)).toBe(4);
    expect(elapsedOnClock(start, end, 'work_hours', CALENDAR_2026, 0)).toBe(0);
  });
});

describe('remaining', () => {
  const deadline = at('2026-03-03 10:00');
  it.each([
    ['the evening before', '2026-03-02 17:00', 'work_hours', 3],
    ['at the deadline', '2026-03-03 10:00', 'work_hours', 0],
    ['an hour overdue', '2026-03-03 11:00', 'work_hours', -1],
    ['overdue during lunch', '2026-03-03 13:00', 'work_hours', -2],
    ['half a work day left', '2026-03-02 16:00', 'work_days', 0.5],
    ['urgent hours overdue', '2026-03-03 12:30', 'urgent_hours', -2.5],
    ['natural days left', '2026-03-02 22:00', 'natural_days', 0.5],
  ] as const)('%s', (_what, now, clockType, expected) => {
    expect(remaining(at(now), deadline, clockType, CALENDAR_2026)).toBeCloseTo(expected, 12);
  });

  it('counts overdue time over a weekend on the work clock only', () => {
    expect(remaining(at('2026-03-09 09:00'), at('2026-03-06 17:00'), 'work_hours', CALENDAR_2026)).toBe(-2);
  });
});

describe('round trip: elapsedOnClock(start, addTimeLimit(start, limit)) = limit', () => {
  // mulberry32: a small seeded generator, so the sample is the same on every run.
  function random(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  it.each(['work_hours', 'work_days'] as const)('on %s for 400 seeded starts across 2026', (clockType) => {
    const next = random(clockType === 'work_hours' ? 20260101 : 20261001);
    const yearStart = at('2026-01-01 00:00').getTime();
    const usual = clockType === 'work_hours' ? [0.5, 1, 2, 2.5, 4, 8, 24, 100] : [0.25, 0.5, 1, 1.5, 2, 3, 5, 10];
    // Half the values from the usual table, half arbitrary: up to 200 work hours, to the second.
    const arbitrary = () => Math.floor(next() * 200 * 3600) / 3600 / (clockType === 'work_hours' ? 1 : 8);
    const listed = new Set(ROWS_2026.map((row) => row.date));
    let startsOnListedDays = 0;
    for (let i = 0; i < 400; i++) {
      const start = new Date(yearStart + Math.floor(next() * 365 * 24 * 60) * 60_000);
      if (listed.has(show(start).slice(0, 10))) startsOnListedDays += 1;
      const value = i % 2 === 0 ? usual[(i / 2) % usual.length] : arbitrary();
      const deadline = addTimeLimit(start, limit(value, clockType), CALENDAR_2026);
      expect(Math.abs(elapsedOnClock(start, deadline, clockType, CALENDAR_2026) - value)).toBeLessThan(1e-9);
      // A positive limit ends inside a work period or at its closing, never at an opening.
      if (value > 0) {
        const local = deadline.getTime() + 480 * 60_000;
        const hour = (local % 86_400_000) / 3_600_000;
        expect(CALENDAR_2026.isWorkDay(show(deadline).slice(0, 10))).toBe(true);
        expect((hour > 8 && hour <= 12) || (hour > 14 && hour <= 18)).toBe(true);
      }
    }
    expect(startsOnListedDays).toBeGreaterThan(10); // the sample starts on holidays and make-up days too
  });
});

describe('time zone independence', () => {
  function sample(): string[] {
    const start = at('2026-09-30 17:00');
    return [
      addTimeLimit(start, limit(2.5, 'work_hours'), CALENDAR_2026).toISOString(),
      addTimeLimit(start, limit(1, 'work_days'), CALENDAR_2026, 0).toISOString(),
      addTimeLimit(start, limit(1, 'natural_days'), CALENDAR_2026).toISOString(),
      String(elapsedOnClock(at('2026-03-06 11:00'), at('2026-03-09 15:00'), 'work_hours', CALENDAR_2026)),
      String(remaining(at('2026-10-10 09:00'), start, 'work_days', CALENDAR_2026)),
    ];
  }

  it('gives the same answers whatever the process time zone', () => {
    const saved = process.env.TZ;
    try {
      process.env.TZ = 'UTC';
      const reference = sample();
      expect(reference).toEqual([
        at('2026-10-08 09:30').toISOString(),
        // At UTC+0 the start is Wednesday 09:00: 1 work day ends Thursday 10-08 09:00 UTC.
        '2026-10-08T09:00:00.000Z',
        at('2026-10-01 17:00').toISOString(),
        '10',
        String(-(1 + 8 + 8 + 1) / 8),
      ]);
      for (const zone of ['America/New_York', 'Asia/Shanghai', 'Pacific/Kiritimati']) {
        process.env.TZ = zone;
        expect(new Date('2026-01-15T00:00:00Z').getTimezoneOffset()).not.toBe(0); // the zone took effect
        expect(sample()).toEqual(reference);
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});

describe('clockReading and clockMsBetween', () => {
  it('a reading is the clock time since the origin: continuous clocks count every ms, work clocks work ms only', () => {
    expect(clockReading(at('2026-03-02 10:00'), 'urgent_hours', CALENDAR_2026)).toBe(at('2026-03-02 10:00').getTime());
    // Monday 2026-03-02 08:00 to 10:00: two work hours.
    expect(clockReading(at('2026-03-02 10:00'), 'work_hours', CALENDAR_2026) - clockReading(at('2026-03-02 08:00'), 'work_days', CALENDAR_2026)).toBe(2 * 3_600_000);
  });

  it('readings differ by clockMsBetween before the origin, across it and past the table of day starts', () => {
    const instants = ['2023-12-31 17:00', '2024-01-01 00:00', '2024-01-02 09:30', '2026-10-01 09:00', '2026-10-10 11:15', '2066-06-01 10:00'].map((s) => at(s));
    for (const clockType of ['work_hours', 'work_days', 'natural_days'] as const) {
      for (const a of instants) {
        for (const b of instants) {
          if (b < a) continue;
          expect(clockReading(b, clockType, CALENDAR_2026) - clockReading(a, clockType, CALENDAR_2026)).toBe(clockMsBetween(a, b, clockType, CALENDAR_2026));
        }
      }
    }
  });

  it('clockMsBetween is 0 when the end is not after the start, and counts no holiday', () => {
    expect(clockMsBetween(at('2026-03-02 10:00'), at('2026-03-02 09:00'), 'work_hours', CALENDAR_2026)).toBe(0);
    expect(clockMsBetween(at('2026-10-01 08:00'), at('2026-10-07 18:00'), 'work_hours', CALENDAR_2026)).toBe(0);
  });
});
