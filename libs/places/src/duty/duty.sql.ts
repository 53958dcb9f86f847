/** The SQL of duty at places (duty_roster, duty_shift, duty_check_in), owned by libs/places. */

export const INSERT_ROSTER_SQL = `INSERT INTO duty_roster (place_id, created_by, created_at) VALUES ($1, $2, $3) RETURNING id`;

/** The roster's shifts ($2: jsonb [{from, to, userIds}]), check-in due $4 minutes after each start. */
export const INSERT_SHIFTS_SQL = `
  INSERT INTO duty_shift (roster_id, place_id, starts_at, ends_at, user_ids, check_by)
  SELECT $1, $3, (s->>'from')::timestamptz, (s->>'to')::timestamptz, ARRAY(SELECT jsonb_array_elements_text(s->'userIds'))::uuid[],
         (s->>'from')::timestamptz + make_interval(mins => $4)
    FROM jsonb_array_elements($2::jsonb) AS s
  RETURNING id, check_by`;

/** The person's shift at the place that is on at $3 (or begins within the hour), earliest first, locked. */
export const CURRENT_SHIFT_SQL = `
  SELECT id, check_by, checked_in_at FROM duty_shift
   WHERE place_id = $1 AND $2::uuid = ANY(user_ids) AND starts_at - interval '1 hour' <= $3 AND $3 < ends_at
   ORDER BY starts_at LIMIT 1 FOR UPDATE`;

/** A check-in on site: distance from the place's geometry (0 inside a polygon), geography metres; off-site beyond $6. */
export const INSERT_CHECK_IN_SQL = `
  INSERT INTO duty_check_in (shift_id, place_id, user_id, location, distance_m, off_site, on_time, created_at)
  SELECT $1, pl.id, $3, loc, d, d > $6, $7, $8
    FROM place pl
    CROSS JOIN LATERAL (SELECT ST_SetSRID(ST_MakePoint($4, $5), 4326) AS loc) l
    CROSS JOIN LATERAL (SELECT round(ST_Distance(pl.geom::geography, loc::geography)::numeric, 1) AS d) m
   WHERE pl.id = $2
  RETURNING id, shift_id, place_id, created_at, distance_m, off_site, on_time`;

export interface CheckInRow {
  id: string;
  shift_id: string;
  place_id: string;
  created_at: Date;
  distance_m: string;
  off_site: boolean;
  on_time: boolean;
}

/** Shifts whose check-in mark has not been made, by id after $3: every one ($1), or those due before $2. */
export const PENDING_SHIFTS_SQL = `
  SELECT id, check_by FROM duty_shift
   WHERE checked_in_at IS NULL AND missed_at IS NULL AND ($1::boolean OR check_by < $2) AND id > $3::uuid
   ORDER BY id LIMIT $4`;
