import { standardInForce } from './standard-in-force';
import { currentStageLimitSql } from './stages/stage-limits.sql';

/**
 * What the owner of the Idempotency-Keys (libs/reports) puts into the two report statements, so
 * that each statement stays one round trip while naming only its owners' tables here.
 */
export interface ReportKeySql {
  /**
   * A join that gives each report row `r` (columns `key_scope`, `key`) the earlier request under
   * its key as `k`, with `request_hash`, `status_code` and `response` (all NULL when there is none).
   */
  lookup: string;
  /**
   * A data-modifying statement over the rows `j` (columns `key_scope`, `key`, `request_hash`,
   * `response`; `key` NULL for a report without one) that claims every key not yet taken, storing
   * the answer with it, and returns `(scope, key)` of each key it claimed.
   */
  claim: string;
}

const OPEN = `('reported', 'registered', 'dispatched', 'in_progress', 'resolved')`;

/**
 * What a batch of reports needs to be judged, one row per report (`n`, 1-based): its category, the
 * condition in force on `$7` (`$2`, default 1), the nearest open case of the same category within
 * `$8` metres reported in the last `$9` hours (none when `$8` is 0), and the earlier request under
 * its Idempotency-Key (`$5` scope, `$6` key; `keys.lookup`), if any, with the code and first seqs of the case its
 * stored answer names. `$3`/`$4`: the WGS-84 points.
 */
export const reportChecksSql = (keys: ReportKeySql): string => `
  SELECT r.n::int AS n, cat.code, cat.kind, cat.name, cat.name_en, cat.auto_register, cat.active,
         ${standardInForce('cat.code', 'r.condition_no', '$7::date')} AS standard_id,
         dup.id AS duplicate, k.request_hash, k.status_code, k.response, stored.code AS stored_code, stored.seqs AS stored_seqs
    FROM unnest($1::text[], $2::int[], $3::float8[], $4::float8[], $5::text[], $6::text[])
         WITH ORDINALITY AS r(category_code, condition_no, lng, lat, key_scope, key, n)
    LEFT JOIN category cat ON cat.code = r.category_code
    ${keys.lookup}
    LEFT JOIN LATERAL (
      SELECT sc.code, ARRAY(SELECT se.seq FROM case_event se WHERE se.case_id = sc.id ORDER BY se.seq
                             LIMIT jsonb_array_length(k.response -> 'timeline')) AS seqs
        FROM case_file sc WHERE sc.id = (k.response ->> 'id')::uuid
    ) stored ON k.status_code = 201
    LEFT JOIN LATERAL (
      WITH p AS (SELECT ST_SetSRID(ST_MakePoint(r.lng, r.lat), 4326) AS g)
      SELECT c.id FROM case_file c, p
       WHERE $8::float8 > 0 AND c.status IN ${OPEN} AND c.category_code = r.category_code
         AND c.created_at > now() - make_interval(hours => $9::int)
         AND c.location && ST_Expand(p.g, $8::float8 / 100000 / cos(radians(r.lat)))
         AND ST_DWithin(c.location::geography, p.g::geography, $8::float8)
       ORDER BY ST_Distance(c.location::geography, p.g::geography), c.created_at LIMIT 1
    ) dup ON true`;

/**
 * Writes a batch of reports (`$3`, a JSON array of rows in batch order `n`) in one statement, which
 * in autocommit is its own transaction:
 * 1. claims the reports' Idempotency-Keys (`keys.claim`; at most one report per key in a batch),
 *    storing each report's answer with it; a key a concurrent request holds is waited for, and if that request
 *    commits, this report is not written (the caller answers it from the stored answer);
 * 2. key-share locks the cases they may duplicate (the foreign key's check would otherwise wait for
 *    them under the order lock, behind a transition that waits for that lock);
 * 3. then, and only then, takes the event-order lock `$1` (see appendCaseEvent; no row or key is
 *    waited for while it is held, so neither two batches nor a batch and a transition can deadlock), draws as many numbers from day
 *    `$2`'s counter as there are reports to write (gap-free codes `$4-YYYYMMDD-NNNNNN` in batch order);
 * 4. writes the cases, their `case.reported` (and `case.registered`) events at `$5` in seq order,
 *    their photos, their feed messages (seq and code filled in here) and a `$7` job for each case
 *    that registered itself. `$6`: the system's name;
 * 5. opens their stages (case_stage: the register stage, the district's limit or `$8` minutes; the
 *    dispatch stage of a case that registered itself, the district's or `$9` minutes) with a `$10`
 *    timer for each open one.
 */
export const insertReportsSql = (keys: ReportKeySql): string => `
  WITH j AS (
    SELECT * FROM jsonb_to_recordset($3::jsonb) AS j(
      n int, id uuid, status text, category_code text, standard_id int, description text, address text, address_id text,
      lng float8, lat float8, coord text, reported_lng float8, reported_lat float8, cell text, street text,
      community text, road_id int, segment_id int, road_distance_m float8, source text, channel text,
      reporter_id uuid, reporter_name text, reporter_phone text, reporter_email text, token_hash text,
      duplicate uuid, registers boolean, actor_role text, actor_name text, evidence jsonb, media uuid[], messages jsonb,
      key_scope text, key text, request_hash text, response jsonb)),
  claimed AS (${keys.claim}),
  r AS (
    SELECT j.*, (row_number() OVER (ORDER BY j.n))::int AS m FROM j
     WHERE j.key IS NULL OR EXISTS (SELECT 1 FROM claimed k WHERE k.scope = j.key_scope AND k.key = j.key)),
  -- The cases the reports may duplicate, key-share locked before the order lock: the foreign key's own
  -- check at the statement's end would wait for a transition holding one of them, while that
  -- transition waits for the order lock this statement holds (a deadlock).
  duplicates AS (
    SELECT id FROM case_file WHERE id IN (SELECT duplicate FROM r WHERE duplicate IS NOT NULL) ORDER BY id FOR KEY SHARE),
  order_lock AS (
    SELECT pg_advisory_xact_lock($1) AS locked
      FROM (SELECT count(*) FROM claimed) AS after_claims, (SELECT count(*) FROM duplicates) AS after_duplicates),
  counter AS (
    INSERT INTO case_day_counter AS d (day, last_value)
    SELECT $2::date, (SELECT count(*) FROM r) FROM order_lock WHERE EXISTS (SELECT 1 FROM r)
    ON CONFLICT (day) DO UPDATE SET last_value = d.last_value + EXCLUDED.last_value RETURNING last_value),
  c AS (
    INSERT INTO case_file (id, code, status, category_code, standard_id, description, address, address_id, location, reported_coord_system,
                           reported_lng, reported_lat, grid_cell_code, street_code, community_code, road_id, segment_id,
                           road_distance_m, source, channel, reporter_id, reporter_name, reporter_phone, reporter_email,
                           tracking_token_hash, possible_duplicate_of, created_at, updated_at)
    SELECT r.id, $4 || '-' || to_char($2::date, 'YYYYMMDD') || '-' || lpad((counter.last_value - (SELECT count(*) FROM r) + r.m)::text, 6, '0'),
           r.status, r.category_code, r.standard_id, r.description, r.address, r.address_id, ST_SetSRID(ST_MakePoint(r.lng, r.lat), 4326), r.coord,
           r.reported_lng, r.reported_lat, r.cell, r.street, r.community, r.road_id, r.segment_id,
           r.road_distance_m, r.source, r.channel, r.reporter_id, r.reporter_name, r.reporter_phone, r.reporter_email,
           r.token_hash, r.duplicate, $5, $5
      FROM r, counter
    RETURNING id, code),
  e AS (
    INSERT INTO case_event (case_id, type, actor_id, actor_role, actor_name, from_status, to_status, evidence, at)
    SELECT c.id, v.type, v.actor_id, v.actor_role, v.actor_name, 'reported', v.to_status, v.evidence, $5
      FROM r JOIN c ON c.id = r.id
     CROSS JOIN LATERAL (VALUES (1, 'case.reported', r.reporter_id, r.actor_role, r.actor_name, 'reported', r.evidence),
                                (2, 'case.registered', NULL::uuid, 'system', $6, 'registered', '{}'::jsonb))
                        AS v(k, type, actor_id, actor_role, actor_name, to_status, evidence)
     WHERE v.k = 1 OR r.registers
     ORDER BY r.n, v.k
    RETURNING case_id, seq, type),
  media AS (
    INSERT INTO case_media (case_id, media_id) SELECT c.id, unnest(r.media) FROM r JOIN c ON c.id = r.id),
  stages AS (
    -- Stage limits: the report waits $8 minutes for an operator (受理/立案); one that registered
    -- itself was registered on time and waits $9 minutes for a dispatch (routing, or by hand).
    INSERT INTO case_stage (case_id, stage, post, started_at, due_at, ended_at, ended_by_name, automatic)
    SELECT c.id, v.stage, v.post, $5, $5 + make_interval(mins => v.mins), v.ended_at, v.ended_by_name, v.automatic
      FROM r JOIN c ON c.id = r.id
     CROSS JOIN LATERAL (VALUES ('register', 'intake', ${currentStageLimitSql(`'register'`, '$5::timestamptz', '$8::int')}, CASE WHEN r.registers THEN $5::timestamptz END, CASE WHEN r.registers THEN $6 END, r.registers),
                                ('dispatch', 'dispatch', ${currentStageLimitSql(`'dispatch'`, '$5::timestamptz', '$9::int')}, NULL::timestamptz, NULL, false))
                        AS v(stage, post, mins, ended_at, ended_by_name, automatic)
     WHERE v.stage = 'register' OR r.registers
    RETURNING case_id, stage, due_at, ended_at),
  outbox_rows AS (
    INSERT INTO outbox (topic, name, payload, deliver_after)
    SELECT topic, name, payload, deliver_after FROM (
      SELECT 1 AS part, e.seq AS ord, 'feed' AS topic, 'case.event' AS name,
             (r.messages -> e.type) || jsonb_build_object('seq', e.seq, 'code', c.code) AS payload, NULL::timestamptz AS deliver_after
        FROM e JOIN c ON c.id = e.case_id JOIN r ON r.id = e.case_id
      UNION ALL
      SELECT 2, r.n, 'job', $7, jsonb_build_object('caseId', c.id::text), NULL FROM r JOIN c ON c.id = r.id WHERE r.registers
      UNION ALL
      SELECT 3, r.n, 'job', $10,
             jsonb_build_object('caseId', s.case_id::text, 'stage', s.stage,
                                'dueAt', to_char(s.due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')), s.due_at
        FROM stages s JOIN r ON r.id = s.case_id WHERE s.ended_at IS NULL
    ) o ORDER BY part, ord)
  SELECT c.id, c.code, (SELECT array_agg(e.seq ORDER BY e.seq) FROM e WHERE e.case_id = c.id) AS seqs FROM c`;
