/**
 * The day-by-day counts of a period from the evaluation facts (one row per case). $1 from, $2 to
 * (instants), $3 the UTC offset in minutes that cuts the days, $4 now (a deadline still to come is not
 * overdue yet), then the optional filters the caller
 * appends as `extra` conditions. Each count is dated by one instant of the case:
 * reported, registered and closed by their events; overdue by the deadline in force that passed with
 * the case not finally resolved (an exempting appeal or a case ended by its deadline does not count);
 * handled (with the handling hours) by the final resolution.
 */
export function trendsSql(extra: string[]): string {
  const where = ['NOT merged', `(span && tstzrange($1, $2, '[)') OR (deadline_at >= $1 AND deadline_at < $2))`, ...extra];
  return `
    WITH f AS (SELECT * FROM evaluation_case_fact WHERE ${where.join(' AND ')}),
    e AS (
      SELECT 'reported' AS kind, reported_at AS at, NULL::float8 AS hours FROM f
      UNION ALL SELECT 'registered', registered_at, NULL FROM f
      UNION ALL SELECT 'closed', closed_at, NULL FROM f
      UNION ALL SELECT 'overdue', deadline_at, NULL FROM f
        WHERE NOT exempt AND deadline_at IS NOT NULL AND deadline_at <= $4 AND (handled_at IS NULL OR handled_at > deadline_at)
          AND (ended_at IS NULL OR ended_at > deadline_at)
      UNION ALL SELECT 'handled', handled_at, handling_hours FROM f
    )
    SELECT to_char((at AT TIME ZONE 'UTC') + make_interval(mins => $3::int), 'YYYY-MM-DD') AS day, kind,
           count(*)::int AS n, coalesce(sum(hours), 0)::float8 AS hours
      FROM e
     WHERE at >= $1 AND at < $2
     GROUP BY 1, 2`;
}
