import { describe, expect, it } from 'vitest';
import type { EvaluationCounts, EvaluationWeights } from './evaluation.types';
import { addCounts, emptyCounts, hasActivity, metricsOf, rankRows, scoreOf, weightsProblem } from './scoring';
import { checkQuery } from './evaluation.service';

const W: EvaluationWeights = { onTimeHandlingRate: 30, closingRate: 20, reworkRate: 20, overdueRate: 20, extensionRate: 10 };
const counts = (c: Partial<EvaluationCounts>): EvaluationCounts => ({ ...emptyCounts(), ...c });

describe('metricsOf', () => {
  it.each([
    ['every denominator zero', {}, 'street', { registrationRate: null, onTimeHandlingRate: null, closingRate: null, reworkRate: null, overdueRate: null, extensionRate: null, meanHandlingHours: null, overdueOpenCount: 0 }],
    ['registration rate', { reported: 4, registered: 3 }, 'street', { registrationRate: 0.75 }],
    ['no registration rate on chief rows', { reported: 4, registered: 3 }, 'chief', { registrationRate: null }],
    ['timeliness over due', { due: 4, resolvedOnTime: 3, closedOnTime: 1, overdueOpen: 1, extended: 2 }, 'chief', { onTimeHandlingRate: 0.75, onTimeClosingRate: 0.25, overdueRate: 0.25, extensionRate: 0.5, overdueOpenCount: 1 }],
    ['closing rate over registered', { registered: 5, registeredClosed: 2 }, 'category', { closingRate: 0.4 }],
    ['rework rate and mean handling time', { handled: 4, resolutions: 5, reworks: 1, handlingHours: 10 }, 'community', { reworkRate: 0.2, meanHandlingHours: 2.5 }],
  ] as const)('%s', (_name, c, kind, expected) => {
    expect(metricsOf(counts(c), kind)).toMatchObject(expected);
  });
});

describe('scoreOf', () => {
  const m = (c: Partial<EvaluationCounts>) => metricsOf(counts(c), 'street');
  it.each([
    ['all perfect', { due: 2, resolvedOnTime: 2, registered: 2, registeredClosed: 2, resolutions: 2 }, W, 100],
    ['nothing to judge', {}, W, null],
    // 50*30 + 50*20 + 100*20 + 50*20 + 100*10 = 6500 / 100
    ['weighted', { due: 2, resolvedOnTime: 1, registered: 2, registeredClosed: 1, resolutions: 1, overdueOpen: 1 }, W, 65],
    // only the closing rate has a value: its weight alone
    ['missing components leave their weight out', { registered: 3, registeredClosed: 1 }, W, 33.33],
    ['rounded to 2 decimals', { due: 3, resolvedOnTime: 1 }, { ...W, closingRate: 0, reworkRate: 0, overdueRate: 0, extensionRate: 0 }, 33.33],
    ['weights of the present components sum to 0', { registered: 1 }, { ...W, closingRate: 0 }, null],
  ] as const)('%s', (_name, c, w, expected) => {
    expect(scoreOf(m(c), w)).toBe(expected);
  });
});

describe('rankRows: competition ranking, deterministic', () => {
  const rows = (list: [string, number | null][]) => list.map(([id, score]) => ({ id, score }));
  it.each([
    ['distinct', [['a', 90], ['b', 80], ['c', 70]], [['a', 1], ['b', 2], ['c', 3]]],
    ['tie at the top: 1, 1, 3', [['b', 90], ['a', 90], ['c', 70]], [['a', 1], ['b', 1], ['c', 3]]],
    ['tie in the middle: 1, 2, 2, 4', [['d', 10], ['c', 50], ['b', 50], ['a', 99]], [['a', 1], ['b', 2], ['c', 2], ['d', 4]]],
    ['unscored rows last, sharing a rank', [['x', null], ['y', 10], ['z', null]], [['y', 1], ['x', 2], ['z', 2]]],
    ['numeric ids in number order', [['10', 50], ['9', 50], ['2', 60]], [['2', 1], ['9', 2], ['10', 2]]],
    ['empty', [], []],
  ] as const)('%s', (_name, input, expected) => {
    expect(rankRows(rows(input as unknown as [string, number | null][])).map((r) => [r.id, r.rank])).toEqual(expected);
  });

  it('does not depend on input order', () => {
    const input = rows([['a', 1], ['b', 2], ['c', 2], ['d', null], ['e', 3]]);
    const once = rankRows(input);
    expect(rankRows([...input].reverse())).toEqual(once);
  });
});

describe('counts and weights helpers', () => {
  it('adds counts field by field and sees activity', () => {
    expect(addCounts(counts({ due: 1, handlingHours: 1.5 }), counts({ due: 2, reworks: 1 }))).toEqual(counts({ due: 3, reworks: 1, handlingHours: 1.5 }));
    expect(hasActivity(emptyCounts())).toBe(false);
    expect(hasActivity(counts({ closed: 1 }))).toBe(true);
  });

  it.each([
    [W, null],
    [{ ...W, closingRate: -1 }, 'closingRate must be a number >= 0'],
    [{ ...W, reworkRate: Number.NaN }, 'reworkRate must be a number >= 0'],
    [{ onTimeHandlingRate: 0, closingRate: 0, reworkRate: 0, overdueRate: 0, extensionRate: 0 }, 'at least one weight must be > 0'],
    [{ onTimeHandlingRate: 1 }, 'closingRate must be a number >= 0'],
  ])('weightsProblem %#', (w, problem) => {
    expect(weightsProblem(w)).toBe(problem);
  });
});

describe('checkQuery', () => {
  const at = (s: string) => new Date(s);
  it.each([
    [{ from: at('x'), to: at('2026-01-02'), groupBy: 'chief' }, 'from'],
    [{ from: at('2026-01-01'), to: at('x'), groupBy: 'chief' }, 'to'],
    [{ from: at('2026-01-02'), to: at('2026-01-01'), groupBy: 'chief' }, 'from'],
    [{ from: at('2026-01-01'), to: at('2026-01-01'), groupBy: 'chief' }, 'from'],
    [{ from: at('2025-01-01'), to: at('2026-01-03'), groupBy: 'chief' }, 'to'],
    [{ from: at('2026-01-01'), to: at('2026-01-02'), groupBy: 'road' }, 'groupBy'],
  ])('refuses %# naming %s', (q, field) => {
    expect(() => checkQuery(q as never)).toThrow(expect.objectContaining({ code: 'bad_input', field }));
  });

  it('accepts a full leap year of 366 days', () => {
    expect(() => checkQuery({ from: at('2024-01-01T00:00:00Z'), to: at('2025-01-01T00:00:00Z'), groupBy: 'street' })).not.toThrow();
  });
});
