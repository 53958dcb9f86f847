import type { Jurisdiction } from '@wangge/auth';

/** The statuses of a case still being worked on (the partial indexes on case_file use the same list). */
export const OPEN_CASE_STATUSES_SQL = `('reported', 'registered', 'dispatched', 'in_progress', 'resolved')`;

/**
 * The caller's jurisdiction as a condition on case alias `t`, starting with AND (the same rule as
 * case lists, by place): nothing for the district, the street, a warden's cells, a chief's
 * assignments and escalations; no case at all for a caller with no jurisdiction.
 */
export function caseScopeSql(t: string, j: Jurisdiction, p: (v: unknown) => string): string {
  switch (j.kind) {
    case 'district':
      return '';
    case 'none':
      return 'AND false';
    case 'street':
      return `AND ${t}.street_code = ${p(j.streetCode)}`;
    case 'cells':
      return `AND ${t}.grid_cell_code = ANY(${p([...j.cellCodes])}::text[])`;
    case 'chief': {
      const id = p(j.chiefId);
      return `AND (${t}.assignee_chief_id = ${id} OR ${id} = ANY(${t}.escalated_to))`;
    }
  }
}
