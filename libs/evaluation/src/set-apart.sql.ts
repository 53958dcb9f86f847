import { CASE_EVENT_LOG_SQL } from '@wangge/workflow';
import { GROUP_COLUMN, HANDLER_FILTER } from './evaluation.sql';
import type { EvaluationGroupKind } from './evaluation.types';

/**
 * The cases counted apart from the other counts, per group (not part of the score):
 * - 督办件: the cases first supervised (`case.supervised`) in the period [$1, $2), and of them those
 *   handled (final resolution, evaluation_case_fact) by the supervision's due time (its latest
 *   `dueAt`), or by the case's deadline when the leader named none;
 * - 挂账件: the cases first put on the ledger (`case.suspended`, a leader's approval) in the period.
 *   Their time on the ledger is off their clock already (resume moves the deadline by it).
 * `extra`: scope conditions on the facts (street code, chief id), with their parameters after $2.
 */
export function setApartSql(groupBy: EvaluationGroupKind, extra: string[]): string {
  const supervisedIn = 's.supervised_at >= $1 AND s.supervised_at < $2';
  const suspendedIn = 's.suspended_at >= $1 AND s.suspended_at < $2';
  const where = ['NOT f.merged', `((${supervisedIn}) OR (${suspendedIn}))`, ...(HANDLER_FILTER[groupBy] ? [`f.${HANDLER_FILTER[groupBy]}`] : []), ...extra.map((c) => `f.${c}`)];
  return `
    WITH s AS (
      SELECT e.case_id,
             min(e.at) FILTER (WHERE e.type = 'case.supervised') AS supervised_at,
             (array_agg(e.evidence ->> 'dueAt' ORDER BY e.seq DESC) FILTER (WHERE e.type = 'case.supervised'))[1] AS due_text,
             min(e.at) FILTER (WHERE e.type = 'case.suspended') AS suspended_at
        FROM ${CASE_EVENT_LOG_SQL} e
       WHERE e.type IN ('case.supervised', 'case.suspended')
       GROUP BY e.case_id
    )
    SELECT f.${GROUP_COLUMN[groupBy]} AS group_id,
           count(*) FILTER (WHERE ${supervisedIn})::int AS supervised,
           count(*) FILTER (WHERE ${supervisedIn} AND f.handled_at IS NOT NULL
                              AND f.handled_at <= coalesce(s.due_text::timestamptz, f.deadline_at))::int AS handled_on_time,
           count(*) FILTER (WHERE ${suspendedIn})::int AS suspended
      FROM s JOIN evaluation_case_fact f ON f.case_id = s.case_id
     WHERE ${where.join(' AND ')}
     GROUP BY 1`;
}
