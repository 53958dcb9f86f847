/**
 * The registration condition `$2` of category `$1` in the standard version in force on the
 * district's date `$3` — the same version `GET /categories` and Open311 `services` show.
 */
export const STANDARD_IN_FORCE_SQL = `
  WITH current AS (
    SELECT version FROM category_standard
     WHERE category_code = $1 AND effective_from <= $3::date AND (retired_at IS NULL OR retired_at > $3::date)
     ORDER BY version DESC LIMIT 1)
  SELECT s.id FROM category_standard s JOIN current ON s.version = current.version
   WHERE s.category_code = $1 AND s.condition_no = $2`;
