import { describe, expect, it } from 'vitest';
import { localDay } from './local-day';

const CST = 480 * 60_000;

describe('localDay', () => {
  it('names the local date of a local midnight', () => {
    expect(localDay(new Date('2025-12-31T16:00:00Z'), CST)).toBe('2026-01-01');
    expect(localDay(new Date('2026-01-01T00:00:00Z'), 0)).toBe('2026-01-01');
    expect(localDay(new Date('1969-12-31T05:00:00Z'), -5 * 3_600_000)).toBe('1969-12-31');
    expect(localDay(new Date('2026-03-01T05:30:00Z'), -330 * 60_000)).toBe('2026-03-01');
  });

  it('refuses any other instant, down to the millisecond', () => {
    expect(localDay(new Date('2026-01-01T00:00:00Z'), CST)).toBeNull();
    expect(localDay(new Date('2025-12-31T16:00:00.001Z'), CST)).toBeNull();
    expect(localDay(new Date('2025-12-31T15:59:59.999Z'), CST)).toBeNull();
    expect(localDay(new Date('1969-12-31T04:00:00Z'), -5 * 3_600_000)).toBeNull();
  });
});
