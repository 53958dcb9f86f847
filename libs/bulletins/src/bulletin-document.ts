import type { ContributedSection } from './bulletin-contributor';
import type { EvaluationReport, EvaluationRow } from '@wangge/evaluation';
import type { RecurrenceHotspot } from '@wangge/workflow';
import { bulletinTitle, type BulletinPeriod } from './bulletin-period';
import { OVERDUE_LIST_LIMIT, type BulletinDocument, type OverdueCase, type RankedGroup, type RecurrenceHotspotEntry } from './bulletin.types';
import { withRankChanges } from './rank-change';

export interface BulletinInputs {
  id: string;
  period: BulletinPeriod;
  previous: BulletinPeriod;
  revision: number;
  timeZone: string;
  generatedAt: Date;
  trigger: 'schedule' | 'manual';
  generatedBy: { id: string; name: string } | null;
  /** The period's reports by chief and by street, and the previous period's (same formula version). */
  chiefs: EvaluationReport;
  streets: EvaluationReport;
  previousChiefs: EvaluationReport;
  previousStreets: EvaluationReport;
  /** By department (domain.md 9), this period and the previous one, the same formula version. */
  departments: EvaluationReport;
  previousDepartments: EvaluationReport;
  overdue: OverdueCase[];
  /** 挂账: cases suspended at the period end (never on the overdue list). */
  suspendedCount?: number;
  hotspots: RecurrenceHotspot[];
  hotspotSettings: { radiusM: number; windowDays: number };
  contributed?: ContributedSection[];
}

/** Puts a bulletin together from what was computed for it (pure: the same inputs give the same document). */
export function buildBulletinDocument(i: BulletinInputs): BulletinDocument {
  const formula = i.streets.formula;
  return {
    schema: 1,
    id: i.id,
    kind: i.period.kind,
    period: i.period.key,
    revision: i.revision,
    title: bulletinTitle(i.period, i.revision),
    from: i.period.from.toISOString(),
    to: i.period.to.toISOString(),
    firstDay: i.period.firstDay,
    lastDay: i.period.lastDay,
    timeZone: i.timeZone,
    generatedAt: i.generatedAt.toISOString(),
    trigger: i.trigger,
    generatedBy: i.generatedBy,
    formula: {
      version: formula.version,
      weights: { ...formula.weights },
      effectiveFrom: new Date(formula.effectiveFrom).toISOString(),
      note: formula.note,
    },
    totals: { counts: { ...i.streets.totals.counts }, metrics: { ...i.streets.totals.metrics }, supervision: { ...i.streets.totals.supervision }, satisfaction: { ...i.streets.totals.satisfaction }, score: i.streets.totals.score },
    chiefs: ranked(i.chiefs.rows, i.previousChiefs.rows),
    streets: ranked(i.streets.rows, i.previousStreets.rows),
    departments: ranked(i.departments.rows, i.previousDepartments.rows),
    previousPeriod: i.previous.key,
    overdue: i.overdue.slice(0, OVERDUE_LIST_LIMIT),
    overdueCount: i.overdue.length,
    suspendedCount: i.suspendedCount ?? 0,
    hotspots: i.hotspots.map(toEntry),
    hotspotSettings: i.hotspotSettings,
    contributed: i.contributed ?? [],
  };
}

function ranked(rows: readonly EvaluationRow[], previous: readonly EvaluationRow[]): RankedGroup[] {
  const flat = (r: EvaluationRow) => ({
    id: r.group.id,
    name: r.group.name,
    level: r.group.level,
    rank: r.rank,
    score: r.score,
    counts: { ...r.counts },
    metrics: { ...r.metrics },
  });
  return withRankChanges(rows.map(flat), previous.map((r) => ({ id: r.group.id, rank: r.rank })));
}

function toEntry(h: RecurrenceHotspot): RecurrenceHotspotEntry {
  return {
    id: h.id,
    category: { code: h.category.code, name: h.category.name },
    centre: h.centre,
    caseCount: h.caseCount,
    recurrences: h.recurrences,
    firstReportedAt: h.firstReportedAt,
    lastReportedAt: h.lastReportedAt,
    street: h.street,
    gridCell: h.gridCell,
    cases: h.cases.map((c) => ({ id: c.id, code: c.code, status: c.status, reportedAt: c.reportedAt, closedAt: c.closedAt })),
  };
}
