import type { EvaluationGroupKind } from './evaluation.types';
import { NOT_OPEN_ROLLED } from './facts/evaluation-rollup.sql';

/** The fact column each grouping reads. */
export const GROUP_COLUMN: Record<EvaluationGroupKind, string> = {
  chief: 'chief_id::text',
  street: 'street_code',
  community: 'community_code',
  category: 'category_code',
  department: 'department_code',
};

/** The groupings whose rows are the handlers of cases (a case without one adds nothing there). */
export const HANDLER_FILTER: Partial<Record<EvaluationGroupKind, string>> = { chief: 'chief_id IS NOT NULL', department: 'department_code IS NOT NULL' };

/**
 * Due in the period [$1, $2): the deadline in force falls in it, or fell before it while the case was
 * still open (unhandled, not closed or ended) at its start; a case ended (cancelled) by its deadline is
 * never due.
 */
const DUE = `deadline_at IS NOT NULL
  AND ((deadline_at >= $1 AND deadline_at < $2) OR (deadline_at < $1 AND open_until >= $1))
  AND (ended_at IS NULL OR ended_at > deadline_at)`;
const IN = (column: string) => `${column} >= $1 AND ${column} < $2`;

/**
 * The counts per group over the facts touching the period. $1 from, $2 to, then optional filters
 * (street code, chief id) appended by the caller as `extra` conditions.
 */
export function evaluationSql(groupBy: EvaluationGroupKind, extra: string[]): string {
  const where = ['NOT merged', `span && tstzrange($1, $2, '[)')`, ...(HANDLER_FILTER[groupBy] ? [HANDLER_FILTER[groupBy]] : []), ...extra];
  return `
    SELECT ${GROUP_COLUMN[groupBy]} AS group_id,
           count(*) FILTER (WHERE ${IN('reported_at')})::int AS reported,
           count(*) FILTER (WHERE ${IN('registered_at')})::int AS registered,
           count(*) FILTER (WHERE ${IN('registered_at')} AND closed_at < $2)::int AS registered_closed,
           count(*) FILTER (WHERE ${IN('closed_at')})::int AS closed,
           count(*) FILTER (WHERE ${IN('dispatched_at')})::int AS dispatched,
           count(*) FILTER (WHERE NOT exempt AND ${DUE})::int AS due,
           count(*) FILTER (WHERE NOT exempt AND ${DUE} AND handled_at <= deadline_at)::int AS resolved_on_time,
           count(*) FILTER (WHERE NOT exempt AND ${DUE} AND closed_at <= deadline_at)::int AS closed_on_time,
           count(*) FILTER (WHERE NOT exempt AND ${DUE} AND extensions > 0)::int AS extended,
           count(*) FILTER (WHERE NOT exempt AND deadline_at < $2 AND open_until >= $2
                              AND (ended_at IS NULL OR ended_at > deadline_at))::int AS overdue_open,
           count(*) FILTER (WHERE exempt AND ${DUE})::int AS exempted,
           count(*) FILTER (WHERE ${IN('handled_at')})::int AS handled,
           coalesce(sum(resolutions) FILTER (WHERE ${IN('handled_at')}), 0)::int AS resolutions,
           coalesce(sum(reworks) FILTER (WHERE ${IN('handled_at')}), 0)::int AS reworks,
           coalesce(sum(handling_hours) FILTER (WHERE ${IN('handled_at')}), 0)::float8 AS handling_hours
      FROM evaluation_case_fact
     WHERE ${where.join(' AND ')}
     GROUP BY 1`;
}

const SPAN = `span && tstzrange($1, $2, '[)')`;
const NOT_ENDED_BY_DEADLINE = `(ended_at IS NULL OR ended_at > deadline_at)`;
/** What the daily rollups count on the deadline's day, for a deadline in the period. */
const DUE_BY_DEADLINE = `deadline_at >= $1 AND deadline_at < $2 AND ${NOT_ENDED_BY_DEADLINE}`;

/**
 * The same counts as {@link evaluationSql} (unscoped) for a period whose both ends are local midnights
 * at the rollups' offset: $1 from, $2 to, $3 the group kind, $4 the first day, $5 the day after the last.
 *
 * The rollups hold what a case adds on the day of one of its instants. A case whose counts in the
 * period are not that sum reaches the period's start or end with `evaluation_fact_reach` (its event
 * span widened to its deadline; GiST-indexed): a deadline carried over open into the period, one
 * still open at its end (超期未处置数), registered in the period and closed after it, or a deadline in
 * the period outside the span of the case's events (not counted by evaluationSql's span test). For
 * those cases only, the exact terms of evaluationSql are computed and the rollups' terms taken back.
 * Cases still open now are not read there: their carried-over due and open overdue counts are the
 * rollups' open_* sums over the days before the period's start and end.
 */
export function rollupEvaluationSql(groupBy: EvaluationGroupKind): string {
  const sum = (c: string) => `sum(${c})::int AS ${c}`;
  const corrected = ['registered_closed', 'due', 'resolved_on_time', 'closed_on_time', 'extended', 'exempted'];
  const plain = ['reported', 'registered', 'closed', 'dispatched', 'handled', 'resolutions', 'reworks'];
  return `
    WITH roll AS (
      SELECT group_id, ${[...plain, ...corrected].map(sum).join(', ')}, sum(handling_hours)::float8 AS handling_hours
        FROM evaluation_daily
       WHERE group_kind = $3 AND day >= $4::date AND day < $5::date
       GROUP BY group_id
    ), open AS (
      SELECT group_id,
             coalesce(sum(open_due) FILTER (WHERE day < $4::date), 0)::int AS due,
             coalesce(sum(open_extended) FILTER (WHERE day < $4::date), 0)::int AS extended,
             coalesce(sum(open_exempted) FILTER (WHERE day < $4::date), 0)::int AS exempted,
             sum(open_due)::int AS overdue_open
        FROM evaluation_daily
       WHERE group_kind = $3 AND day < $5::date AND (open_due <> 0 OR open_exempted <> 0)
       GROUP BY group_id
    ), edge AS (
      SELECT ${GROUP_COLUMN[groupBy]} AS group_id,
             count(*) FILTER (WHERE ${IN('registered_at')} AND closed_at < $2 AND ${SPAN})
               - count(*) FILTER (WHERE ${IN('registered_at')} AND closed_at IS NOT NULL) AS registered_closed,
             count(*) FILTER (WHERE NOT exempt AND ${DUE} AND ${SPAN})
               - count(*) FILTER (WHERE NOT exempt AND ${DUE_BY_DEADLINE}) AS due,
             count(*) FILTER (WHERE NOT exempt AND ${DUE} AND handled_at <= deadline_at AND ${SPAN})
               - count(*) FILTER (WHERE NOT exempt AND ${DUE_BY_DEADLINE} AND handled_at <= deadline_at) AS resolved_on_time,
             count(*) FILTER (WHERE NOT exempt AND ${DUE} AND closed_at <= deadline_at AND ${SPAN})
               - count(*) FILTER (WHERE NOT exempt AND ${DUE_BY_DEADLINE} AND closed_at <= deadline_at) AS closed_on_time,
             count(*) FILTER (WHERE NOT exempt AND ${DUE} AND extensions > 0 AND ${SPAN})
               - count(*) FILTER (WHERE NOT exempt AND ${DUE_BY_DEADLINE} AND extensions > 0) AS extended,
             count(*) FILTER (WHERE exempt AND ${DUE} AND ${SPAN})
               - count(*) FILTER (WHERE exempt AND ${DUE_BY_DEADLINE}) AS exempted,
             count(*) FILTER (WHERE NOT exempt AND deadline_at < $2 AND open_until >= $2
                                AND ${NOT_ENDED_BY_DEADLINE} AND ${SPAN}) AS overdue_open
        FROM evaluation_case_fact
       WHERE NOT merged${HANDLER_FILTER[groupBy] ? ` AND ${HANDLER_FILTER[groupBy]}` : ''}
         AND ${NOT_OPEN_ROLLED('')}
         AND (evaluation_fact_reach(span, deadline_at) @> $1::timestamptz OR evaluation_fact_reach(span, deadline_at) @> $2::timestamptz)
       GROUP BY 1
    ), ids AS (
      SELECT group_id FROM roll UNION SELECT group_id FROM open UNION SELECT group_id FROM edge
    )
    SELECT i.group_id,
           ${plain.map((c) => `coalesce(r.${c}, 0) AS ${c}`).join(', ')},
           ${corrected.map((c) => `(coalesce(r.${c}, 0) + coalesce(e.${c}, 0)${['due', 'extended', 'exempted'].includes(c) ? ` + coalesce(o.${c}, 0)` : ''})::int AS ${c}`).join(', ')},
           (coalesce(e.overdue_open, 0) + coalesce(o.overdue_open, 0))::int AS overdue_open,
           coalesce(r.handling_hours, 0)::float8 AS handling_hours
      FROM ids i
      LEFT JOIN roll r ON r.group_id = i.group_id
      LEFT JOIN open o ON o.group_id = i.group_id
      LEFT JOIN edge e ON e.group_id = i.group_id`;
}

/** Display names of the groups ($1 = the group ids as text). */
export const GROUP_NAMES_SQL: Record<EvaluationGroupKind, string> = {
  chief: `SELECT c.id::text AS id, u.name, c.level FROM road_chief c JOIN app_user u ON u.id = c.user_id WHERE c.id::text = ANY($1)`,
  street: `SELECT code AS id, name, NULL::int AS level FROM street WHERE code = ANY($1)`,
  community: `SELECT code AS id, name, NULL::int AS level FROM community WHERE code = ANY($1)`,
  category: `SELECT code AS id, name, NULL::int AS level FROM category WHERE code = ANY($1)`,
  department: `SELECT code AS id, name, NULL::int AS level FROM department WHERE code = ANY($1)`,
};
