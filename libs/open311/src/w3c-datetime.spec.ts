import { describe, expect, it } from 'vitest';
import { parseW3cDateTime, w3cDateTime } from './w3c-datetime';

describe('W3C date-times in the district time zone', () => {
  it('writes an instant with the zone offset and whole seconds', () => {
    expect(w3cDateTime(new Date('2026-11-29T05:05:00.789Z'), 'Asia/Shanghai')).toBe('2026-11-29T13:05:00+08:00');
    expect(w3cDateTime(new Date('2026-11-29T20:00:00Z'), 'Asia/Shanghai')).toBe('2026-11-30T04:00:00+08:00');
    expect(w3cDateTime(new Date('2026-07-01T12:00:00Z'), 'America/New_York')).toBe('2026-07-01T08:00:00-04:00');
    expect(w3cDateTime(new Date('2026-01-01T12:00:00Z'), 'UTC')).toBe('2026-01-01T12:00:00+00:00');
  });

  it('reads dates and date-times, with or without an offset', () => {
    const tz = 'Asia/Shanghai';
    expect(parseW3cDateTime('2026-11-29T13:05:00+08:00', tz)?.toISOString()).toBe('2026-11-29T05:05:00.000Z');
    expect(parseW3cDateTime('2026-11-29T05:05:00Z', tz)?.toISOString()).toBe('2026-11-29T05:05:00.000Z');
    expect(parseW3cDateTime('2026-11-29T13:05:00.5+0800', tz)?.toISOString()).toBe('2026-11-29T05:05:00.500Z');
    expect(parseW3cDateTime('2026-11-29T13:05', tz)?.toISOString()).toBe('2026-11-29T05:05:00.000Z');
    expect(parseW3cDateTime('2026-11-29', tz)?.toISOString()).toBe('2026-11-28T16:00:00.000Z');
    // An unencoded + in a query string arrives as a space.
    expect(parseW3cDateTime('2026-11-29T13:05:00 08:00', tz)?.toISOString()).toBe('2026-11-29T05:05:00.000Z');
  });

  it('refuses what is not a date', () => {
    for (const bad of ['', 'yesterday', '2026-02-30', '2026-13-01', '2026-11-29T25:00:00Z', '2026-11-29T13:05:00+15:00', '29/11/2026']) {
      expect(parseW3cDateTime(bad, 'Asia/Shanghai'), bad).toBeNull();
    }
  });
});
