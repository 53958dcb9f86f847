import { CASE_FEEDBACK_SQL } from '@wangge/workflow';
import { GROUP_COLUMN } from './evaluation.sql';
import type { EvaluationGroupKind } from './evaluation.types';

/**
 * 满意率 per group (a reported figure, not part of the score): the reporters' feedback given in the
 * period [$1, $2) and how much of it was "satisfied", grouped by the case's facts (its chief, street,
 * community, category). `extra`: scope conditions on the facts, with their parameters after $2.
 */
export function satisfactionSql(groupBy: EvaluationGroupKind, extra: string[]): string {
  const where = ['fb.at >= $1', 'fb.at < $2', 'NOT f.merged', ...(groupBy === 'chief' ? ['f.chief_id IS NOT NULL'] : []), ...extra.map((c) => `f.${c}`)];
  return `
    SELECT f.${GROUP_COLUMN[groupBy]} AS group_id,
           count(*)::int AS feedback,
           count(*) FILTER (WHERE fb.satisfied)::int AS satisfied
      FROM ${CASE_FEEDBACK_SQL} fb JOIN evaluation_case_fact f ON f.case_id = fb.case_id
     WHERE ${where.join(' AND ')}
     GROUP BY 1`;
}
