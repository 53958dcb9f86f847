import { describe, expect, it } from 'vitest';
import { daysIn, percent, previousPeriod } from './period';

describe('the periods of the leaders pages', () => {
  it('the previous period has the same number of days and ends the day before', () => {
    expect(daysIn('2026-12-01', '2026-12-07')).toBe(7);
    expect(previousPeriod('2026-12-01', '2026-12-07')).toEqual({ from: '2026-11-24', to: '2026-11-30' });
    expect(previousPeriod('2026-03-01', '2026-03-31')).toEqual({ from: '2026-01-29', to: '2026-02-28' });
    expect(previousPeriod('2026-12-07', '2026-12-07')).toEqual({ from: '2026-12-06', to: '2026-12-06' });
  });

  it('rates read as percentages, none as a dash', () => {
    expect(percent(0.8567)).toBe('85.7%');
    expect(percent(null)).toBe('—');
  });
});

describe('the ranking rows', async () => {
  const { caseFilterOf, changeOf } = await import('./evaluation-types');
  const row = (kind: 'chief' | 'street' | 'community' | 'category' | 'department', id: string, rank: number, score: number | null) =>
    ({ group: { kind, id, name: id, level: null }, rank, score, counts: {}, metrics: {} }) as unknown as Parameters<typeof changeOf>[0];

  it('the change since the previous period: places gained (+) or lost (−), score points; new rows have none', () => {
    const before = [row('chief', '7', 3, 70), row('chief', '8', 1, 90)];
    expect(changeOf(row('chief', '7', 1, 85), before)).toEqual({ rank: 2, score: 15 });
    expect(changeOf(row('chief', '8', 2, 80), before)).toEqual({ rank: -1, score: -10 });
    expect(changeOf(row('chief', '9', 1, 80), before)).toBeNull();
    expect(changeOf(row('chief', '7', 3, null), before)).toEqual({ rank: 0, score: null });
  });

  it('a row drills down to its cases by the case-list filter of its kind', () => {
    expect(caseFilterOf(row('chief', '7', 1, 1))).toBe('assignee=7');
    expect(caseFilterOf(row('street', '410104001', 1, 1))).toBe('street=410104001');
    expect(caseFilterOf(row('community', '410104001001', 1, 1))).toBe('community=410104001001');
    expect(caseFilterOf(row('category', 'E0102', 1, 1))).toBe('category=E0102');
    // The case list has no department filter: a department's row does not drill down.
    expect(caseFilterOf(row('department', 'GAS', 1, 1))).toBeNull();
  });
});
