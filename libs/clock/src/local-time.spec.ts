import { describe, expect, it } from 'vitest';
import { isoWeek, isoWeekday, localDate, parseLocalDate } from './local-time';

describe('localDate', () => {
  it.each([
    ['2026-03-01T15:59:59.999Z', 480, '2026-03-01'],
    ['2026-03-01T16:00:00.000Z', 480, '2026-03-02'],
    ['2026-03-01T20:00:00.000Z', 0, '2026-03-01'],
    ['2026-03-01T03:00:00.000Z', -300, '2026-02-28'],
    ['2026-12-31T16:00:00.000Z', 480, '2027-01-01'],
  ])('%s at UTC%+d min is %s', (iso, offset, expected) => {
    expect(localDate(new Date(iso), offset)).toBe(expected);
  });

  it('defaults to UTC+8', () => {
    expect(localDate(new Date('2026-03-01T16:00:00Z'))).toBe('2026-03-02');
  });

  it('rejects an invalid instant or offset', () => {
    expect(() => localDate(new Date('nonsense'))).toThrow(RangeError);
    expect(() => localDate(new Date(0), 90.5)).toThrow(/utcOffsetMinutes/);
    expect(() => localDate(new Date(0), 900)).toThrow(/utcOffsetMinutes/);
  });
});

describe('isoWeek', () => {
  it.each([
    ['2026-11-23T00:00:00Z', 0, '2026-W48'],
    ['2026-11-29T23:59:00Z', 0, '2026-W48'],
    ['2026-01-01T00:00:00Z', 0, '2026-W01'],
    ['2025-12-29T00:00:00Z', 0, '2026-W01'],
    ['2026-12-31T00:00:00Z', 0, '2026-W53'],
    ['2027-01-03T00:00:00Z', 0, '2026-W53'],
    ['2027-01-04T00:00:00Z', 0, '2027-W01'],
    ['2024-12-30T00:00:00Z', 0, '2025-W01'],
    ['2021-01-03T00:00:00Z', 0, '2020-W53'],
    // Sunday 16:30 UTC is already Monday 00:30 in UTC+8.
    ['2026-11-22T16:30:00Z', 0, '2026-W47'],
    ['2026-11-22T16:30:00Z', 480, '2026-W48'],
  ])('%s at UTC%+d min is %s', (iso, offset, expected) => {
    expect(isoWeek(new Date(iso), offset)).toBe(expected);
  });

  it('agrees with a day-by-day count over several years', () => {
    // Every Monday starts a new week, and the week number restarts at 1 only in early January.
    let previous = isoWeek(new Date('2019-12-30T00:00:00Z'), 0);
    for (let ms = Date.parse('2019-12-31T00:00:00Z'); ms < Date.parse('2031-01-01T00:00:00Z'); ms += 86_400_000) {
      const current = isoWeek(new Date(ms), 0);
      if (new Date(ms).getUTCDay() !== 1) expect(current).toBe(previous);
      else if (current.endsWith('W01')) expect(new Date(ms).toISOString() < `${current.slice(0, 4)}-01-05`).toBe(true);
      else expect(Number(current.slice(6))).toBe(Number(previous.slice(6)) + 1);
      previous = current;
    }
  });
});

describe('local day helpers', () => {
  it('parse real dates and reject others', () => {
    expect(parseLocalDate('1970-01-02')).toBe(1);
    for (const bad of ['2026-02-29', '2026-13-01', '2026-3-1', '2026-03-01T00:00', '']) {
      expect(() => parseLocalDate(bad)).toThrow(RangeError);
    }
  });

  it('number weekdays Monday 1 to Sunday 7, also before 1970', () => {
    expect(isoWeekday(parseLocalDate('2026-03-02'))).toBe(1);
    expect(isoWeekday(parseLocalDate('2026-03-08'))).toBe(7);
    expect(isoWeekday(parseLocalDate('1969-12-28'))).toBe(7);
  });
});
