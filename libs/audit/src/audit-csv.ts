import type { AuditView } from './audit-record';

const COLUMNS = ['at', 'actor_id', 'actor_username', 'action', 'entity', 'entity_id', 'street_code', 'before', 'after'] as const;

/** RFC 4180 field: quoted when it holds a comma, quote or line break; a leading = + - @ is escaped against spreadsheet formulas. */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The audit trail as CSV (UTF-8 with a BOM, so spreadsheet programs read the Chinese right), CRLF lines. */
export function auditCsv(entries: readonly AuditView[]): string {
  const lines = [COLUMNS.join(',')];
  for (const e of entries) {
    lines.push(
      [
        e.at,
        e.actor.id ?? '',
        e.actor.username,
        e.action,
        e.entity,
        e.entityId ?? '',
        e.streetCode ?? '',
        e.before == null ? '' : JSON.stringify(e.before),
        e.after == null ? '' : JSON.stringify(e.after),
      ]
        .map(csvField)
        .join(','),
    );
  }
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}
