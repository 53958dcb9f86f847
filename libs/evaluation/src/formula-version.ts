/**
 * Which stored version of a versioned formula a report uses (docs/evaluation.md, "Formula versions"):
 * the one asked for, else the version in force at the period's last instant (the latest
 * `effective_from` at or before it). One rule for every formula table: the cases' `evaluation_formula`
 * and the field work's `field_formula` (places). Each table has `version, weights, effective_from,
 * note`; `table` is a trusted identifier, never input.
 */
export function formulaVersionSql(table: string, by: 'version' | 'in_force'): string {
  const select = `SELECT version, weights, effective_from, note FROM ${table}`;
  return by === 'version' ? `${select} WHERE version = $1` : `${select} WHERE effective_from <= $1 ORDER BY effective_from DESC, version DESC LIMIT 1`;
}

/** The instant whose formula is in force for a period [from, to): its last millisecond. */
export function formulaInstantOf(to: Date): Date {
  return new Date(to.getTime() - 1);
}
