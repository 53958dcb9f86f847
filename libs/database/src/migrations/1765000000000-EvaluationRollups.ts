import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Evaluation rollups: per local day and group (chief, street, community, category) the counts that
 * belong to one instant of a case (reported, registered, closed, dispatched, handled with its sums,
 * the deadline-attributed due / on-time / extended / exempted counts, and the still-open cases by
 * deadline), kept in step with `evaluation_case_fact` by the fact refresh. What else depends on the
 * period's own edges (carried-over due, 超期未处置数, registered-and-closed-by-the-end) is read from
 * the facts that "reach" an edge, through a GiST index on the case's span widened to its deadline.
 * Rules: docs/evaluation.md.
 */
export class EvaluationRollups1765000000000 implements MigrationInterface {
  name = 'EvaluationRollups1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE evaluation_daily (
        group_kind text NOT NULL CHECK (group_kind IN ('chief', 'street', 'community', 'category')),
        day date NOT NULL,
        group_id text NOT NULL,
        reported integer NOT NULL,
        registered integer NOT NULL,
        registered_closed integer NOT NULL,
        closed integer NOT NULL,
        dispatched integer NOT NULL,
        due integer NOT NULL,
        resolved_on_time integer NOT NULL,
        closed_on_time integer NOT NULL,
        extended integer NOT NULL,
        exempted integer NOT NULL,
        handled integer NOT NULL,
        resolutions integer NOT NULL,
        reworks integer NOT NULL,
        handling_hours numeric NOT NULL,
        open_due integer NOT NULL,
        open_extended integer NOT NULL,
        open_exempted integer NOT NULL,
        PRIMARY KEY (group_kind, day, group_id)
      )`);
    // The still-open cases by their deadline's day: summed over every day before an instant.
    await q.query(`CREATE INDEX evaluation_daily_open_idx ON evaluation_daily (group_kind, day) WHERE open_due <> 0 OR open_exempted <> 0`);
    // The UTC offset (minutes) the days were cut at; NULL: the rollups are (re)built from the facts by
    // the next refresh, as after this migration on a database that already has facts.
    await q.query(`ALTER TABLE evaluation_watermark ADD COLUMN rollup_offset_minutes integer`);
    // The span of a case's events widened to its deadline: a case whose counts in a period are not the
    // sum of its days reaches the period's start or end.
    await q.query(`
      CREATE FUNCTION evaluation_fact_reach(span tstzrange, deadline_at timestamptz) RETURNS tstzrange
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT tstzrange(least(lower(span), deadline_at), greatest(upper(span), deadline_at), '[]')
      $$`);
    // Still-open cases (span to infinity) are in the rollups' open_* columns instead, unless their
    // deadline is before their first event.
    await q.query(`
      CREATE INDEX evaluation_case_fact_reach_gist ON evaluation_case_fact USING gist (evaluation_fact_reach(span, deadline_at))
       WHERE NOT merged AND (upper(span) <> 'infinity'::timestamptz OR deadline_at < lower(span))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX evaluation_case_fact_reach_gist`);
    await q.query(`DROP FUNCTION evaluation_fact_reach(tstzrange, timestamptz)`);
    await q.query(`ALTER TABLE evaluation_watermark DROP COLUMN rollup_offset_minutes`);
    await q.query(`DROP TABLE evaluation_daily`);
  }
}
