import { describe, expect, it } from 'vitest';
import { isoWeekOfDay, isoWeeksInYear, localDayOfDate } from '@wangge/clock';
import {
  bulletinTitle,
  cronPattern,
  hasEnded,
  latestDuePeriod,
  parsePeriod,
  PeriodError,
  periodAt,
  previousPeriod,
} from './bulletin-period';

const SHANGHAI = 480;
const day = (d: string) => localDayOfDate(d)!;

describe('ISO weeks', () => {
  it.each([
    ['2026-12-28', '2026-W53'],
    ['2027-01-01', '2026-W53'],
    ['2027-01-03', '2026-W53'],
    ['2027-01-04', '2027-W01'],
    ['2024-12-30', '2025-W01'],
    ['2025-12-29', '2026-W01'],
    ['2021-01-03', '2020-W53'],
    ['2020-12-31', '2020-W53'],
    ['2026-11-29', '2026-W48'],
    ['2026-03-02', '2026-W10'],
  ])('%s is in %s', (date, week) => {
    expect(isoWeekOfDay(day(date))).toBe(week);
  });

  it.each([
    [2020, 53],
    [2021, 52],
    [2024, 52],
    [2026, 53],
    [2027, 52],
    [2032, 53],
  ])('%i has %i weeks', (year, weeks) => {
    expect(isoWeeksInYear(year)).toBe(weeks);
  });

  it('a week across the year end runs Monday to Sunday in local time', () => {
    const w = parsePeriod('weekly', '2026-W53', SHANGHAI);
    expect(w.firstDay).toBe('2026-12-28');
    expect(w.lastDay).toBe('2027-01-03');
    expect(w.from.toISOString()).toBe('2026-12-27T16:00:00.000Z');
    expect(w.to.toISOString()).toBe('2027-01-03T16:00:00.000Z');
    const next = parsePeriod('weekly', '2027-W01', SHANGHAI);
    expect(next.from.getTime()).toBe(w.to.getTime());
    expect(previousPeriod(next, SHANGHAI).key).toBe('2026-W53');
    expect(previousPeriod(parsePeriod('weekly', '2026-W01', SHANGHAI), SHANGHAI).key).toBe('2025-W52');
    expect(parsePeriod('weekly', '2025-W01', SHANGHAI).firstDay).toBe('2024-12-30');
  });
});

describe('local day boundaries (Asia/Shanghai, UTC+8)', () => {
  it('a day runs from local midnight to local midnight', () => {
    const d = parsePeriod('daily', '2026-03-01', SHANGHAI);
    expect(d.from.toISOString()).toBe('2026-02-28T16:00:00.000Z');
    expect(d.to.toISOString()).toBe('2026-03-01T16:00:00.000Z');
  });

  it('an instant belongs to the local day, not the UTC day', () => {
    expect(periodAt('daily', new Date('2026-02-28T15:59:59.999Z'), SHANGHAI).key).toBe('2026-02-28');
    expect(periodAt('daily', new Date('2026-02-28T16:00:00.000Z'), SHANGHAI).key).toBe('2026-03-01');
    // Sunday 23:59 local is still in the week; Monday 00:00 local starts the next one.
    expect(periodAt('weekly', new Date('2026-03-01T15:59:00Z'), SHANGHAI).key).toBe('2026-W09');
    expect(periodAt('weekly', new Date('2026-03-01T16:00:00Z'), SHANGHAI).key).toBe('2026-W10');
  });

  it('leap days and month ends', () => {
    expect(previousPeriod(parsePeriod('daily', '2028-03-01', SHANGHAI), SHANGHAI).key).toBe('2028-02-29');
    expect(previousPeriod(parsePeriod('daily', '2027-01-01', SHANGHAI), SHANGHAI).key).toBe('2026-12-31');
  });

  it('a period has ended only from its end on', () => {
    const d = parsePeriod('daily', '2026-03-01', SHANGHAI);
    expect(hasEnded(d, new Date(d.to.getTime() - 1))).toBe(false);
    expect(hasEnded(d, d.to)).toBe(true);
  });
});

describe('which bulletin is due', () => {
  const at8 = 8 * 60;
  it.each([
    // local time → latest daily summary due (published at 08:00 for the previous day)
    ['2026-03-02T07:59+08:00', '2026-02-28'],
    ['2026-03-02T08:00+08:00', '2026-03-01'],
    ['2026-03-02T23:59+08:00', '2026-03-01'],
    ['2026-03-03T00:30+08:00', '2026-03-01'],
    ['2027-01-01T08:00+08:00', '2026-12-31'],
  ])('daily at %s → %s', (now, key) => {
    expect(latestDuePeriod('daily', new Date(now), at8, SHANGHAI).key).toBe(key);
  });

  it.each([
    // weekly at 08:30 on Mondays for the previous ISO week
    ['2026-03-02T08:29+08:00', '2026-W08'],
    ['2026-03-02T08:30+08:00', '2026-W09'],
    ['2026-03-08T23:00+08:00', '2026-W09'],
    ['2027-01-04T09:00+08:00', '2026-W53'],
    ['2027-01-04T08:00+08:00', '2026-W52'],
  ])('weekly at %s → %s', (now, key) => {
    expect(latestDuePeriod('weekly', new Date(now), 8 * 60 + 30, SHANGHAI).key).toBe(key);
  });

  it('the cron patterns of the schedulers', () => {
    expect(cronPattern('daily', '08:00')).toBe('0 8 * * *');
    expect(cronPattern('weekly', '08:30')).toBe('30 8 * * 1');
    expect(cronPattern('daily', '23:05')).toBe('5 23 * * *');
  });
});

describe('parsing periods from requests', () => {
  it.each(['2026-02-30', '2026-13-01', '2026-3-1', '20260301', '2026-03-01T00:00', '', 'yesterday', '2026-02-29'])('daily %j is refused naming date', (text) => {
    expect(() => parsePeriod('daily', text, SHANGHAI)).toThrow(PeriodError);
    try {
      parsePeriod('daily', text, SHANGHAI);
    } catch (e) {
      expect((e as PeriodError).field).toBe('date');
    }
  });

  it.each(['2027-W53', '2026-W00', '2026-W54', '2026-W9', '2026W09', '2026-09', '1969-W01'])('weekly %j is refused naming isoWeek', (text) => {
    expect(() => parsePeriod('weekly', text, SHANGHAI)).toThrow(expect.objectContaining({ field: 'isoWeek' }));
  });

  it('titles name the period (and the revision when regenerated)', () => {
    expect(bulletinTitle(parsePeriod('daily', '2026-03-01', SHANGHAI))).toEqual({ zh: '每日汇总 2026-03-01', en: 'Daily summary 2026-03-01' });
    expect(bulletinTitle(parsePeriod('weekly', '2026-W09', SHANGHAI), 2).en).toBe('Weekly bulletin 2026-W09 (2026-02-23 to 2026-03-01) (revision 2)');
  });
});
