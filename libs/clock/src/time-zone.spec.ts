import { describe, expect, it } from 'vitest';
import { formatLocalDateTime, formatUtcOffset, parseDateTime, utcOffsetMinutes } from './time-zone';

describe('date-times in the district time zone (the one parser and formatter)', () => {
  it('writes an instant with the zone offset and whole seconds', () => {
    expect(formatLocalDateTime(new Date('2026-11-29T05:05:00.789Z'), 'Asia/Shanghai')).toBe('2026-11-29T13:05:00+08:00');
    expect(formatLocalDateTime(new Date('2026-11-29T20:00:00Z'), 'Asia/Shanghai')).toBe('2026-11-30T04:00:00+08:00');
    expect(formatLocalDateTime(new Date('2026-07-01T12:00:00Z'), 'America/New_York')).toBe('2026-07-01T08:00:00-04:00');
    expect(formatLocalDateTime(new Date('2026-01-01T12:00:00Z'), 'UTC')).toBe('2026-01-01T12:00:00+00:00');
  });

  it('reads dates and date-times, with or without an offset', () => {
    const tz = 'Asia/Shanghai';
    expect(parseDateTime('2026-11-29T13:05:00+08:00', tz)?.toISOString()).toBe('2026-11-29T05:05:00.000Z');
    expect(parseDateTime('2026-11-29T05:05:00Z', tz)?.toISOString()).toBe('2026-11-29T05:05:00.000Z');
    expect(parseDateTime('2026-11-29T13:05:00.5+0800', tz)?.toISOString()).toBe('2026-11-29T05:05:00.500Z');
    expect(parseDateTime('2026-11-29T13:05', tz)?.toISOString()).toBe('2026-11-29T05:05:00.000Z');
    expect(parseDateTime('2026-11-29', tz)?.toISOString()).toBe('2026-11-28T16:00:00.000Z');
    // An unencoded + in a query string arrives as a space.
    expect(parseDateTime('2026-11-29T13:05:00 08:00', tz)?.toISOString()).toBe('2026-11-29T05:05:00.000Z');
  });

  it('refuses what is not a date', () => {
    for (const bad of ['', 'yesterday', '2026-02-30', '2026-13-01', '2026-11-29T25:00:00Z', '2026-11-29T13:05:00+15:00', '29/11/2026']) {
      expect(parseDateTime(bad, 'Asia/Shanghai'), bad).toBeNull();
    }
  });

  it('reads a local date-time at a fixed offset in minutes the same way as at a zone name', () => {
    expect(parseDateTime('2026-11-29', 480)?.toISOString()).toBe('2026-11-28T16:00:00.000Z');
    expect(parseDateTime('2026-11-29T13:05', 480)?.toISOString()).toBe('2026-11-29T05:05:00.000Z');
    expect(parseDateTime('2026-11-29T13:05:00Z', 480)?.toISOString()).toBe('2026-11-29T13:05:00.000Z');
    // A day that does not exist is refused whichever way the zone is given (the parsers of intake
    // used to disagree on it: one rolled 02-30 over to 03-02).
    expect(parseDateTime('2026-02-30', 480)).toBeNull();
    expect(parseDateTime('2026-02-30T10:00:00+08:00', 480)).toBeNull();
  });

  it('writes offsets as ±hh:mm and reads a zone\'s offset at an instant', () => {
    expect([480, -330, 0, 345].map(formatUtcOffset)).toEqual(['+08:00', '-05:30', '+00:00', '+05:45']);
    expect(utcOffsetMinutes('Asia/Shanghai')).toBe(480);
    expect(utcOffsetMinutes('America/New_York', new Date('2026-01-15T12:00:00Z'))).toBe(-300);
    expect(utcOffsetMinutes('America/New_York', new Date('2026-07-15T12:00:00Z'))).toBe(-240);
  });
});
