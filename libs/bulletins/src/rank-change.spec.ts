import { describe, expect, it } from 'vitest';
import { movementMark, rankChange, withRankChanges } from './rank-change';

describe('rank change', () => {
  it.each([
    [2, 5, 3, 'up', '↑3'],
    [4, 1, -3, 'down', '↓3'],
    [3, 3, 0, 'same', '–'],
    [1, null, null, 'new', '新 new'],
  ] as const)('rank %i, before %s → %s (%s)', (rank, before, change, movement, mark) => {
    const c = rankChange(rank, before);
    expect(c).toEqual({ previousRank: before, rankChange: change, movement });
    expect(movementMark(c)).toBe(mark);
  });

  it('matches groups by id; ties share a rank in both periods', () => {
    const now = [
      { id: 'a', rank: 1 },
      { id: 'b', rank: 1 },
      { id: 'c', rank: 3 },
      { id: 'd', rank: 4 },
    ];
    const before = [
      { id: 'c', rank: 1 },
      { id: 'a', rank: 2 },
      { id: 'b', rank: 2 },
      { id: 'x', rank: 4 },
    ];
    expect(withRankChanges(now, before).map((r) => [r.id, r.previousRank, r.rankChange, r.movement])).toEqual([
      ['a', 2, 1, 'up'],
      ['b', 2, 1, 'up'],
      ['c', 1, -2, 'down'],
      ['d', null, null, 'new'],
    ]);
  });

  it('keeps the row fields', () => {
    const [row] = withRankChanges([{ id: '7', rank: 2, name: '张三' }], [{ id: '7', rank: 2 }]);
    expect(row).toEqual({ id: '7', rank: 2, name: '张三', previousRank: 2, rankChange: 0, movement: 'same' });
  });
});
