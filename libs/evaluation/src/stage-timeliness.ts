import { CASE_STAGE_LOG_SQL, STAGE_POSTS, type StagePost } from '@wangge/workflow';
import type { EvaluationScope } from './evaluation.types';

/**
 * Stage timeliness (环节按时率) of the command centre's posts (issue 22, item 2): of the stages
 * (受理/立案, 派遣, 核查) started in the period, how many ended within their limit. Automatic
 * registration and routing count as on time; a stage past its limit, ended or not, counts against
 * its post (and, grouped by person, against the check task's warden or whoever ended it). Not part
 * of the chiefs' composite score, so the formula has no new version. Rules: docs/evaluation.md.
 */
export const STAGE_GROUP_KINDS = ['post', 'person'] as const;
export type StageGroupKind = (typeof STAGE_GROUP_KINDS)[number];

export function isStageGroupKind(value: unknown): value is StageGroupKind {
  return typeof value === 'string' && (STAGE_GROUP_KINDS as readonly string[]).includes(value);
}

export interface StageCounts {
  /** Stages started in the period. */
  stages: number;
  /** Ended within the limit (or by the dispatcher itself). */
  onTime: number;
  /** Past the limit: marked overdue, or ended late. */
  overdue: number;
  /** Still open and not yet due. */
  open: number;
  /** Missed stages told to the leader on duty (值班长): once each. */
  escalated: number;
  /** onTime / (onTime + overdue); null when none is decided. */
  onTimeRate: number | null;
}

export interface StageRow extends StageCounts {
  post: StagePost;
  /** groupBy=person: the person (null id: the dispatcher's own steps, or nobody yet). */
  person?: { id: string | null; name: string | null };
}

export interface StageTimelinessReport {
  groupBy: StageGroupKind;
  period: { from: Date; to: Date };
  scope: EvaluationScope;
  generatedAt: Date;
  /** Lowest on-time rate first, then most stages. */
  rows: StageRow[];
  totals: StageCounts;
}

/** $1 from, $2 to, $3 a street code or null, $4 group by person. */
export const STAGE_TIMELINESS_SQL = `
  SELECT s.post, CASE WHEN $4::boolean THEN s.person_id::text END AS person_id,
         CASE WHEN $4::boolean THEN (array_agg(s.person_name ORDER BY s.started_at DESC))[1] END AS person_name,
         count(*)::int AS stages,
         count(*) FILTER (WHERE s.ended_at IS NOT NULL AND s.overdue_at IS NULL AND (s.automatic OR s.ended_at <= s.due_at))::int AS on_time,
         count(*) FILTER (WHERE s.overdue_at IS NOT NULL OR (s.ended_at IS NOT NULL AND NOT s.automatic AND s.ended_at > s.due_at))::int AS overdue,
         count(*) FILTER (WHERE s.overdue_at IS NOT NULL)::int AS escalated
    FROM ${CASE_STAGE_LOG_SQL} s
   WHERE s.started_at >= $1 AND s.started_at < $2 AND ($3::text IS NULL OR s.street_code = $3)
   GROUP BY 1, 2`;

export interface StageCountsRow {
  post: StagePost;
  person_id: string | null;
  person_name: string | null;
  stages: number;
  on_time: number;
  overdue: number;
  escalated: number;
}

/** The report's rows from the counted rows (pure): every post has a row when grouped by post. */
export function stageRows(counted: readonly StageCountsRow[], groupBy: StageGroupKind): StageRow[] {
  const rows: StageRow[] = counted.map((r) => ({
    post: r.post,
    ...(groupBy === 'person' ? { person: { id: r.person_id, name: r.person_name } } : {}),
    ...countsOf(r.stages, r.on_time, r.overdue, r.escalated),
  }));
  if (groupBy === 'post') {
    for (const post of STAGE_POSTS) if (!rows.some((r) => r.post === post)) rows.push({ post, ...countsOf(0, 0, 0, 0) });
  }
  return rows.sort(
    (a, b) =>
      (a.onTimeRate ?? 2) - (b.onTimeRate ?? 2) ||
      b.stages - a.stages ||
      STAGE_POSTS.indexOf(a.post) - STAGE_POSTS.indexOf(b.post) ||
      (a.person?.id ?? '').localeCompare(b.person?.id ?? ''),
  );
}

export function stageTotals(rows: readonly StageRow[]): StageCounts {
  const sum = (k: 'stages' | 'onTime' | 'overdue' | 'escalated') => rows.reduce((n, r) => n + r[k], 0);
  return countsOf(sum('stages'), sum('onTime'), sum('overdue'), sum('escalated'));
}

function countsOf(stages: number, onTime: number, overdue: number, escalated: number): StageCounts {
  const decided = onTime + overdue;
  return { stages, onTime, overdue, open: stages - decided, escalated, onTimeRate: decided === 0 ? null : onTime / decided };
}
