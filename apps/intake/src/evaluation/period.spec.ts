import { describe, expect, it } from 'vitest';
import { ApiError } from '@wangge/operations';
import { parseDate } from '../cases/case.controller';
import { periodBound } from './period';

const CST = 480;

describe('dates in requests (one parser, @wangge/clock parseDateTime)', () => {
  it('reads a local date as its 00:00; as the end of a period, the 00:00 after it', () => {
    expect(parseDate('2026-11-29', 'from', CST).toISOString()).toBe('2026-11-28T16:00:00.000Z');
    expect(periodBound('2026-11-29', 'from', CST).toISOString()).toBe('2026-11-28T16:00:00.000Z');
    expect(periodBound('2026-11-29', 'to', CST).toISOString()).toBe('2026-11-29T16:00:00.000Z');
    expect(periodBound('2026-11-29T08:00', 'to', CST).toISOString()).toBe('2026-11-29T00:00:00.000Z');
    expect(parseDate('2026-11-29T08:00:00Z', 'to', CST).toISOString()).toBe('2026-11-29T08:00:00.000Z');
  });

  it.each(['2026-02-30', '2026-02-30T10:00:00+08:00', '2026-13-01', 'tomorrow'])('refuses %s in case lists and periods alike', (text) => {
    expect(() => parseDate(text, 'from', CST)).toThrow(ApiError);
    expect(() => periodBound(text, 'from', CST)).toThrow(ApiError);
  });
});
