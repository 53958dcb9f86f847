/**
 * The case tables as other libs' SQL may read them: relations (subqueries) the workflow owns and
 * other libs compose into their own statements where one statement is needed (the evaluation's
 * fact refresh, the appeals list). Each is a plain projection that PostgreSQL pulls up into the
 * outer query, so the plans are those of the tables themselves (indexes on seq, case_id, id).
 * The workflow may change its tables as long as these keep their columns.
 */

/** Every case event: case_id, seq, type, at, evidence, state (the raw facts of a case's history). */
export const CASE_EVENT_LOG_SQL = `(SELECT case_id, seq, type, at, evidence, state FROM case_event)`;

/**
 * Every case by `case_id`: its code, current status, the place and category it was reported in
 * (they never change) and the clock type of its standard (null without one).
 */
export const CASE_HEADER_SQL = `(SELECT c.id AS case_id, c.code, c.status, c.street_code, c.community_code, c.category_code, s.clock_type
    FROM case_file c LEFT JOIN category_standard s ON s.id = c.standard_id)`;
