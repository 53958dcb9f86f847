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
 * (they never change) and the clock type of its standard (null without one). A case reported by
 * address only is left out until an operator places it (its `case.placed` event brings it in).
 */
export const CASE_HEADER_SQL = `(SELECT c.id AS case_id, c.code, c.status, c.street_code, c.community_code, c.category_code, s.clock_type
    FROM case_file c LEFT JOIN category_standard s ON s.id = c.standard_id WHERE c.street_code IS NOT NULL)`;

/**
 * Every dispatch (`case.dispatched`, by hand or by the dispatcher) with who made it and, when the
 * next assignment step of the case is a return (回退), that return's type: the return undoes this
 * dispatch (a later dispatch or re-routing replaces it, so a return after one of those undoes that
 * one). Columns: case_id, seq, at, dispatcher_id (null: the dispatcher's own routing),
 * dispatcher_role, dispatcher_name, returned_at, return_type (null when not returned; `other` for
 * returns recorded before typed returns).
 */
export const CASE_DISPATCH_LOG_SQL = `(SELECT d.case_id, d.seq, d.at, d.actor_id AS dispatcher_id, d.actor_role AS dispatcher_role,
           d.actor_name AS dispatcher_name, CASE WHEN nx.type = 'case.returned' THEN nx.at END AS returned_at,
           CASE WHEN nx.type = 'case.returned' THEN coalesce(nx.evidence ->> 'reasonType', 'other') END AS return_type
      FROM case_event d
      LEFT JOIN LATERAL (SELECT n.type, n.at, n.evidence FROM case_event n
                          WHERE n.case_id = d.case_id AND n.seq > d.seq
                            AND n.type IN ('case.dispatched', 'case.returned', 'case.rerouted')
                          ORDER BY n.seq LIMIT 1) nx ON true
     WHERE d.type = 'case.dispatched')`;

/**
 * Every stage of the command centre on a case (stage limits, issue 22 item 2): case_id, stage,
 * post, started_at, due_at, ended_at, automatic, overdue_at, escalated_to, the person it is
 * counted for (`person_id`: the check task's warden, else whoever ended it; null: the dispatcher's
 * routing or nobody yet) with `person_name`, and the case's street_code.
 */
export const CASE_STAGE_LOG_SQL = `(SELECT s.case_id, s.stage, s.post, s.started_at, s.due_at, s.ended_at, s.automatic, s.overdue_at, s.escalated_to,
           coalesce(s.assignee_id, s.ended_by) AS person_id, coalesce(pu.name, s.ended_by_name) AS person_name, c.street_code
      FROM case_stage s
      JOIN case_file c ON c.id = s.case_id
      LEFT JOIN app_user pu ON pu.id = coalesce(s.assignee_id, s.ended_by))`;

/**
 * Every reporter's feedback after a close (citizens' follow-up): case_id, satisfied, at (when it was
 * given). One row per close the reporter answered (a reopened case closed again may be answered again).
 */
export const CASE_FEEDBACK_SQL = `(SELECT case_id, satisfied, created_at AS at FROM case_feedback)`;
