/**
 * The public contract of the evaluation engine (考核). Bulletins (daily summary, weekly bulletin) and
 * the evaluation API both call `EvaluationService.evaluate(query)` and receive an `EvaluationReport`.
 * Exact counting rules: docs/evaluation.md.
 */

/** What the rows of a report are grouped by. */
export const EVALUATION_GROUP_KINDS = ['chief', 'street', 'community', 'category', 'department'] as const;
export type EvaluationGroupKind = (typeof EVALUATION_GROUP_KINDS)[number];

/** Restricts which cases a report counts (the caller's jurisdiction, or a bulletin's focus). */
export interface EvaluationScope {
  /** Only cases in this street (street-level staff). */
  streetCode?: string;
  /** Only cases attributed to this chief (a chief sees their own rows). */
  chiefId?: number;
}

export interface EvaluationQuery {
  /** Period start, inclusive. */
  from: Date;
  /** Period end, exclusive. */
  to: Date;
  groupBy: EvaluationGroupKind;
  scope?: EvaluationScope;
  /** A formula version number; default: the version in force at the period's last instant (latest effective_from <= to - 1 ms). */
  formulaVersion?: number;
}

/** The weights of the composite score (domain.md §5); they need not sum to 100. */
export interface EvaluationWeights {
  /** 按期处置率 on-time handling rate. */
  onTimeHandlingRate: number;
  /** 结案率 closing rate. */
  closingRate: number;
  /** 1 - 返工率 rework rate. */
  reworkRate: number;
  /** 1 - 超期率 overdue rate. */
  overdueRate: number;
  /** 1 - 延期率 extension rate. */
  extensionRate: number;
}

/** One version of the formula (table evaluation_formula). Never changed once stored. */
export interface EvaluationFormula {
  version: number;
  weights: EvaluationWeights;
  /** When the version comes into force (the default for periods ending after it). */
  effectiveFrom: Date;
  note: string | null;
}

export interface EvaluationGroup {
  kind: EvaluationGroupKind;
  /** chief: road_chief id as a string; street/community: the division code; category: the category code. */
  id: string;
  /** Display name (chief's name, street/community name, category name). */
  name: string;
  /** chief: their level (1-3); other kinds: null. */
  level: number | null;
}

/**
 * Raw counts from the case events. Each count is attributed to the period by the time of ONE event
 * (named below); merged duplicates are excluded everywhere. Exact rules: docs/evaluation.md.
 */
export interface EvaluationCounts {
  /** Cases reported (case.reported) in the period. */
  reported: number;
  /** Cases registered (case.registered) in the period. */
  registered: number;
  /** Of `registered`: closed (case.closed) before the period end. */
  registeredClosed: number;
  /** Cases closed (case.closed) in the period. */
  closed: number;
  /** Cases dispatched (their last case.dispatched) in the period. */
  dispatched: number;
  /**
   * Cases due: the deadline in force (last dispatch, moved by extensions) falls in the period, or it fell
   * before the period and the case was still unresolved at the period start (open overdue cases count as
   * due). Cases exempted by an approved appeal are not due.
   */
  due: number;
  /** Of `due`: finally resolved (last case.resolved) at or before the deadline. */
  resolvedOnTime: number;
  /** Of `due`: closed at or before the deadline. */
  closedOnTime: number;
  /** Of `due`: extended at least once (case.extended). */
  extended: number;
  /** 超期未处置数: past the deadline and unresolved, not cancelled/closed, at the period end (exempted excluded). */
  overdueOpen: number;
  /** Cases whose approved appeal exempts them from the timeliness counts (would otherwise be due). */
  exempted: number;
  /** Cases finally resolved (last case.resolved) in the period. */
  handled: number;
  /** Of `handled`: their case.resolved events (all, reworked ones included). */
  resolutions: number;
  /** Of `handled`: their case.reworked events. */
  reworks: number;
  /** Of `handled`: summed handling time (last dispatch → final resolution), hours on each case's clock. */
  handlingHours: number;
}

/** Rates are fractions 0..1, null when their denominator is 0. */
export interface EvaluationMetrics {
  /** 立案率 = registered / reported (null on chief rows: a case has no chief before dispatch). */
  registrationRate: number | null;
  /** 按期处置率 = resolvedOnTime / due. */
  onTimeHandlingRate: number | null;
  /** 结案率 = registeredClosed / registered. */
  closingRate: number | null;
  /** 按期结案率 = closedOnTime / due. */
  onTimeClosingRate: number | null;
  /** 返工率 = reworks / resolutions. */
  reworkRate: number | null;
  /** 超期率 = overdueOpen / due. */
  overdueRate: number | null;
  /** 延期率 = extended / due. */
  extensionRate: number | null;
  /** 超期未处置数 (= counts.overdueOpen). */
  overdueOpenCount: number;
  /** 平均处置时长 = handlingHours / handled, hours on the cases' clocks; null when none handled. */
  meanHandlingHours: number | null;
}

/**
 * 督办件, counted apart (domain.md 9): the cases a leader first supervised in the period, and of them
 * those handled by the supervision's due time (or the case's deadline when none was named).
 */
export interface SupervisionCounts {
  supervised: number;
  handledOnTime: number;
  /** 督办件按期办结率 = handledOnTime / supervised; null when none was supervised. */
  onTimeRate: number | null;
}

/**
 * 满意率, a reported figure (domain.md 9; not part of the score): the reporters' feedback given in the
 * period after a close, and of it the "satisfied" ones.
 */
export interface SatisfactionCounts {
  feedback: number;
  satisfied: number;
  /** 满意率 = satisfied / feedback; null when no feedback was given. */
  rate: number | null;
}

export interface EvaluationRow {
  group: EvaluationGroup;
  counts: EvaluationCounts;
  metrics: EvaluationMetrics;
  /** 督办件 of the group (not part of the score). */
  supervision: SupervisionCounts;
  /** 挂账件: the group's cases put on the ledger (suspended, with a leader's approval) in the period; not part of the score. */
  suspended: number;
  /** 满意率: the reporters' feedback in the period (not part of the score). */
  satisfaction: SatisfactionCounts;
  /** Composite score 0..100 (weighted mean of the available components, see docs/evaluation.md). null when no component is available. */
  score: number | null;
  /**
   * Competition ranking by score, descending: equal scores (rounded to 4 decimals) share a rank and the
   * next rank skips (1, 1, 3). Rows without a score are ranked last, after all scored rows, sharing one rank.
   */
  rank: number;
}

export interface EvaluationReport {
  formula: EvaluationFormula;
  period: { from: Date; to: Date };
  groupBy: EvaluationGroupKind;
  scope: EvaluationScope;
  /** When the report was computed. */
  generatedAt: Date;
  /** Rows ordered by rank, then group id. */
  rows: EvaluationRow[];
  /** The whole scope as one row (group kind `district` conceptually; rank 1). */
  totals: Omit<EvaluationRow, 'group' | 'rank'>;
}

/**
 * What `EvaluationService` (provided and exported by `EvaluationModule`, both from `@wangge/evaluation`)
 * offers to its callers: the API controller and the bulletins.
 */
export interface EvaluationEngine {
  /** Brings the event-derived facts up to date, then computes the report (throws EvaluationError on bad input). */
  evaluate(query: EvaluationQuery): Promise<EvaluationReport>;
  /** A formula version, or the one in force at `at` (default now). */
  formula(version?: number, at?: Date): Promise<EvaluationFormula>;
}
