import { describe, expect, it } from 'vitest';
import { at, show } from './clock.fixture';
import { endOfDailyWindow, minutesOfLocalTime } from './local-time';

describe('endOfDailyWindow (quiet hours)', () => {
  const night = { from: '22:00', to: '07:00' };

  it('holds an instant inside a window past midnight until its end, the same night or the next morning', () => {
    expect(show(endOfDailyWindow(at('2026-12-07 23:30'), night)!)).toBe('2026-12-08 07:00');
    expect(show(endOfDailyWindow(at('2026-12-08 06:59'), night)!)).toBe('2026-12-08 07:00');
    expect(show(endOfDailyWindow(at('2026-12-07 22:00'), night)!)).toBe('2026-12-08 07:00');
  });

  it('lets an instant outside the window through', () => {
    expect(endOfDailyWindow(at('2026-12-08 07:00'), night)).toBeNull();
    expect(endOfDailyWindow(at('2026-12-08 21:59'), night)).toBeNull();
  });

  it('handles a window within one day and an empty window', () => {
    expect(show(endOfDailyWindow(at('2026-12-08 12:30'), { from: '12:00', to: '14:00' })!)).toBe('2026-12-08 14:00');
    expect(endOfDailyWindow(at('2026-12-08 14:00'), { from: '12:00', to: '14:00' })).toBeNull();
    expect(endOfDailyWindow(at('2026-12-08 12:30'), { from: '12:00', to: '12:00' })).toBeNull();
  });

  it('refuses a time that is not HH:MM', () => {
    expect(() => minutesOfLocalTime('24:00')).toThrow(RangeError);
    expect(minutesOfLocalTime('07:30')).toBe(450);
  });
});
