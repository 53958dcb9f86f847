/** The SQL of the stage limits a district sets (`stage_limit`, owned by the workflow). */

/**
 * The limit in minutes of stage `stage` at instant `at` (SQL expressions): the latest value set in
 * effect then, else `fallback` (the environment's default). Uncorrelated: Postgres runs it once per
 * statement, so a batch of reports reads it once.
 */
export const currentStageLimitSql = (stage: string, at: string, fallback: string): string =>
  `coalesce((SELECT l.minutes FROM stage_limit l WHERE l.stage = ${stage} AND l.effective_from <= ${at} ORDER BY l.effective_from DESC, l.id DESC LIMIT 1), ${fallback})`;

/** $1 at: each stage's latest value in effect (stages never set: no row). */
export const CURRENT_STAGE_LIMITS_SQL = `
  SELECT DISTINCT ON (l.stage) l.stage, l.minutes, l.effective_from, l.set_by, l.set_by_name
    FROM stage_limit l WHERE l.effective_from <= $1
   ORDER BY l.stage, l.effective_from DESC, l.id DESC`;

/** Every value set, newest first (the history the admin tab shows). */
export const STAGE_LIMIT_HISTORY_SQL = `
  SELECT l.stage, l.minutes, l.effective_from, l.set_by, l.set_by_name FROM stage_limit l ORDER BY l.effective_from DESC, l.id DESC LIMIT 200`;

/** Sets a stage's limit from $4: $1 stage, $2 minutes, $3 by (user id), $4 at, $5 name. */
export const INSERT_STAGE_LIMIT_SQL = `
  INSERT INTO stage_limit (stage, minutes, set_by, effective_from, set_by_name) VALUES ($1, $2, $3, $4, $5)`;
