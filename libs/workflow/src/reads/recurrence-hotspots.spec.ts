import { describe, expect, it } from 'vitest';
import { connectedComponents } from './recurrence-hotspots.query';

describe('recurrence clusters (pairs that share a case are one place)', () => {
  const sets = (pairs: { a: string; b: string }[]) =>
    connectedComponents(pairs)
      .map((c) => ({ ids: c.ids.sort(), pairs: c.pairs }))
      .sort((x, y) => x.ids[0].localeCompare(y.ids[0]));

  it('joins chains and keeps separate places apart', () => {
    expect(
      sets([
        { a: 'f', b: 'g' },
        { a: 'g', b: 'h' },
        { a: 'f', b: 'h' },
        { a: 'a', b: 'b' },
        { a: 'x', b: 'y' },
        { a: 'y', b: 'z' },
      ]),
    ).toEqual([
      { ids: ['a', 'b'], pairs: 1 },
      { ids: ['f', 'g', 'h'], pairs: 3 },
      { ids: ['x', 'y', 'z'], pairs: 2 },
    ]);
  });

  it('joins two clusters through a late link', () => {
    expect(
      sets([
        { a: 'a', b: 'b' },
        { a: 'c', b: 'd' },
        { a: 'b', b: 'c' },
      ]),
    ).toEqual([{ ids: ['a', 'b', 'c', 'd'], pairs: 3 }]);
  });

  it('no pairs, no clusters', () => {
    expect(connectedComponents([])).toEqual([]);
  });
});
