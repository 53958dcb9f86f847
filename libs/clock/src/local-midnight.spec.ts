import { describe, expect, it } from 'vitest';
import { localMidnightDate } from './local-time';

const CST = 480;

describe('localMidnightDate', () => {
  it('names the local date of a local midnight', () => {
    expect(localMidnightDate(new Date('2025-12-31T16:00:00Z'), CST)).toBe('2026-01-01');
    expect(localMidnightDate(new Date('2026-01-01T00:00:00Z'), 0)).toBe('2026-01-01');
    expect(localMidnightDate(new Date('1969-12-31T05:00:00Z'), -300)).toBe('1969-12-31');
    expect(localMidnightDate(new Date('2026-03-01T05:30:00Z'), -330)).toBe('2026-03-01');
  });

  it('refuses any other instant, down to the millisecond', () => {
    expect(localMidnightDate(new Date('2026-01-01T00:00:00Z'), CST)).toBeNull();
    expect(localMidnightDate(new Date('2025-12-31T16:00:00.001Z'), CST)).toBeNull();
    expect(localMidnightDate(new Date('2025-12-31T15:59:59.999Z'), CST)).toBeNull();
    expect(localMidnightDate(new Date('1969-12-31T04:00:00Z'), -300)).toBeNull();
  });
});
