import type { OverdueCase } from '@wangge/workflow';
import type { EvaluationCounts, EvaluationMetrics, EvaluationWeights, SatisfactionCounts, SupervisionCounts } from '@wangge/evaluation';
import type { ContributedSection } from './bulletin-contributor';
import type { BulletinKind } from './bulletin-period';
import type { RankChange } from './rank-change';

/** The overdue list of a bulletin names at most this many cases (the oldest deadlines); `overdueCount` gives them all. */
export const OVERDUE_LIST_LIMIT = 500;

/**
 * A stored bulletin: a frozen JSON document. Everything a reader or an export needs is in it,
 * including the formula it was computed with, so a later change of formula, of names or of case
 * data never rewrites what was published.
 */
export interface BulletinDocument {
  /** Layout version of this document. */
  schema: 1;
  id: string;
  kind: BulletinKind;
  /** `2026-11-29` or `2026-W48`. */
  period: string;
  /** Revision of the period's bulletin: 1 from the schedule (or the first manual run); each regeneration adds one. */
  revision: number;
  title: { zh: string; en: string };
  /** The period as instants [from, to) and as local dates. */
  from: string;
  to: string;
  firstDay: string;
  lastDay: string;
  timeZone: string;
  generatedAt: string;
  trigger: 'schedule' | 'manual';
  generatedBy: { id: string; name: string } | null;
  /** The evaluation formula used (version and weights). */
  formula: { version: number; weights: EvaluationWeights; effectiveFrom: string; note: string | null };
  /**
   * The whole district; `supervision`: 督办件 and those handled on time; `satisfaction`: 满意率, the
   * reporters' feedback in the period (each absent from bulletins made before it was counted).
   */
  totals: { counts: EvaluationCounts; metrics: EvaluationMetrics; supervision?: SupervisionCounts; satisfaction?: SatisfactionCounts; score: number | null };
  /** Ranking of chiefs and of streets, best first, with the change from the previous period. */
  chiefs: RankedGroup[];
  streets: RankedGroup[];
  /** Ranking of departments (domain.md 9), the same way (absent in documents made before departments were ranked). */
  departments?: RankedGroup[];
  /** The previous period the rank changes compare with. */
  previousPeriod: string;
  /** Cases open and past their deadline at the period end (the same rule as counts.overdueOpen), longest overdue first, at most {@link OVERDUE_LIST_LIMIT}. */
  overdue: OverdueCase[];
  /** How many there are in all (the list may be cut). */
  overdueCount: number;
  /** 挂账: cases suspended at the period end, counted apart (absent in documents made before). */
  suspendedCount?: number;
  /** Places where a problem came back (防反弹), with the settings they were found with. */
  hotspots: RecurrenceHotspotEntry[];
  hotspotSettings: { radiusM: number; windowDays: number };
  /** Sections of the libs above bulletins (campaigns' figures), in the apps' order (absent in documents made before). */
  contributed?: ContributedSection[];
}

export interface RankedGroup extends RankChange {
  /** road_chief id (as text), street code or department code. */
  id: string;
  name: string;
  /** Chiefs: level 1-3; streets and departments: null. */
  level: number | null;
  rank: number;
  score: number | null;
  counts: EvaluationCounts;
  metrics: EvaluationMetrics;
}

/** A case on a bulletin's overdue list: the workflow's read (`OverdueCasesQuery`). */
export type { OverdueCase };

export interface RecurrenceHotspotEntry {
  /** Stable within the document: category code + the first case's code. */
  id: string;
  category: { code: string; name: string };
  centre: { lng: number; lat: number };
  caseCount: number;
  /** Close → report-again pairs inside the radius and window. */
  recurrences: number;
  firstReportedAt: string;
  lastReportedAt: string;
  street: { code: string; name: string };
  gridCell: { code: string };
  cases: { id: string; code: string; status: string; reportedAt: string; closedAt: string | null }[];
}

/** A bulletin in a list (no document). */
export interface BulletinSummary {
  id: string;
  kind: BulletinKind;
  period: string;
  revision: number;
  title: { zh: string; en: string };
  from: string;
  to: string;
  formulaVersion: number;
  generatedAt: string;
  trigger: 'schedule' | 'manual';
  /** Older revisions of the same period kept beside it. */
  revisions: number;
  path: string;
}
