import type { EntityManager } from 'typeorm';
import { localDate } from '@wangge/clock';
import { EVENT_ORDER_LOCK } from '../case-events.store';
import type { HistoryEvent, SimulatedCase } from './simulated-case';

/** Rows per statement: a few thousand keep each statement's JSON small on the embedded database too. */
const CHUNK = 2_000;

/**
 * Writes a simulated history (see SimulatedCase) in a few statements: the cases as they stand at
 * its end, numbered per local day of their report in report order (the day counters move on as a
 * report's statement moves them), and every event with a seq drawn from `case_event_seq` in time
 * order, so that seq order is time order, and the command centre's stages of every case
 * (`case_stage`: opened, ended, marked overdue, all at their simulated times). Nothing goes to the
 * outbox: the feed has nothing to announce about the past, and the cases' clocks (`next_check_at`)
 * and the stages still open are picked up by the dispatcher's sweepers like any other.
 */
export async function writeCaseHistory(
  m: EntityManager,
  history: { districtCode: string; offsetMinutes: number; cases: readonly SimulatedCase[] },
): Promise<{ cases: number; events: number; stages: number }> {
  const cases = [...history.cases].sort((a, b) => a.row.created_at.getTime() - b.row.created_at.getTime());
  // Time order; at one instant, the case reported first (a merge's target before the duplicate), then the case's own order.
  const rank = new Map(cases.map((c, i) => [c.id, i]));
  const events: HistoryEvent[] = cases
    .flatMap((c) => c.events)
    .sort((a, b) => a.at.getTime() - b.at.getTime() || (rank.get(a.caseId) ?? 0) - (rank.get(b.caseId) ?? 0) || a.n - b.n);
  if (cases.length === 0) return { cases: 0, events: 0, stages: 0 };
  await m.query(`SELECT pg_advisory_xact_lock($1)`, [EVENT_ORDER_LOCK]);

  // Codes: the day's counter moves by the day's reports, as the report statement moves it.
  const perDay = new Map<string, SimulatedCase[]>();
  for (const c of cases) {
    const day = localDate(c.row.created_at, history.offsetMinutes);
    perDay.set(day, [...(perDay.get(day) ?? []), c]);
  }
  const counters: { day: string; last_value: number }[] = await m.query(
    `INSERT INTO case_day_counter AS d (day, last_value)
     SELECT day, n FROM unnest($1::date[], $2::int[]) AS x(day, n)
     ON CONFLICT (day) DO UPDATE SET last_value = d.last_value + EXCLUDED.last_value
     RETURNING day::text AS day, last_value`,
    [[...perDay.keys()], [...perDay.values()].map((list) => list.length)],
  );
  const codes = new Map<string, string>();
  for (const { day, last_value } of counters) {
    const list = perDay.get(day) ?? [];
    list.forEach((c, i) => codes.set(c.id, `${history.districtCode}-${day.replaceAll('-', '')}-${String(last_value - list.length + i + 1).padStart(6, '0')}`));
  }

  for (let i = 0; i < cases.length; i += CHUNK) {
    const rows = cases.slice(i, i + CHUNK).map((c) => caseJson(c, codes.get(c.id) ?? ''));
    await m.query(INSERT_CASES_SQL, [JSON.stringify(rows)]);
  }

  const seqs: { seq: string }[] = await m.query(`SELECT nextval('case_event_seq') AS seq FROM generate_series(1, $1::int)`, [events.length]);
  const drawn = seqs.map((s) => Number(s.seq)).sort((a, b) => a - b);
  for (let i = 0; i < events.length; i += CHUNK) {
    const rows = events.slice(i, i + CHUNK).map((e, k) => ({
      seq: drawn[i + k],
      case_id: e.caseId,
      type: e.type,
      actor_id: e.actor.id,
      actor_role: e.actor.role,
      actor_name: e.actor.name,
      from_status: e.from,
      to_status: e.to,
      reason: e.reason,
      note: e.note,
      evidence: e.evidence,
      state: e.state,
      at: e.at.toISOString(),
    }));
    await m.query(INSERT_EVENTS_SQL, [JSON.stringify(rows)]);
  }
  const stages = cases.flatMap((c) =>
    c.stages.rows.map((s) => ({
      case_id: c.id, stage: s.stage, post: s.post, started_at: s.startedAt.toISOString(), due_at: s.dueAt.toISOString(), assignee_id: s.assigneeId,
      ended_at: iso(s.endedAt), ended_by: s.endedBy, ended_by_name: s.endedByName, automatic: s.automatic, overdue_at: iso(s.overdueAt), escalated_to: s.escalatedTo,
    })),
  );
  for (let i = 0; i < stages.length; i += CHUNK) await m.query(INSERT_STAGES_SQL, [JSON.stringify(stages.slice(i, i + CHUNK))]);
  // Statistics for the planner now: the reads that follow (evaluation, bulletins, the map) see a month of cases.
  await m.query(`ANALYZE case_file, case_event, case_stage`);
  return { cases: cases.length, events: events.length, stages: stages.length };
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

function caseJson(c: SimulatedCase, code: string): Record<string, unknown> {
  const r = c.row;
  return {
    id: r.id, code, status: r.status, category_code: r.category_code, standard_id: r.standard_id, description: r.description,
    address: r.address, lng: r.lng, lat: r.lat, coord: r.reported_coord_system, cell: r.grid_cell_code, street: r.street_code,
    community: r.community_code, road_id: r.road_id, segment_id: r.segment_id, road_distance_m: r.road_distance_m, source: r.source,
    channel: r.channel, reporter_id: r.reporter_id, reporter_name: r.reporter_name, reporter_phone: r.reporter_phone,
    token_hash: c.trackingTokenHash, check_requested: r.check_requested, check_passed: r.check_passed,
    assignee_chief_id: r.assignee_chief_id, escalation_level: r.escalation_level, escalated_to: r.escalated_to,
    routing_reason: r.routing_reason, routing_reason_zh: r.routing_reason_zh, dispatched_at: iso(r.dispatched_at),
    accepted_at: iso(r.accepted_at), resolved_at: iso(r.resolved_at), closed_at: iso(r.closed_at), deadline_at: iso(r.deadline_at),
    overdue: r.overdue, extension_count: r.extension_count, extension_requested_hours: r.extension_requested_hours,
    rework_count: r.rework_count, duplicate: r.possible_duplicate_of, merged_into: r.merged_into, public_note: r.public_note,
    created_at: iso(r.created_at), updated_at: iso(r.updated_at), next_check_at: iso(r.next_check_at),
    verify_deadline_at: iso(r.verify_deadline_at), verify_overdue: r.verify_overdue, check_assigned: r.check_assigned, check_warden_id: r.check_warden_id,
  };
}

const INSERT_CASES_SQL = `
  INSERT INTO case_file (id, code, status, category_code, standard_id, description, address, location, reported_coord_system,
                         reported_lng, reported_lat, grid_cell_code, street_code, community_code, road_id, segment_id, road_distance_m,
                         source, channel, reporter_id, reporter_name, reporter_phone, tracking_token_hash, check_requested, check_passed,
                         assignee_chief_id, escalation_level, escalated_to, routing_reason, routing_reason_zh, dispatched_at, accepted_at,
                         resolved_at, closed_at, deadline_at, overdue, extension_count, extension_requested_hours, rework_count,
                         possible_duplicate_of, merged_into, public_note, created_at, updated_at, next_check_at, verify_deadline_at, verify_overdue,
                         check_assigned, check_warden_id)
  SELECT id, code, status, category_code, standard_id, description, address, ST_SetSRID(ST_MakePoint(lng, lat), 4326), coord,
         lng, lat, cell, street, community, road_id, segment_id, road_distance_m,
         source, channel, reporter_id, reporter_name, reporter_phone, token_hash, check_requested, check_passed,
         assignee_chief_id, escalation_level, escalated_to, routing_reason, routing_reason_zh, dispatched_at, accepted_at,
         resolved_at, closed_at, deadline_at, overdue, extension_count, extension_requested_hours, rework_count,
         duplicate, merged_into, public_note, created_at, updated_at, next_check_at, verify_deadline_at, verify_overdue,
         check_assigned, check_warden_id
    FROM jsonb_to_recordset($1::jsonb) AS j(
      id uuid, code text, status text, category_code text, standard_id int, description text, address text, lng float8, lat float8,
      coord text, cell text, street text, community text, road_id int, segment_id int, road_distance_m float8, source text, channel text,
      reporter_id uuid, reporter_name text, reporter_phone text, token_hash text, check_requested boolean, check_passed boolean,
      assignee_chief_id int, escalation_level int, escalated_to int[], routing_reason text, routing_reason_zh text,
      dispatched_at timestamptz, accepted_at timestamptz, resolved_at timestamptz, closed_at timestamptz, deadline_at timestamptz,
      overdue boolean, extension_count int, extension_requested_hours numeric, rework_count int, duplicate uuid, merged_into uuid,
      public_note text, created_at timestamptz, updated_at timestamptz, next_check_at timestamptz, verify_deadline_at timestamptz,
      verify_overdue boolean, check_assigned boolean, check_warden_id uuid)`;

const INSERT_STAGES_SQL = `
  INSERT INTO case_stage (case_id, stage, post, started_at, due_at, assignee_id, ended_at, ended_by, ended_by_name, automatic, overdue_at, escalated_to)
  SELECT case_id, stage, post, started_at, due_at, assignee_id, ended_at, ended_by, ended_by_name, automatic, overdue_at, escalated_to
    FROM jsonb_to_recordset($1::jsonb) AS j(
      case_id uuid, stage text, post text, started_at timestamptz, due_at timestamptz, assignee_id uuid, ended_at timestamptz,
      ended_by uuid, ended_by_name text, automatic boolean, overdue_at timestamptz, escalated_to uuid[])`;

const INSERT_EVENTS_SQL = `
  INSERT INTO case_event (seq, case_id, type, actor_id, actor_role, actor_name, from_status, to_status, reason, note, evidence, state, at)
  SELECT seq, case_id, type, actor_id, actor_role, actor_name, from_status, to_status, reason, note, evidence, state, at
    FROM jsonb_to_recordset($1::jsonb) AS j(
      seq bigint, case_id uuid, type text, actor_id uuid, actor_role text, actor_name text, from_status text, to_status text,
      reason text, note text, evidence jsonb, state jsonb, at timestamptz)
   ORDER BY seq`;
