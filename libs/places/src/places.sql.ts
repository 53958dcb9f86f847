/**
 * The SQL of libs/places' own tables (place, checklist, inspection, place_case). Names of people
 * and chiefs are read from auth's and chiefs' tables (the allowlist of docs/data-ownership.md).
 */

/** One place as its view needs it (`WHERE` and `ORDER` appended by the caller). */
export const PLACE_SELECT_SQL = `
  SELECT pl.id, pl.code, pl.kind, pl.name, ST_AsGeoJSON(pl.geom, 7)::json AS geometry, ST_X(pl.point) AS lng, ST_Y(pl.point) AS lat,
         pl.address, pl.owner_name, pl.owner_phone, pl.responsible_id, ru.name AS responsible_name,
         pl.grid_cell_code, pl.community_code, pl.street_code, s.name AS street_name, pl.chief_id, cu.name AS chief_name,
         pl.created_at, pl.updated_at,
         (SELECT max(i.created_at) FROM inspection i WHERE i.place_id = pl.id) AS last_inspected_at,
         coalesce((SELECT array_agg(pc.case_id) FROM place_case pc WHERE pc.place_id = pl.id), '{}') AS case_ids
    FROM place pl
    LEFT JOIN app_user ru ON ru.id = pl.responsible_id
    LEFT JOIN street s ON s.code = pl.street_code
    LEFT JOIN road_chief rc ON rc.id = pl.chief_id
    LEFT JOIN app_user cu ON cu.id = rc.user_id`;

export interface PlaceRow {
  id: string;
  code: string | null;
  kind: string;
  name: string;
  geometry: unknown;
  lng: number;
  lat: number;
  address: string | null;
  owner_name: string | null;
  owner_phone: string | null;
  responsible_id: string | null;
  responsible_name: string | null;
  grid_cell_code: string;
  community_code: string;
  street_code: string;
  street_name: string | null;
  chief_id: number | null;
  chief_name: string | null;
  created_at: Date;
  updated_at: Date;
  last_inspected_at: Date | null;
  case_ids: string[];
}

/** The representative point of a GeoJSON geometry ($1) and whether the geometry is valid. */
export const GEOMETRY_POINT_SQL = `
  SELECT ST_X(p) AS lng, ST_Y(p) AS lat, valid
    FROM (SELECT ST_PointOnSurface(g) AS p, ST_IsValid(g) AS valid FROM (SELECT ST_SetSRID(ST_GeomFromGeoJSON($1), 4326) AS g) x) y`;

export const INSERT_PLACE_SQL = `
  INSERT INTO place (kind, name, geom, point, address, owner_name, owner_phone, responsible_id, grid_cell_code, community_code, street_code, chief_id, created_at, updated_at, code)
  VALUES ($1, $2, ST_SetSRID(ST_GeomFromGeoJSON($3), 4326), ST_SetSRID(ST_MakePoint($4, $5), 4326), $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15)
  RETURNING id`;

export const UPDATE_PLACE_SQL = `
  UPDATE place SET kind = $2, name = $3, geom = ST_SetSRID(ST_GeomFromGeoJSON($4), 4326), point = ST_SetSRID(ST_MakePoint($5, $6), 4326),
         address = $7, owner_name = $8, owner_phone = $9, responsible_id = $10, grid_cell_code = $11, community_code = $12,
         street_code = $13, chief_id = $14, updated_at = $15, code = $16
   WHERE id = $1`;

/** An active person by username (the responsible person of an imported place). */
export const PERSON_BY_USERNAME_SQL = `SELECT id, username FROM app_user WHERE username = ANY($1::text[]) AND active`;

/**
 * The place with this code ($1); else, for a row without one, the place of this kind ($2) and name ($3)
 * within $5 m of the representative point of the GeoJSON geometry $4: an imported row's place.
 */
export const SAME_PLACE_SQL = `
  WITH spot AS (SELECT ST_PointOnSurface(ST_SetSRID(ST_GeomFromGeoJSON($4), 4326))::geography AS g)
  SELECT pl.id FROM place pl, spot
   WHERE CASE WHEN $1::text IS NOT NULL THEN pl.code = $1
              ELSE pl.kind = $2 AND pl.name = $3 AND ST_DWithin(pl.point::geography, spot.g, $5) END
   ORDER BY pl.point::geography <-> spot.g
   LIMIT 1`;

/** An active person by id (the responsible person of a place). */
export const PERSON_SQL = `SELECT id, name FROM app_user WHERE id = $1 AND active`;

export const CHECKLIST_SELECT_SQL = `SELECT id, name, name_en, version, items, created_at FROM checklist`;

export interface ChecklistRow {
  id: string;
  name: string;
  name_en: string | null;
  version: number;
  items: unknown;
  created_at: Date;
}

/** The newest version of each checklist. */
export const CURRENT_CHECKLISTS_SQL = `
  SELECT DISTINCT ON (name) id, name, name_en, version, items, created_at FROM checklist ORDER BY name, version DESC`;

export const INSERT_CHECKLIST_SQL = `
  INSERT INTO checklist (name, name_en, version, items)
  SELECT $1, $2, coalesce(max(version), 0) + 1, $3::jsonb FROM checklist WHERE name = $1
  RETURNING id, name, name_en, version, items, created_at`;

export const INSPECTION_SELECT_SQL = `
  SELECT i.id, i.place_id, pl.name AS place_name, pl.kind AS place_kind, i.checklist_id, cl.name AS checklist_name, cl.version AS checklist_version,
         i.plan_id, i.inspector_id, u.name AS inspector_name, ST_X(i.location) AS lng, ST_Y(i.location) AS lat, i.distance_m, i.off_site,
         i.results, i.failed, i.created_at, i.request_hash,
         coalesce((SELECT jsonb_object_agg(pc.item_code, pc.case_id) FROM place_case pc WHERE pc.inspection_id = i.id), '{}') AS cases
    FROM inspection i
    JOIN place pl ON pl.id = i.place_id
    JOIN checklist cl ON cl.id = i.checklist_id
    JOIN app_user u ON u.id = i.inspector_id`;

export interface InspectionRow {
  id: string;
  place_id: string;
  place_name: string;
  place_kind: string;
  checklist_id: string;
  checklist_name: string;
  checklist_version: number;
  plan_id: string | null;
  inspector_id: string;
  inspector_name: string;
  lng: number;
  lat: number;
  distance_m: string;
  off_site: boolean;
  results: unknown;
  failed: number;
  created_at: Date;
  request_hash: string | null;
  cases: Record<string, string>;
}

/**
 * Writes an inspection once per (inspector, Idempotency-Key): a repeat returns nothing (the caller
 * reads the first). Distance from the place's geometry (0 inside a polygon), geography metres.
 */
export const INSERT_INSPECTION_SQL = `
  INSERT INTO inspection (place_id, checklist_id, plan_id, inspector_id, location, distance_m, off_site, results, failed, idempotency_key, request_hash, created_at)
  SELECT pl.id, $2, $3, $4, loc, d, d > $7, $8::jsonb, $9, $10, $11, $12
    FROM place pl
    CROSS JOIN LATERAL (SELECT ST_SetSRID(ST_MakePoint($5, $6), 4326) AS loc) l
    CROSS JOIN LATERAL (SELECT round(ST_Distance(pl.geom::geography, loc::geography)::numeric, 1) AS d) m
   WHERE pl.id = $1
  ON CONFLICT (inspector_id, idempotency_key) DO NOTHING
  RETURNING id, off_site`;

export const LINK_CASE_SQL = `
  INSERT INTO place_case (case_id, place_id, inspection_id, item_code) VALUES ($1, $2, $3, $4)
  ON CONFLICT DO NOTHING`;

/** Active people among $1 (ids), by id: who a plan or a shift names. */
export const ACTIVE_PEOPLE_SQL = `SELECT id, name FROM app_user WHERE id = ANY($1::uuid[]) AND active`;

/**
 * Whom a miss at place $1 is escalated to: its responsible person, and ($2) the leaders of its street
 * (none there: the district's leaders); without a responsible person the leaders in any case.
 */
export const ESCALATION_SQL = `
  WITH pl AS (SELECT responsible_id, street_code FROM place WHERE id = $1),
       responsible AS (SELECT u.id, u.name FROM app_user u JOIN pl ON u.id = pl.responsible_id WHERE u.active),
       street_leaders AS (SELECT u.id, u.name FROM app_user u JOIN pl ON u.street_code = pl.street_code WHERE u.role = 'leader' AND u.active),
       leaders AS (SELECT id, name FROM street_leaders
                   UNION ALL SELECT u.id, u.name FROM app_user u WHERE u.role = 'leader' AND u.active AND u.street_code IS NULL AND NOT EXISTS (SELECT 1 FROM street_leaders))
  SELECT id, name FROM responsible
  UNION SELECT id, name FROM leaders WHERE $2::boolean OR NOT EXISTS (SELECT 1 FROM responsible)
  ORDER BY name, id`;

/** Shifts as lists show them (`WHERE` and `ORDER` appended; `pl` is the place). */
export const SHIFT_SELECT_SQL = `
  SELECT s.id, s.roster_id, s.place_id, pl.name AS place_name, pl.kind AS place_kind, ST_X(pl.point) AS lng, ST_Y(pl.point) AS lat,
         s.starts_at, s.ends_at, s.check_by, s.checked_in_at, s.missed_at, s.escalated_to,
         coalesce((SELECT jsonb_agg(jsonb_build_object('id', u.id, 'name', u.name) ORDER BY u.name) FROM app_user u WHERE u.id = ANY(s.user_ids)), '[]') AS people
    FROM duty_shift s JOIN place pl ON pl.id = s.place_id`;

export interface ShiftRow {
  id: string;
  roster_id: string;
  place_id: string;
  place_name: string;
  place_kind: string;
  lng: number;
  lat: number;
  starts_at: Date;
  ends_at: Date;
  check_by: Date;
  checked_in_at: Date | null;
  missed_at: Date | null;
  escalated_to: { id: string; name: string }[] | null;
  people: { id: string; name: string }[];
}

export type InspectionGroupBy = 'person' | 'street';

/**
 * Due inspections of a period per group ($1 from, $2 to, $3 now; `groupKind` the parameter of the group kind, `scope` a condition on place `pl`),
 * summed from `inspection_due_contribution` (the one definition the rollups keep too):
 * due, done on time, late, missed. Per person: each assignee of what was due.
 */
export function evaluationDueSql(scope: string, groupKind: string): string {
  return `
    SELECT c.group_key AS key, sum(c.due)::int AS due, sum(c.on_time)::int AS on_time, sum(c.late)::int AS late, sum(c.missed)::int AS missed
      FROM inspection_due d JOIN place pl ON pl.id = d.place_id, inspection_due_contribution(d, pl.street_code) c
     WHERE c.group_kind = ${groupKind} AND d.due_at >= $1 AND d.due_at < $2 AND d.due_at <= $3 AND ${scope}
     GROUP BY 1`;
}

/**
 * The same counts from the daily rollups (whole local days [$2, $3) of group kind $1): what
 * `inspection_due_contribution` added on each row's deadline day, kept by the triggers of migration
 * 1765900000000-FieldEvaluation.
 */
export const ROLLUP_DUE_SQL = `
  SELECT group_key AS key, sum(due)::int AS due, sum(on_time)::int AS on_time, sum(late)::int AS late, sum(missed)::int AS missed
    FROM inspection_daily WHERE group_kind = $1 AND day >= $2 AND day < $3
   GROUP BY 1 HAVING sum(due) > 0`;

/** The names of evaluation groups ($1 keys): people by id, streets by code. */
export function groupNamesSql(groupBy: InspectionGroupBy): string {
  return groupBy === 'person'
    ? `SELECT k AS key, u.name FROM unnest($1::text[]) k JOIN app_user u ON u.id::text = k`
    : `SELECT k AS key, s.name FROM unnest($1::text[]) k JOIN street s ON s.code = k`;
}

/** The offset the inspection rollups' days are cut at; rebuilding them at another ($1). */
export const ROLLUP_CUT_SQL = `SELECT offset_minutes FROM inspection_daily_cut`;
export const REBUILD_ROLLUPS_SQL = [
  `LOCK TABLE inspection_daily, inspection_daily_cut IN EXCLUSIVE MODE`,
  `UPDATE inspection_daily_cut SET offset_minutes = $1`,
  `DELETE FROM inspection_daily`,
  `INSERT INTO inspection_daily (day, group_kind, group_key, due, on_time, late, missed)
   SELECT floor((extract(epoch FROM d.due_at) + $1 * 60) / 86400)::int, c.group_kind, c.group_key, sum(c.due), sum(c.on_time), sum(c.late), sum(c.missed)
     FROM inspection_due d JOIN place pl ON pl.id = d.place_id, inspection_due_contribution(d, pl.street_code) c
    GROUP BY 1, 2, 3`,
] as const;

/** The cases failed items opened, of inspections made in the period, with the group (per person: the inspector). */
export function evaluationFailedSql(groupBy: InspectionGroupBy, scope: string): string {
  const key = groupBy === 'person' ? `i.inspector_id::text` : `pl.street_code`;
  return `
    SELECT ${key} AS key, pc.case_id
      FROM place_case pc JOIN inspection i ON i.id = pc.inspection_id JOIN place pl ON pl.id = pc.place_id
     WHERE i.created_at >= $1 AND i.created_at < $2 AND i.created_at <= $3 AND ${scope}`;
}

/** The streets (code, name) of the scope of an inspection plan by kind (alias `p`), as a jsonb array. */
export const PLAN_SCOPE_STREETS_SQL = `(SELECT coalesce(jsonb_agg(jsonb_build_object('code', s.code, 'name', s.name) ORDER BY s.code), '[]') FROM street s WHERE s.code = ANY(p.scope_street_codes))`;
