/**
 * The change of rank between two periods. A rank is the competition rank of the evaluation engine
 * (1, 1, 3 for a tie): moving from rank 5 to rank 2 is a change of +3 (up three places), from 1 to
 * 4 a change of -3. A group with no rank in the previous period (no cases then, or new) has no
 * previous rank and no change (`new`).
 */
export interface RankChange {
  previousRank: number | null;
  /** previousRank - rank: positive = moved up, negative = moved down, 0 = held; null when new. */
  rankChange: number | null;
  /** How to read it: ↑3, ↓2, =, new. */
  movement: 'up' | 'down' | 'same' | 'new';
}

export function rankChange(rank: number, previousRank: number | null | undefined): RankChange {
  if (previousRank === null || previousRank === undefined) return { previousRank: null, rankChange: null, movement: 'new' };
  const change = previousRank - rank;
  return { previousRank, rankChange: change, movement: change > 0 ? 'up' : change < 0 ? 'down' : 'same' };
}

/** Each current row with its change from the previous ranking (matched by group id). */
export function withRankChanges<T extends { id: string; rank: number }>(
  current: readonly T[],
  previous: readonly { id: string; rank: number }[],
): (T & RankChange)[] {
  const before = new Map(previous.map((r) => [r.id, r.rank]));
  return current.map((row) => ({ ...row, ...rankChange(row.rank, before.get(row.id)) }));
}

/** A short mark for tables: ↑3 / ↓2 / – / 新 new. */
export function movementMark(change: RankChange): string {
  switch (change.movement) {
    case 'up':
      return `↑${change.rankChange}`;
    case 'down':
      return `↓${-(change.rankChange ?? 0)}`;
    case 'same':
      return '–';
    case 'new':
      return '新 new';
  }
}
