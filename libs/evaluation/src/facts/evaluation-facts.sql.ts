import { CASE_EVENT_LOG_SQL, CASE_HEADER_SQL } from '@wangge/workflow';

/**
 * Rebuilds `evaluation_case_fact` rows of the cases that have events with seq in ($1, $2], from ALL
 * their events (never from the mutable columns of the case; only its fixed place, category and
 * standard's clock type are read, from the workflow's `CASE_HEADER_SQL`). $3 = the district's UTC offset in minutes. Rules: docs/evaluation.md.
 *
 * The case's current assignment is its last `case.dispatched` event, unless a `case.returned` follows it
 * (then the case has no assignment: no chief, no deadline). Within the assignment: the deadline in force
 * is the `state.deadlineAt` of its last dispatched/extended event; the case is handled at its last
 * `case.resolved` unless a `case.reworked` or `case.reopened` (a reporter's "not fixed", counted as a rework with
 * its new limit) follows it; a reopened case is closed at its last `case.closed` after the reopen; an approved appeal of the assignment's chief (or department)
 * (`case.appeal_decided`) exempts it from the timeliness counts.
 */
export const REFRESH_FACTS_SQL = `
WITH touched AS (
  SELECT DISTINCT case_id FROM ${CASE_EVENT_LOG_SQL} e WHERE seq > $1 AND seq <= $2
), ev AS (
  SELECT e.case_id, e.seq, e.type, e.at, e.evidence, e.state
    FROM ${CASE_EVENT_LOG_SQL} e JOIN touched t ON t.case_id = e.case_id
   WHERE e.seq <= $2
), dispatch AS (
  SELECT DISTINCT ON (case_id) case_id, seq AS dseq, at AS dispatched_at,
         coalesce(evidence -> 'assignee' ->> 'id', state -> 'assignee' ->> 'id')::integer AS chief_id,
         CASE WHEN evidence -> 'assignee' ->> 'kind' = 'department' THEN evidence -> 'assignee' ->> 'code' END AS department_code
    FROM ev WHERE type = 'case.dispatched'
   ORDER BY case_id, seq DESC
), agg AS (
  SELECT ev.case_id,
         min(ev.at) FILTER (WHERE ev.type = 'case.reported') AS reported_at,
         min(ev.at) FILTER (WHERE ev.type = 'case.registered') AS registered_at,
         -- A case a reporter reopened (case.reopened) is closed again only by a later case.closed.
         CASE WHEN max(ev.seq) FILTER (WHERE ev.type = 'case.closed') > coalesce(max(ev.seq) FILTER (WHERE ev.type = 'case.reopened'), 0)
              THEN max(ev.at) FILTER (WHERE ev.type = 'case.closed') END AS closed_at,
         min(ev.at) FILTER (WHERE ev.type IN ('case.cancelled', 'case.rejected', 'case.merged')) AS ended_at,
         bool_or(ev.type = 'case.merged') AS merged,
         min(ev.at) AS first_at,
         max(ev.at) AS last_at,
         max(ev.seq) AS last_seq,
         bool_or(ev.type = 'case.returned' AND ev.seq > d.dseq) AS returned,
         (array_agg(ev.state ->> 'deadlineAt' ORDER BY ev.seq DESC)
            FILTER (WHERE ev.type IN ('case.dispatched', 'case.extended', 'case.reopened') AND ev.seq >= d.dseq))[1] AS deadline_text,
         max(ev.seq) FILTER (WHERE ev.type = 'case.resolved' AND ev.seq > d.dseq) AS resolved_seq,
         max(ev.at) FILTER (WHERE ev.type = 'case.resolved' AND ev.seq > d.dseq) AS resolved_at,
         max(ev.seq) FILTER (WHERE ev.type IN ('case.reworked', 'case.reopened') AND ev.seq > d.dseq) AS reworked_seq,
         count(*) FILTER (WHERE ev.type = 'case.resolved' AND ev.seq > d.dseq) AS resolutions,
         count(*) FILTER (WHERE ev.type IN ('case.reworked', 'case.reopened') AND ev.seq > d.dseq) AS reworks,
         count(*) FILTER (WHERE ev.type = 'case.extended' AND ev.seq > d.dseq) AS extensions,
         (array_agg((ev.evidence ->> 'approved')::boolean ORDER BY ev.seq DESC)
            FILTER (WHERE ev.type = 'case.appeal_decided' AND ((ev.evidence ->> 'chiefId')::integer = d.chief_id
                                                                OR ev.evidence ->> 'departmentCode' = d.department_code)))[1] AS appeal_approved
    FROM ev LEFT JOIN dispatch d ON d.case_id = ev.case_id
   GROUP BY ev.case_id
), fact AS (
  SELECT a.case_id, a.merged, a.reported_at, a.registered_at, a.closed_at, a.ended_at, a.first_at, a.last_at, a.last_seq,
         CASE WHEN NOT coalesce(a.returned, false) THEN d.chief_id END AS chief_id,
         CASE WHEN NOT coalesce(a.returned, false) THEN d.department_code END AS department_code,
         CASE WHEN NOT coalesce(a.returned, false) THEN d.dispatched_at END AS dispatched_at,
         CASE WHEN NOT coalesce(a.returned, false) THEN a.deadline_text::timestamptz END AS deadline_at,
         CASE WHEN NOT coalesce(a.returned, false) AND a.resolved_seq > coalesce(a.reworked_seq, 0) THEN a.resolved_at END AS handled_at,
         CASE WHEN NOT coalesce(a.returned, false) THEN a.resolutions ELSE 0 END AS resolutions,
         CASE WHEN NOT coalesce(a.returned, false) THEN a.reworks ELSE 0 END AS reworks,
         CASE WHEN NOT coalesce(a.returned, false) THEN a.extensions ELSE 0 END AS extensions,
         NOT coalesce(a.returned, false) AND coalesce(a.appeal_approved, false) AS exempt
    FROM agg a LEFT JOIN dispatch d ON d.case_id = a.case_id
)
INSERT INTO evaluation_case_fact AS t (
  case_id, street_code, community_code, category_code, chief_id, department_code, merged, reported_at, registered_at, dispatched_at,
  deadline_at, handled_at, closed_at, ended_at, open_until, resolutions, reworks, extensions, handling_hours, exempt, span, last_seq)
SELECT f.case_id, c.street_code, c.community_code, c.category_code, f.chief_id, f.department_code, f.merged, f.reported_at, f.registered_at,
       f.dispatched_at, f.deadline_at, f.handled_at, f.closed_at, f.ended_at,
       CASE WHEN f.deadline_at IS NOT NULL THEN coalesce(least(f.handled_at, f.closed_at, f.ended_at), 'infinity') END,
       f.resolutions, f.reworks, f.extensions,
       CASE WHEN f.handled_at IS NULL OR f.dispatched_at IS NULL THEN NULL
            WHEN c.clock_type IN ('work_hours', 'work_days') THEN evaluation_work_hours(f.dispatched_at, f.handled_at, $3)
            ELSE greatest(0, extract(epoch FROM f.handled_at - f.dispatched_at) / 3600.0) END,
       f.exempt,
       tstzrange(f.first_at,
                 CASE WHEN f.deadline_at IS NOT NULL AND f.handled_at IS NULL AND f.closed_at IS NULL AND f.ended_at IS NULL
                      THEN 'infinity'::timestamptz ELSE f.last_at END, '[]'),
       f.last_seq
  FROM fact f
  JOIN ${CASE_HEADER_SQL} c ON c.case_id = f.case_id
 ORDER BY f.first_at -- new rows in time order: the cases alive at one instant share pages (rollup query's edges)
ON CONFLICT (case_id) DO UPDATE SET
  street_code = excluded.street_code, community_code = excluded.community_code, category_code = excluded.category_code,
  chief_id = excluded.chief_id, department_code = excluded.department_code, merged = excluded.merged, reported_at = excluded.reported_at,
  registered_at = excluded.registered_at, dispatched_at = excluded.dispatched_at, deadline_at = excluded.deadline_at,
  handled_at = excluded.handled_at, closed_at = excluded.closed_at, ended_at = excluded.ended_at,
  open_until = excluded.open_until, resolutions = excluded.resolutions, reworks = excluded.reworks,
  extensions = excluded.extensions, handling_hours = excluded.handling_hours, exempt = excluded.exempt,
  span = excluded.span, last_seq = excluded.last_seq`;
