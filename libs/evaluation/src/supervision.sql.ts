import { CASE_EVENT_LOG_SQL } from '@wangge/workflow';
import { GROUP_COLUMN } from './evaluation.sql';
import type { EvaluationGroupKind } from './evaluation.types';

/**
 * 督办件 per group, counted apart from the other counts: the cases first supervised (`case.supervised`)
 * in the period [$1, $2), and of them those handled (final resolution, evaluation_case_fact) by the
 * supervision's due time (its latest `dueAt`), or by the case's deadline when the leader named none.
 * `extra`: scope conditions on the facts (street code, chief id), with their parameters after $2.
 */
export function supervisionSql(groupBy: EvaluationGroupKind, extra: string[]): string {
  const where = ['NOT f.merged', 's.first_at >= $1', 's.first_at < $2', ...(groupBy === 'chief' ? ['f.chief_id IS NOT NULL'] : []), ...extra.map((c) => `f.${c}`)];
  return `
    WITH s AS (
      SELECT e.case_id, min(e.at) AS first_at, (array_agg(e.evidence ->> 'dueAt' ORDER BY e.seq DESC))[1] AS due_text
        FROM ${CASE_EVENT_LOG_SQL} e
       WHERE e.type = 'case.supervised'
       GROUP BY e.case_id
    )
    SELECT f.${GROUP_COLUMN[groupBy]} AS group_id,
           count(*)::int AS supervised,
           count(*) FILTER (WHERE f.handled_at IS NOT NULL
                              AND f.handled_at <= coalesce(s.due_text::timestamptz, f.deadline_at))::int AS handled_on_time
      FROM s JOIN evaluation_case_fact f ON f.case_id = s.case_id
     WHERE ${where.join(' AND ')}
     GROUP BY 1`;
}
