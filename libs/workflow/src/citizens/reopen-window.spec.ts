import { describe, expect, it } from 'vitest';
import { reopenRefusal, reopenWindow } from './reopen-window';

/** A local time in UTC+8 (the demo district's zone). */
const local = (text: string) => new Date(`${text.replace(' ', 'T')}:00+08:00`);

describe('the reopen window: 7 natural days after the day of close, in the district’s zone', () => {
  const closed = local('2027-03-01 17:30');
  const window = reopenWindow(closed, false, 480);

  it('ends at the local midnight after day 7 (the 8th day refuses)', () => {
    expect(window.endsAt.toISOString()).toBe(local('2027-03-09 00:00').toISOString());
    expect(reopenRefusal(window, local('2027-03-04 10:00'))).toBeNull();
    expect(reopenRefusal(window, local('2027-03-08 23:59'))).toBeNull();
    expect(reopenRefusal(window, local('2027-03-09 00:00'))?.code).toBe('reopen_window_passed');
  });

  it('a close late in the evening UTC is counted on its local day', () => {
    // 2027-03-01 23:30 UTC is 03-02 07:30 in UTC+8: day 7 is 03-09.
    const w = reopenWindow(new Date('2027-03-01T23:30:00Z'), false, 480);
    expect(w.endsAt.toISOString()).toBe(local('2027-03-10 00:00').toISOString());
  });

  it('once reopened, never again', () => {
    expect(reopenRefusal(reopenWindow(closed, true, 480), local('2027-03-02 10:00'))?.code).toBe('already_reopened');
  });
});
