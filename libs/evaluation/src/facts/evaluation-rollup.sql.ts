import { CASE_EVENT_LOG_SQL } from '@wangge/workflow';

/**
 * Daily rollups of the evaluation facts (`evaluation_daily`): per local day and group, the counts a
 * case adds on the day of one of its instants. A case adds
 * - on its reported day: reported;
 * - on its registered day: registered, and registered_closed when it has a closed_at at all (the
 *   "closed before the period's end" part is settled at query time, see evaluation.sql.ts);
 * - on its closed day: closed; on its dispatched day: dispatched;
 * - on its handled day: handled, resolutions, reworks, handling hours;
 * - on its deadline day, when not ended (cancelled) by the deadline: due, resolved_on_time,
 *   closed_on_time, extended when not exempt; exempted when exempt.
 * Merged duplicates add nothing; a case without a chief adds nothing to chief rows; a group-day
 * whose counts are all zero has no row.
 */

/** The rollup's count columns, in table order. */
export const ROLLUP_COLUMNS = [
  'reported', 'registered', 'registered_closed', 'closed', 'dispatched', 'due', 'resolved_on_time', 'closed_on_time',
  'extended', 'exempted', 'handled', 'resolutions', 'reworks', 'handling_hours', 'open_due', 'open_extended', 'open_exempted',
] as const;

/**
 * A fact counted as still open in the rollups: no handling, close or end yet (its span runs to
 * infinity) and a deadline not before its first event. Such a case is due in a period whose start is
 * after its deadline (carried over) and open overdue at any end after its deadline: sums of open_* over
 * the days before the instant. The others that reach a period's edge are read from the facts.
 */
export const OPEN_ROLLED = (f: string) => `(upper(${f}span) = 'infinity'::timestamptz AND ${f}deadline_at >= lower(${f}span))`;
/** The complement of {@link OPEN_ROLLED}, as the reach index's predicate spells it. */
export const NOT_OPEN_ROLLED = (f: string) => `(upper(${f}span) <> 'infinity'::timestamptz OR ${f}deadline_at < lower(${f}span))`;

const day = (column: string, offset: string) => `((f.${column} AT TIME ZONE 'UTC') + make_interval(mins => ${offset}))::date`;
const NOT_ENDED_BY_DEADLINE = `(f.ended_at IS NULL OR f.ended_at > f.deadline_at)`;
const bit = (condition: string) => `(${condition})::int`;
type RollupColumn = (typeof ROLLUP_COLUMNS)[number];
/** One VALUES row: the day, then every column (0 unless given). */
const row = (dayExpr: string, values: Partial<Record<RollupColumn, string>>) =>
  `(${[dayExpr, ...ROLLUP_COLUMNS.map((c) => values[c] ?? (c === 'handling_hours' ? '0::numeric' : '0'))].join(', ')})`;

/**
 * The contributions of the facts chosen by `where` (a condition on `f`, an `evaluation_case_fact`),
 * multiplied by `sign`, as rows (group_kind, day, group_id, ...ROLLUP_COLUMNS). `offset` is the SQL
 * of the UTC offset in minutes that cuts days.
 */
export function contributionsSql(where: string, sign: 1 | -1, offset: string): string {
  const sums = ROLLUP_COLUMNS.map((c) => `${sign === 1 ? '' : '-'}sum(u.${c}) AS ${c}`).join(', ');
  const due = `NOT f.exempt AND ${NOT_ENDED_BY_DEADLINE}`;
  const rows = [
    row(day('reported_at', offset), { reported: '1' }),
    row(day('registered_at', offset), { registered: '1', registered_closed: bit('f.closed_at IS NOT NULL') }),
    row(day('closed_at', offset), { closed: '1' }),
    row(day('dispatched_at', offset), { dispatched: '1' }),
    row(day('deadline_at', offset), {
      due: bit(due),
      resolved_on_time: bit(`${due} AND coalesce(f.handled_at <= f.deadline_at, false)`),
      closed_on_time: bit(`${due} AND coalesce(f.closed_at <= f.deadline_at, false)`),
      extended: bit(`${due} AND f.extensions > 0`),
      exempted: bit(`f.exempt AND ${NOT_ENDED_BY_DEADLINE}`),
    }),
    row(day('handled_at', offset), { handled: '1', resolutions: 'f.resolutions', reworks: 'f.reworks', handling_hours: 'coalesce(f.handling_hours, 0)::numeric' }),
    row(`CASE WHEN ${OPEN_ROLLED('f.')} THEN ${day('deadline_at', offset)} END`, {
      open_due: bit('NOT f.exempt'),
      open_extended: bit('NOT f.exempt AND f.extensions > 0'),
      open_exempted: bit('f.exempt'),
    }),
  ];
  return `
    SELECT CASE WHEN GROUPING(u.chief_id) = 0 THEN 'chief' WHEN GROUPING(u.street_code) = 0 THEN 'street'
                WHEN GROUPING(u.community_code) = 0 THEN 'community' WHEN GROUPING(u.department_code) = 0 THEN 'department' ELSE 'category' END AS group_kind,
           u.day,
           coalesce(u.chief_id::text, u.street_code, u.community_code, u.department_code, u.category_code) AS group_id,
           ${sums}
      FROM (
        SELECT f.chief_id, f.street_code, f.community_code, f.category_code, f.department_code, x.*
          FROM evaluation_case_fact f
         CROSS JOIN LATERAL (VALUES ${rows.join(',\n                                    ')}) AS x(day, ${ROLLUP_COLUMNS.join(', ')})
         WHERE NOT f.merged AND x.day IS NOT NULL AND (${where})
      ) u
     GROUP BY GROUPING SETS ((u.day, u.chief_id), (u.day, u.street_code), (u.day, u.community_code), (u.day, u.category_code), (u.day, u.department_code))
    HAVING (GROUPING(u.chief_id) = 1 OR u.chief_id IS NOT NULL) AND (GROUPING(u.department_code) = 1 OR u.department_code IS NOT NULL) AND (${ROLLUP_COLUMNS.map((c) => `sum(u.${c}) <> 0`).join(' OR ')})`;
}

/** The cases with events with seq in ($1, $2]: the ones a fact refresh rebuilds. */
export const TOUCHED_CASES = `f.case_id IN (SELECT case_id FROM ${CASE_EVENT_LOG_SQL} e WHERE seq > $1 AND seq <= $2)`;

/** Scratch table of one refresh: the rollup changes (old facts subtracted, new ones added). */
export const CREATE_DELTA_SQL = `CREATE TEMP TABLE evaluation_daily_delta (LIKE evaluation_daily) ON COMMIT DROP`;

/** Adds the contributions of the touched cases' facts ($1, $2: the seq range; $3 the offset) to the delta, with `sign`. */
export const deltaSql = (sign: 1 | -1) => `INSERT INTO evaluation_daily_delta ${contributionsSql(TOUCHED_CASES, sign, '$3')}`;

const NONZERO = ROLLUP_COLUMNS.map((c) => `sum(${c}) <> 0`).join(' OR ');
const ALL_ZERO = (t: string) => ROLLUP_COLUMNS.map((c) => `${t}.${c} = 0`).join(' AND ');

/** Applies the net delta to the rollups, then drops the rows it left all zero. */
export const APPLY_DELTA_SQL = [
  `INSERT INTO evaluation_daily AS t (group_kind, day, group_id, ${ROLLUP_COLUMNS.join(', ')})
   SELECT group_kind, day, group_id, ${ROLLUP_COLUMNS.map((c) => `sum(${c})`).join(', ')}
     FROM evaluation_daily_delta GROUP BY group_kind, day, group_id HAVING ${NONZERO}
   ON CONFLICT (group_kind, day, group_id) DO UPDATE SET ${ROLLUP_COLUMNS.map((c) => `${c} = t.${c} + excluded.${c}`).join(', ')}`,
  `DELETE FROM evaluation_daily t USING (SELECT DISTINCT group_kind, day, group_id FROM evaluation_daily_delta) k
    WHERE t.group_kind = k.group_kind AND t.day = k.day AND t.group_id = k.group_id AND ${ALL_ZERO('t')}`,
];

/** Rebuilds every rollup from the facts ($1: the offset). */
export const REBUILD_ROLLUPS_SQL = [
  `DELETE FROM evaluation_daily`,
  `INSERT INTO evaluation_daily (group_kind, day, group_id, ${ROLLUP_COLUMNS.join(', ')}) ${contributionsSql('true', 1, '$1')}`,
];
