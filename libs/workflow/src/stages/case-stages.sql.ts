/**
 * The SQL of the stages (case_stage), check tasks (case_file.check_*) and duty (staff_duty), owned
 * by the workflow. Reads app_user and warden_cell for names, cells and roles (data-ownership.md).
 */

/** $1 case id: the warden on duty in the case's cell nearest to the case (geography metres; no known place: last). */
export const NEAREST_ON_DUTY_WARDEN_SQL = `
  SELECT u.id, u.name, ST_Distance(d.location::geography, c.location::geography) AS distance_m
    FROM case_file c
    JOIN warden_cell wc ON wc.cell_code = c.grid_cell_code
    JOIN app_user u ON u.id = wc.user_id AND u.role = 'warden' AND u.active
    JOIN staff_duty d ON d.user_id = u.id AND d.on_duty
   WHERE c.id = $1
   ORDER BY distance_m ASC NULLS LAST, u.id
   LIMIT 1`;

/** $1 street code: the leaders (值班长) on duty over the street; none on duty: every active leader over it. */
export const LEADERS_ON_DUTY_SQL = `
  WITH over AS (
    SELECT u.id, u.name, coalesce(d.on_duty, false) AS on_duty FROM app_user u LEFT JOIN staff_duty d ON d.user_id = u.id
     WHERE u.role = 'leader' AND u.active AND (u.street_code IS NULL OR u.street_code = $1))
  SELECT id, name FROM over WHERE on_duty OR NOT EXISTS (SELECT 1 FROM over WHERE on_duty) ORDER BY name, id`;

/** Opens a stage unless one of its kind is open: $1 case, $2 stage, $3 post, $4 start, $5 due, $6 assignee. */
export const OPEN_STAGE_SQL = `
  INSERT INTO case_stage (case_id, stage, post, started_at, due_at, assignee_id)
  VALUES ($1, $2, $3, $4, $5, $6)
  ON CONFLICT (case_id, stage) WHERE ended_at IS NULL DO NOTHING
  RETURNING id`;

/** Ends the open stages named: $1 case, $2 stages, $3 at, $4 by (user id or null), $5 name, $6 automatic. */
export const END_STAGES_SQL = `
  UPDATE case_stage SET ended_at = greatest($3::timestamptz, started_at), ended_by = $4, ended_by_name = $5, automatic = $6
   WHERE case_id = $1 AND stage = ANY($2::text[]) AND ended_at IS NULL
  RETURNING stage`;

/**
 * $1 warden id: the cases of their cells whose open check the operators hold (given while no warden
 * was on duty), locked in id order. Only an active warden's cells count.
 */
export const OPERATOR_CHECKS_IN_CELLS_SQL = `
  SELECT c.id FROM case_file c
   WHERE c.check_assigned AND c.check_warden_id IS NULL
     AND c.grid_cell_code IN (
       SELECT wc.cell_code FROM warden_cell wc JOIN app_user u ON u.id = wc.user_id AND u.role = 'warden' AND u.active WHERE wc.user_id = $1)
   ORDER BY c.id
   FOR UPDATE OF c`;

/**
 * $1 case, $2 warden: gives the case's open operator-held check stage to the warden; answers its due
 * time, the warden's name and distance (from their last known place), or nothing when none is open.
 */
export const TAKE_OPERATOR_CHECK_SQL = `
  UPDATE case_stage s SET assignee_id = $2
    FROM case_file c, app_user u LEFT JOIN staff_duty d ON d.user_id = u.id
   WHERE s.case_id = $1 AND s.stage = 'check' AND s.ended_at IS NULL AND s.assignee_id IS NULL
     AND c.id = s.case_id AND u.id = $2
  RETURNING s.due_at, u.name, ST_Distance(d.location::geography, c.location::geography) AS distance_m`;
