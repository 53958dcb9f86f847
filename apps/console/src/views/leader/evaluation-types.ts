// The answers of `GET /api/v1/evaluation` and `/evaluation/trends` as the console reads them.

export const GROUP_KINDS = ['chief', 'street', 'community', 'category', 'department'] as const;
export type GroupKind = (typeof GROUP_KINDS)[number];

export interface EvaluationCounts {
  reported: number;
  registered: number;
  closed: number;
  due: number;
  overdueOpen: number;
  handled: number;
  [k: string]: number;
}

export interface EvaluationMetrics {
  registrationRate: number | null;
  onTimeHandlingRate: number | null;
  closingRate: number | null;
  reworkRate: number | null;
  overdueRate: number | null;
  extensionRate: number | null;
  overdueOpenCount: number;
  meanHandlingHours: number | null;
}

export interface EvaluationRowView {
  group: { kind: GroupKind; id: string; name: string; level: number | null };
  counts: EvaluationCounts;
  metrics: EvaluationMetrics;
  /** 满意率: the reporters' feedback in the period (absent from servers before it was counted). */
  satisfaction?: SatisfactionView;
  score: number | null;
  rank: number;
}

export interface SatisfactionView {
  feedback: number;
  satisfied: number;
  rate: number | null;
}

export interface EvaluationReportView {
  formula: { version: number; weights: Record<string, number>; effectiveFrom: string; note: string | null };
  period: { from: string; to: string };
  groupBy: GroupKind;
  rows: EvaluationRowView[];
  totals: { counts: EvaluationCounts; metrics: EvaluationMetrics; satisfaction?: SatisfactionView; score: number | null };
}

export interface FormulaView {
  version: number;
  effectiveFrom: string;
  note: string | null;
}

export interface TrendDayView {
  day: string;
  reported: number;
  registered: number;
  closed: number;
  overdue: number;
  handled: number;
  meanHandlingHours: number | null;
}

export interface TrendsView {
  days: TrendDayView[];
  totals: Omit<TrendDayView, 'day'>;
}

/** The change of a row since the previous period: rank places gained (+) or lost (−), score points; null: not ranked then. */
export function changeOf(row: EvaluationRowView, previous: EvaluationRowView[] | null): { rank: number; score: number | null } | null {
  const before = previous?.find((p) => p.group.id === row.group.id);
  if (!before) return null;
  return { rank: before.rank - row.rank, score: row.score !== null && before.score !== null ? row.score - before.score : null };
}

/** The case-list filter that drills down from a row to its cases; null: the case list has none (departments). */
export function caseFilterOf(row: EvaluationRowView): string | null {
  switch (row.group.kind) {
    case 'chief':
      return `assignee=${encodeURIComponent(row.group.id)}`;
    case 'street':
      return `street=${encodeURIComponent(row.group.id)}`;
    case 'community':
      return `community=${encodeURIComponent(row.group.id)}`;
    case 'category':
      return `category=${encodeURIComponent(row.group.id)}`;
    case 'department':
      return null;
  }
}
