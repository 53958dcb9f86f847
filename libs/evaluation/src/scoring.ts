import type { EvaluationCounts, EvaluationGroupKind, EvaluationMetrics, EvaluationWeights } from './evaluation.types';

/** The counts of an empty group. */
export function emptyCounts(): EvaluationCounts {
  return {
    reported: 0,
    registered: 0,
    registeredClosed: 0,
    closed: 0,
    dispatched: 0,
    due: 0,
    resolvedOnTime: 0,
    closedOnTime: 0,
    extended: 0,
    overdueOpen: 0,
    exempted: 0,
    handled: 0,
    resolutions: 0,
    reworks: 0,
    handlingHours: 0,
  };
}

export function addCounts(a: EvaluationCounts, b: EvaluationCounts): EvaluationCounts {
  const sum = emptyCounts();
  for (const key of Object.keys(sum) as (keyof EvaluationCounts)[]) sum[key] = a[key] + b[key];
  return sum;
}

/** Whether any count is non-zero (a group without activity in the period is not listed). */
export function hasActivity(c: EvaluationCounts): boolean {
  return (Object.keys(c) as (keyof EvaluationCounts)[]).some((k) => c[k] !== 0);
}

function ratio(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null;
}

/** The metrics of domain.md section 5 from the counts (docs/evaluation.md). */
export function metricsOf(c: EvaluationCounts, kind: EvaluationGroupKind | 'total'): EvaluationMetrics {
  return {
    // A case has no chief (or department) until it is dispatched, so on their rows the rate says nothing.
    registrationRate: kind === 'chief' || kind === 'department' ? null : ratio(c.registered, c.reported),
    onTimeHandlingRate: ratio(c.resolvedOnTime, c.due),
    closingRate: ratio(c.registeredClosed, c.registered),
    onTimeClosingRate: ratio(c.closedOnTime, c.due),
    reworkRate: ratio(c.reworks, c.resolutions),
    overdueRate: ratio(c.overdueOpen, c.due),
    extensionRate: ratio(c.extended, c.due),
    overdueOpenCount: c.overdueOpen,
    meanHandlingHours: c.handled > 0 ? c.handlingHours / c.handled : null,
  };
}

/**
 * Composite score 0..100: the weighted mean of the components that have a value (按期处置率, 结案率,
 * 1-返工率, 1-超期率, 1-延期率, each × 100), over the weights of those components; rounded to 2
 * decimals. null when no component has a value or the weights of those that do sum to 0.
 */
export function scoreOf(m: EvaluationMetrics, w: EvaluationWeights): number | null {
  const parts: [number | null, number][] = [
    [m.onTimeHandlingRate, w.onTimeHandlingRate],
    [m.closingRate, w.closingRate],
    [m.reworkRate === null ? null : 1 - m.reworkRate, w.reworkRate],
    [m.overdueRate === null ? null : 1 - m.overdueRate, w.overdueRate],
    [m.extensionRate === null ? null : 1 - m.extensionRate, w.extensionRate],
  ];
  return weightedScore(parts);
}

/**
 * The one composite score rule (cases, inspections, milestones): the weighted mean of the fractions
 * that have a value, each × 100, over the weights of those; rounded to 2 decimals; null when none has
 * a value or their weights sum to 0. A component without a value is left out with its weight.
 */
export function weightedScore(parts: readonly (readonly [number | null, number])[]): number | null {
  let total = 0;
  let weight = 0;
  for (const [value, wt] of parts) {
    if (value === null) continue;
    total += value * 100 * wt;
    weight += wt;
  }
  if (weight <= 0) return null;
  return Math.round((total / weight) * 100) / 100;
}

/**
 * Competition ranking ("1224"): higher score first; equal scores share the rank and the next rank skips
 * (1, 1, 3). Rows without a score come last and share the rank after every scored row. Returns the rows
 * sorted by rank, then by `id` (numeric-aware code order), so the order is deterministic.
 */
export function rankRows<T extends { score: number | null; id: string }>(rows: readonly T[]): (T & { rank: number })[] {
  const sorted = [...rows].sort((a, b) => {
    if (a.score === null || b.score === null) {
      if (a.score !== b.score) return a.score === null ? 1 : -1;
    } else if (a.score !== b.score) {
      return b.score - a.score;
    }
    return a.id.localeCompare(b.id, 'en', { numeric: true });
  });
  const ranked: (T & { rank: number })[] = [];
  sorted.forEach((row, i) => {
    const previous = ranked[i - 1];
    const rank = previous && previous.score === row.score ? previous.rank : i + 1;
    ranked.push({ ...row, rank });
  });
  return ranked;
}

/** Checks a formula's weights (finite, >= 0, at least one > 0); returns the problem or null. */
export function weightsProblem(w: Partial<Record<keyof EvaluationWeights, unknown>>): string | null {
  const keys: (keyof EvaluationWeights)[] = ['onTimeHandlingRate', 'closingRate', 'reworkRate', 'overdueRate', 'extensionRate'];
  for (const k of keys) {
    const v = w[k];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return `${k} must be a number >= 0`;
  }
  if (keys.every((k) => w[k] === 0)) return 'at least one weight must be > 0';
  return null;
}
