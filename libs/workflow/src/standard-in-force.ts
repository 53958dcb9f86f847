/**
 * The id of registration condition `condition` of category `category` in the standard version in
 * force on the district's date `day` (SQL expressions) — the same version `GET /categories` and
 * Open311 `services` show. A scalar subquery: NULL when there is no such condition.
 */
export const standardInForce = (category: string, condition: string, day: string) => `(
  SELECT s.id FROM category_standard s
   WHERE s.category_code = ${category} AND s.condition_no = ${condition}
     AND s.version = (SELECT v.version FROM category_standard v
                       WHERE v.category_code = ${category} AND v.effective_from <= ${day}
                         AND (v.retired_at IS NULL OR v.retired_at > ${day})
                       ORDER BY v.version DESC LIMIT 1))`;

/** `standardInForce` of category `$1`, condition `$2`, date `$3`: one row `{id}`, or none. */
export const STANDARD_IN_FORCE_SQL = `SELECT id FROM (SELECT ${standardInForce('$1', '$2::int', '$3::date')} AS id) s WHERE id IS NOT NULL`;
