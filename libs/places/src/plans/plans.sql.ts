/**
 * The SQL of inspection plans and due inspections (inspection_plan, inspection_plan_place,
 * inspection_due), owned by libs/places. Names of people and streets come from places.sql.ts.
 */
import { PLAN_SCOPE_STREETS_SQL } from '../places.sql';

export const INSERT_PLAN_SQL = `
  INSERT INTO inspection_plan (checklist_id, place_kind, every, every_ms, from_at, to_at, assignee_ids, created_by, created_at, scope_street_codes)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`;

/** Held shared by a place joining or leaving plans by kind, exclusively by a plan by kind being made: neither misses the other. */
export const KIND_PLANS_LOCK_SQL = `SELECT pg_advisory_xact_lock(hashtext('inspection-plan-kinds'))`;
export const KIND_PLANS_SHARED_LOCK_SQL = `SELECT pg_advisory_xact_lock_shared(hashtext('inspection-plan-kinds'))`;

/** Whether a plan by kind ($alias p) covers the place (alias pl): its kind, within the jurisdiction it was made for. */
const COVERS = `(p.place_kind = pl.kind AND (p.scope_street_codes IS NULL OR pl.street_code = ANY(p.scope_street_codes)))`;

/**
 * The active plans by kind that place $1 is in or should be in at $2 (not ended), share-locked
 * against a change of the plan: `member` whether it is in, `covers` whether it should be.
 */
export const KIND_PLANS_OF_PLACE_SQL = `
  SELECT p.id, p.every_ms, p.from_at, p.to_at, p.assignee_ids, pl.responsible_id, (pp.place_id IS NOT NULL) AS member, ${COVERS} AS covers
    FROM inspection_plan p
    JOIN place pl ON pl.id = $1
    LEFT JOIN inspection_plan_place pp ON pp.plan_id = p.id AND pp.place_id = pl.id
   WHERE p.active AND p.place_kind IS NOT NULL AND (p.to_at IS NULL OR p.to_at > $2) AND (pp.place_id IS NOT NULL OR ${COVERS})
   ORDER BY p.id
     FOR SHARE OF p`;

export interface KindPlanOfPlaceRow {
  id: string;
  every_ms: string;
  from_at: Date;
  to_at: Date | null;
  assignee_ids: string[] | null;
  responsible_id: string | null;
  member: boolean;
  covers: boolean;
}

/** Places $2 leave plan $1: out of its places, their open due inspections cancelled (at $3); done, missed and late ones stay. */
export const LEAVE_PLAN_SQL = `
  WITH gone AS (DELETE FROM inspection_plan_place WHERE plan_id = $1 AND place_id = ANY($2::uuid[]) RETURNING place_id)
  UPDATE inspection_due d SET state = 'cancelled', handled_at = coalesce(d.handled_at, $3)
    FROM gone WHERE d.plan_id = $1 AND d.place_id = gone.place_id AND d.state = 'due'
  RETURNING d.id`;

/** Open due inspections of plan $1 take its assignees now (or, with none, each place's responsible person). */
export const REASSIGN_OPEN_DUE_SQL = `
  UPDATE inspection_due d SET assignee_ids = coalesce(p.assignee_ids, array_remove(ARRAY[pl.responsible_id], NULL))
    FROM inspection_plan p, place pl
   WHERE p.id = $1 AND d.plan_id = p.id AND pl.id = d.place_id AND d.state = 'due'`;

/** Open due inspections at place $1 of plans naming nobody take the place's responsible person (it changed). */
export const REASSIGN_PLACE_DUE_SQL = `
  UPDATE inspection_due d SET assignee_ids = array_remove(ARRAY[pl.responsible_id], NULL)
    FROM inspection_plan p, place pl
   WHERE pl.id = $1 AND d.place_id = pl.id AND p.id = d.plan_id AND p.assignee_ids IS NULL AND d.state = 'due'
     AND d.assignee_ids IS DISTINCT FROM array_remove(ARRAY[pl.responsible_id], NULL)`;

/** Open due inspections of plan $1 whose timer has not run, locked: to re-time when the plan's end changes. */
export const OPEN_DUE_OF_PLAN_SQL = `
  SELECT id, slot_start, due_at FROM inspection_due WHERE plan_id = $1 AND state = 'due' AND handled_at IS NULL ORDER BY id FOR UPDATE`;

export const INSERT_PLAN_PLACES_SQL = `
  INSERT INTO inspection_plan_place (plan_id, place_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`;

/** One plan as its view needs it (`WHERE` appended). */
export const PLAN_SELECT_SQL = `
  SELECT p.id, p.checklist_id, cl.name AS checklist_name, cl.version AS checklist_version, p.place_kind, p.every, p.every_ms,
         p.from_at, p.to_at, p.assignee_ids, p.active, p.created_at, p.deactivated_at, p.scope_street_codes,
         ${PLAN_SCOPE_STREETS_SQL} AS scope_streets,
         coalesce((SELECT jsonb_agg(jsonb_build_object('id', pl.id, 'name', pl.name, 'unassigned', p.assignee_ids IS NULL AND pl.responsible_id IS NULL) ORDER BY pl.name)
                     FROM inspection_plan_place pp JOIN place pl ON pl.id = pp.place_id WHERE pp.plan_id = p.id), '[]') AS places
    FROM inspection_plan p JOIN checklist cl ON cl.id = p.checklist_id`;

export interface PlanRow {
  id: string;
  checklist_id: string;
  checklist_name: string;
  checklist_version: number;
  place_kind: string | null;
  every: string;
  every_ms: string;
  from_at: Date;
  to_at: Date | null;
  assignee_ids: string[] | null;
  active: boolean;
  created_at: Date;
  deactivated_at: Date | null;
  scope_street_codes: string[] | null;
  scope_streets: { code: string; name: string }[];
  places: { id: string; name: string; unassigned: boolean }[];
}

/**
 * The slot starting at $2 (deadline $3) made due at the plan's places ($4: only these; null: all),
 * once per (plan, place, slot). Assignees: the plan's, else the place's responsible person.
 */
export const MAKE_DUE_SQL = `
  INSERT INTO inspection_due (plan_id, place_id, slot_start, due_at, assignee_ids)
  SELECT p.id, pp.place_id, $2, $3, coalesce(p.assignee_ids, array_remove(ARRAY[pl.responsible_id], NULL))
    FROM inspection_plan p
    JOIN inspection_plan_place pp ON pp.plan_id = p.id
    JOIN place pl ON pl.id = pp.place_id
   WHERE p.id = $1 AND p.active AND ($4::uuid[] IS NULL OR pp.place_id = ANY($4::uuid[]))
  ON CONFLICT (plan_id, place_id, slot_start) DO NOTHING
  RETURNING id, place_id, slot_start, due_at`;

export interface MadeDueRow {
  id: string;
  place_id: string;
  slot_start: Date;
  due_at: Date;
}

/** A due inspection with its plan, locked for its deadline ($1 id). */
export const LOCK_DUE_SQL = `
  SELECT d.id, d.plan_id, d.place_id, d.slot_start, d.due_at, d.state, d.handled_at, p.active, p.every_ms, p.from_at, p.to_at
    FROM inspection_due d JOIN inspection_plan p ON p.id = d.plan_id
   WHERE d.id = $1 FOR UPDATE OF d`;

export interface LockedDueRow {
  id: string;
  plan_id: string;
  place_id: string;
  slot_start: Date;
  due_at: Date;
  state: string;
  handled_at: Date | null;
  active: boolean;
  every_ms: string;
  from_at: Date;
  to_at: Date | null;
}

/**
 * An inspection of place $1 (id $2, at $3, checklist $4) does what is due there by each plan of the
 * same checklist (any version): the plan's latest slot begun by then, if not done yet; on time before
 * its deadline, late after it (within one slot length; a missed one stays counted as missed).
 */
export const FULFIL_DUE_SQL = `
  WITH latest AS (
    SELECT DISTINCT ON (d.plan_id) d.id, d.state, d.slot_start, d.due_at
      FROM inspection_due d
      JOIN inspection_plan p ON p.id = d.plan_id
      JOIN checklist pc ON pc.id = p.checklist_id
      JOIN checklist ic ON ic.id = $4 AND ic.name = pc.name
     WHERE d.place_id = $1 AND d.slot_start <= $3 AND d.state <> 'cancelled'
     ORDER BY d.plan_id, d.slot_start DESC)
  UPDATE inspection_due d
     SET state = CASE WHEN $3 <= d.due_at THEN 'done' ELSE 'late' END, done_at = $3, inspection_id = $2
    FROM latest l
   WHERE d.id = l.id AND l.state IN ('due', 'missed') AND $3 < l.due_at + (l.due_at - l.slot_start)
  RETURNING d.id, d.plan_id, d.slot_start, d.due_at, d.state`;

/** Due inspections whose deadline's timer has not run, by id after $3: every one ($1), or those due before $2. */
export const PENDING_DUE_SQL = `
  SELECT id, due_at FROM inspection_due
   WHERE handled_at IS NULL AND ($1::boolean OR due_at < $2) AND id > $3::uuid
   ORDER BY id LIMIT $4`;

/** A due inspection as lists show it (`WHERE` and `ORDER` appended; `pl` is the place). */
export const DUE_SELECT_SQL = `
  SELECT d.id, d.plan_id, d.place_id, pl.name AS place_name, pl.kind AS place_kind, ST_X(pl.point) AS lng, ST_Y(pl.point) AS lat,
         cl.id AS checklist_id, cl.name AS checklist_name, cl.version AS checklist_version,
         d.slot_start, d.due_at, d.state, d.inspection_id, d.done_at, d.missed_at
    FROM inspection_due d
    JOIN place pl ON pl.id = d.place_id
    JOIN inspection_plan p ON p.id = d.plan_id
    JOIN checklist cl ON cl.id = p.checklist_id`;

export interface DueRow {
  id: string;
  plan_id: string;
  place_id: string;
  place_name: string;
  place_kind: string;
  lng: number;
  lat: number;
  checklist_id: string;
  checklist_name: string;
  checklist_version: number;
  slot_start: Date;
  due_at: Date;
  state: string;
  inspection_id: string | null;
  done_at: Date | null;
  missed_at: Date | null;
}
