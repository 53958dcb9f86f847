import { describe, expect, it } from 'vitest';
import { DEFAULT_HISTORY_SEED, parseSeedArgs } from './seed-demo.command';

describe('seed-demo arguments', () => {
  it('takes the history days from DEMO_HISTORY_DAYS and the default seed when none are given', () => {
    expect(parseSeedArgs([], 30)).toEqual({ days: 30, seed: DEFAULT_HISTORY_SEED });
  });

  it('reads --history-days and --seed, also as --flag=value', () => {
    expect(parseSeedArgs(['--history-days', '7', '--seed', '42'], 30)).toEqual({ days: 7, seed: 42 });
    expect(parseSeedArgs(['--history-days=0', '--seed=3'], 30)).toEqual({ days: 0, seed: 3 });
  });

  it('names the flag that is wrong', () => {
    expect(parseSeedArgs(['--history-days'], 30)).toMatch(/--history-days needs a whole number, got nothing/);
    expect(parseSeedArgs(['--history-days', 'abc'], 30)).toMatch(/--history-days needs a whole number, got "abc"/);
    expect(parseSeedArgs(['--history-days', '91'], 30)).toMatch(/--history-days must be 0 to 90/);
    expect(parseSeedArgs(['--seed', '-1'], 30)).toMatch(/--seed needs a whole number/);
    expect(parseSeedArgs(['--days', '3'], 30)).toMatch(/unknown argument --days/);
  });
});
