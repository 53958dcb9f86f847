import { WRONG_DISPATCH_TYPES } from '@wangge/domain';
import { CASE_DISPATCH_LOG_SQL, CASE_HEADER_SQL } from '@wangge/workflow';
import type { EvaluationScope } from './evaluation.types';

/**
 * 准确派遣率 (accurate-dispatch rate) per dispatcher (issue 22, item 4): of the dispatches a person
 * (an operator dispatching by hand) or the dispatcher's own routing made in the period, how many
 * were not returned as a wrong dispatch. A return of type wrong_place, wrong_category, not_ours or
 * needs_department counts against whoever made the dispatch it undoes (错误派遣), never against the
 * chief who returned it (the chiefs' rows count the case for the chief it is finally assigned to).
 * A duplicate or other return is no wrong dispatch. Not part of the chiefs' composite score, so the
 * formula has no new version. Rules: docs/evaluation.md.
 */
export interface DispatchAccuracyRow {
  /** The dispatcher: a user id, or `system` for the dispatcher's automatic routing. */
  dispatcher: { id: string; name: string; role: string };
  /** Dispatches made in the period. */
  dispatches: number;
  /** Of these: returned (回退) since, of any type. */
  returned: number;
  /** Of these: returned as a wrong dispatch (错误派遣). */
  wrongDispatches: number;
  /** 准确派遣率 = (dispatches − wrongDispatches) / dispatches; null without dispatches. */
  accurateDispatchRate: number | null;
  /** Wrong dispatches by return type. */
  byType: Record<string, number>;
}

export interface DispatchAccuracyReport {
  period: { from: Date; to: Date };
  scope: EvaluationScope;
  generatedAt: Date;
  /** Lowest rate first (who needs attention), then most dispatches, then id. */
  rows: DispatchAccuracyRow[];
  totals: Omit<DispatchAccuracyRow, 'dispatcher'>;
}

/** $1 from, $2 to, $3 the wrong-dispatch types, $4 a street code or null. */
export const DISPATCH_ACCURACY_SQL = `
  SELECT coalesce(d.dispatcher_id::text, 'system') AS id,
         (array_agg(d.dispatcher_name ORDER BY d.seq DESC))[1] AS name,
         (array_agg(d.dispatcher_role ORDER BY d.seq DESC))[1] AS role,
         count(*)::int AS dispatches,
         count(*) FILTER (WHERE d.return_type IS NOT NULL)::int AS returned,
         count(*) FILTER (WHERE d.return_type = ANY($3::text[]))::int AS wrong,
         array_remove(array_agg(d.return_type), NULL) AS return_types
    FROM ${CASE_DISPATCH_LOG_SQL} d
    JOIN ${CASE_HEADER_SQL} h ON h.case_id = d.case_id
   WHERE d.at >= $1 AND d.at < $2 AND ($4::text IS NULL OR h.street_code = $4)
   GROUP BY 1`;

export interface DispatchCountsRow {
  id: string;
  name: string | null;
  role: string;
  dispatches: number;
  returned: number;
  wrong: number;
  return_types: string[];
}

/** The rows of a report from the counted rows (pure). */
export function dispatchAccuracyRows(counted: DispatchCountsRow[]): DispatchAccuracyRow[] {
  return counted
    .map((r) => ({
      dispatcher: { id: r.id, name: r.name ?? r.id, role: r.role },
      dispatches: r.dispatches,
      returned: r.returned,
      wrongDispatches: r.wrong,
      accurateDispatchRate: rate(r.dispatches, r.wrong),
      byType: wrongByType(r.return_types),
    }))
    .sort((a, b) => (a.accurateDispatchRate ?? 1) - (b.accurateDispatchRate ?? 1) || b.dispatches - a.dispatches || a.dispatcher.id.localeCompare(b.dispatcher.id));
}

export function dispatchTotals(rows: DispatchAccuracyRow[]): DispatchAccuracyReport['totals'] {
  const dispatches = rows.reduce((n, r) => n + r.dispatches, 0);
  const wrong = rows.reduce((n, r) => n + r.wrongDispatches, 0);
  const byType: Record<string, number> = {};
  for (const r of rows) for (const [t, n] of Object.entries(r.byType)) byType[t] = (byType[t] ?? 0) + n;
  return { dispatches, returned: rows.reduce((n, r) => n + r.returned, 0), wrongDispatches: wrong, accurateDispatchRate: rate(dispatches, wrong), byType };
}

function rate(dispatches: number, wrong: number): number | null {
  return dispatches === 0 ? null : (dispatches - wrong) / dispatches;
}

function wrongByType(types: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of types) if ((WRONG_DISPATCH_TYPES as readonly string[]).includes(t)) out[t] = (out[t] ?? 0) + 1;
  return out;
}
