import type { Holiday } from '@wangge/domain';
import { describe, expect, it } from 'vitest';
import { CALENDAR_2026, ROWS_2026 } from './clock.fixture';
import { HolidayCalendar } from './holiday-calendar';

describe('HolidayCalendar', () => {
  it.each([
    ['2026-03-02', 'an ordinary Monday', true],
    ['2026-03-06', 'an ordinary Friday', true],
    ['2026-03-07', 'an ordinary Saturday', false],
    ['2026-03-08', 'an ordinary Sunday', false],
    ['2026-10-01', 'a holiday on a Thursday', false],
    ['2026-10-03', 'a holiday on a Saturday', false],
    ['2026-09-27', 'a make-up work day on a Sunday', true],
    ['2026-10-10', 'a make-up work day on a Saturday', true],
    ['2027-10-01', 'a Friday in a year without rows', true],
  ])('%s (%s) is a work day: %s', (date, _what, expected) => {
    expect(CALENDAR_2026.isWorkDay(date)).toBe(expected);
  });

  it('places every fixture make-up work day on a weekend', () => {
    const weekdaysOnly = HolidayCalendar.weekdaysOnly();
    for (const row of ROWS_2026.filter((r) => r.kind === 'workday')) expect(weekdaysOnly.isWorkDay(row.date)).toBe(false);
  });

  it('knows which years it covers', () => {
    expect(CALENDAR_2026.covers(2026)).toBe(true);
    expect(CALENDAR_2026.covers(2027)).toBe(false);
    expect(HolidayCalendar.weekdaysOnly().covers(2026)).toBe(false);
  });

  it('takes holiday entities as they are', () => {
    const entity: Holiday = { date: '2026-05-01', kind: 'holiday', name: '劳动节', nameEn: 'Labour Day' };
    expect(HolidayCalendar.fromRows([entity]).isWorkDay('2026-05-01')).toBe(false);
  });

  it('rejects malformed rows and contradictions', () => {
    expect(() => HolidayCalendar.fromRows([{ date: '2026-02-30', kind: 'holiday', name: 'x' }])).toThrow(RangeError);
    const badKind = JSON.parse('{"date":"2026-05-01","kind":"vacation","name":"x"}') as Holiday;
    expect(() => HolidayCalendar.fromRows([badKind])).toThrow(/kind must be/);
    expect(() =>
      HolidayCalendar.fromRows([
        { date: '2026-05-01', kind: 'holiday', name: 'x' },
        { date: '2026-05-01', kind: 'workday', name: 'x' },
      ]),
    ).toThrow(/both/);
    expect(() => CALENDAR_2026.isWorkDay('2026/05/01')).toThrow(RangeError);
  });
});
