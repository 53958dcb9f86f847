import { describe, expect, it } from 'vitest';
import { countdown, duration } from './countdown';

const now = Date.parse('2026-11-29T08:00:00Z');

describe('countdown', () => {
  it('shows the time left in the two largest units, in Chinese and English', () => {
    expect(countdown('2026-11-30T10:30:00Z', now, 'zh')).toEqual({ text: '剩余 1 天 2 小时', overdue: false, urgent: false });
    expect(countdown('2026-11-30T10:30:00Z', now, 'en')).toEqual({ text: '1d 2h left', overdue: false, urgent: false });
    expect(countdown('2026-11-29T08:45:10Z', now, 'en')).toEqual({ text: '45m 10s left', overdue: false, urgent: true });
  });

  it('marks a passed deadline overdue with the time since it', () => {
    expect(countdown('2026-11-29T05:00:00Z', now, 'zh')).toEqual({ text: '已超期 3 小时', overdue: true, urgent: true });
    expect(countdown('2026-11-29T07:59:30Z', now, 'en')).toEqual({ text: 'overdue by 30s', overdue: true, urgent: true });
  });

  it('has nothing to show without a (valid) deadline', () => {
    expect(countdown(null, now, 'zh')).toBeNull();
    expect(countdown(undefined, now, 'en')).toBeNull();
    expect(countdown('soon', now, 'en')).toBeNull();
  });

  it('skips a zero second unit and shows zero as 0', () => {
    expect(duration(2 * 86_400_000 + 5 * 60_000, 'en')).toBe('2d');
    expect(duration(3_600_000 + 60_000, 'zh')).toBe('1 小时 1 分');
    expect(duration(400, 'en')).toBe('0s');
  });
});
