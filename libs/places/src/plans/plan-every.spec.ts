import { describe, expect, it } from 'vitest';
import { parseEvery } from './plan-every';

describe('parseEvery', () => {
  it('reads days, hours and minutes as continuous time', () => {
    expect(parseEvery('PT4H')).toEqual({ ms: 4 * 3_600_000 });
    expect(parseEvery('P1D')).toEqual({ ms: 86_400_000 });
    expect(parseEvery('P1DT12H')).toEqual({ ms: 36 * 3_600_000 });
    expect(parseEvery('PT30M')).toEqual({ ms: 30 * 60_000 });
  });

  it('refuses what is not a duration, too short or too long, saying why', () => {
    for (const bad of ['4h', 'P', 'PT', 'P1W', 'P1M', 'PT4H30S', '', 4]) expect(parseEvery(bad)).toHaveProperty('problem');
    expect(parseEvery('PT10M')).toEqual({ problem: 'PT10M is shorter than 15 minutes' });
    expect(parseEvery('P32D')).toEqual({ problem: 'P32D is longer than 31 days' });
  });
});
