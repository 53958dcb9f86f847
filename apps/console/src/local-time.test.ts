import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localInputValue, localMinute } from './local-time';

/** On a device in the district (UTC+8), as the console runs there; the machine running the tests may be on UTC. */
describe('times on the device’s clock', () => {
  let zone: string | undefined;
  beforeEach(() => {
    zone = process.env.TZ;
    process.env.TZ = 'Asia/Shanghai';
  });
  afterEach(() => {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  });

  it('shows an instant at the district’s date and minute, not UTC’s', () => {
    expect(localMinute('2026-12-07T13:05:40Z')).toBe('2026-12-07 21:05');
    expect(localMinute('2026-11-30T16:00:00Z')).toBe('2026-12-01 00:00');
  });

  it('gives a datetime-local input the same reading, which the input reads back as the same instant', () => {
    const value = localInputValue('2026-12-07T13:05:00Z');
    expect(value).toBe('2026-12-07T21:05');
    expect(new Date(value).toISOString()).toBe('2026-12-07T13:05:00.000Z');
    expect(localInputValue(new Date('2026-12-07T13:05:00Z'))).toBe(value);
  });

  it('leaves what is not an instant as it is', () => {
    expect(localMinute('not a time')).toBe('not a time');
  });
});
