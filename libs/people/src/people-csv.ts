import { isRole, type Role } from '@wangge/domain';
import { readCsvRows } from '@wangge/import';

/**
 * The people CSV header (domain.md section 7): these columns, any order; other columns are refused.
 * `department` (the department code of an account of role department, domain.md 9) may be left out
 * (files written before it); the export always writes it.
 */
export const PEOPLE_COLUMNS = ['username', 'name', 'phone', 'role', 'street', 'cells', 'department'] as const;
const OPTIONAL_COLUMNS: readonly Column[] = ['department'];
type Column = (typeof PEOPLE_COLUMNS)[number];

/** Same rule as the app_user table. */
export const USERNAME_PATTERN = /^[A-Za-z0-9_.@-]{2,64}$/;
export const PHONE_PATTERN = /^[0-9+\-() ]{3,32}$/;
export const NAME_MAX = 100;
/** Rows per file: every account gets a hashed one-time password, so a file is a few hundred people. */
export const PEOPLE_IMPORT_MAX_ROWS = 500;
const CELL_PATTERN = /^[0-9]{15}$/;

/** One data row of the people CSV, as written (checked against the database later). */
export interface PersonLine {
  /** The line of the file (1 = the header). */
  line: number;
  username: string;
  name: string;
  phone: string | null;
  role: Role;
  /** A street code or a street's name, as written; empty for district-wide staff. */
  street: string | null;
  cells: string[];
  /** The department code, as written; null when empty or the column is absent. */
  department: string | null;
}

/** A row's problem: `field` is `line N` (and the username when there is one). */
export interface LineProblem {
  field: string;
  problem: string;
}

const at = (line: number, username?: string) => (username ? `line ${line} (${username})` : `line ${line}`);

/**
 * Reads `username,name,phone,role,street,cells[,department]` (UTF-8, comma separated, quoted as RFC 4180; cells
 * separated by `;` or spaces within their field). Every row is checked on its own and every problem
 * listed; the file is good only when there is none.
 */
export function readPeopleCsv(text: string): { lines: PersonLine[]; problems: LineProblem[] } {
  const read = readCsvRows(text);
  if ('error' in read) return { lines: [], problems: [{ field: 'file', problem: `not valid CSV (${read.error}) / 不是有效的 CSV` }] };
  const rows = read.rows;
  const [header, ...data] = rows;
  const expected = PEOPLE_COLUMNS.join(',');
  if (!header) return { lines: [], problems: [{ field: 'file', problem: `empty file: expected the header ${expected} / 文件为空` }] };
  const columns = header.values.map((v) => v.toLowerCase());
  const missing = PEOPLE_COLUMNS.filter((c) => !OPTIONAL_COLUMNS.includes(c) && !columns.includes(c));
  const unknown = columns.filter((c) => !(PEOPLE_COLUMNS as readonly string[]).includes(c));
  const repeated = columns.filter((c, i) => columns.indexOf(c) !== i);
  if (missing.length || unknown.length || repeated.length) {
    const problems = [
      ...(missing.length ? [`missing column ${missing.join(', ')}`] : []),
      ...(unknown.length ? [`unknown column ${unknown.join(', ')}`] : []),
      ...(repeated.length ? [`column ${repeated.join(', ')} appears twice`] : []),
    ];
    return { lines: [], problems: [{ field: at(header.line), problem: `${problems.join('; ')}: the header must be ${expected} / 表头应为 ${expected}` }] };
  }
  if (data.length === 0) return { lines: [], problems: [{ field: 'file', problem: 'no people in the file / 文件中没有人员' }] };
  if (data.length > PEOPLE_IMPORT_MAX_ROWS) {
    return { lines: [], problems: [{ field: 'file', problem: `at most ${PEOPLE_IMPORT_MAX_ROWS} people per file (this one has ${data.length}) / 每个文件最多 ${PEOPLE_IMPORT_MAX_ROWS} 人` }] };
  }

  const lines: PersonLine[] = [];
  const problems: LineProblem[] = [];
  const seen = new Map<string, number>();
  for (const row of data) {
    // A leading apostrophe before = + - @ is the export's guard against spreadsheet formulas: read it away.
    const get = (c: Column) => (columns.includes(c) ? (row.values[columns.indexOf(c)] ?? '') : '').trim().replace(/^'(?=[=+\-@])/, '');
    const username = get('username');
    const field = at(row.line, username || undefined);
    const mine: string[] = [];
    if (row.values.length > columns.length) mine.push(`${row.values.length} fields, the header has ${columns.length}`);
    if (!USERNAME_PATTERN.test(username)) mine.push('username must be 2-64 letters, digits or _ . @ -');
    else if (seen.has(username.toLowerCase())) mine.push(`username ${username} is also on line ${seen.get(username.toLowerCase())}`);
    else seen.set(username.toLowerCase(), row.line);
    const name = get('name');
    if (!name || name.length > NAME_MAX || /[<>]/.test(name)) mine.push(`name must be 1-${NAME_MAX} characters without < or >`);
    const phone = get('phone');
    if (phone && !PHONE_PATTERN.test(phone)) mine.push('phone must be 3-32 digits, spaces, + - ( )');
    const role = get('role').toLowerCase();
    if (!isRole(role)) mine.push(`role must be one of warden, department, operator, leader, admin, citizen (not ${JSON.stringify(role)})`);
    else if (role === 'chief') mine.push('road chiefs come from chiefs.csv (the chiefs import); set their password with reset-password');
    const street = get('street');
    const cells = get('cells').split(/[;\s]+/).filter(Boolean);
    const badCells = cells.filter((c) => !CELL_PATTERN.test(c));
    if (badCells.length) mine.push(`cells must be 15-digit grid cell codes (not ${badCells.join(', ')})`);
    if (mine.length) {
      problems.push({ field, problem: mine.join('; ') });
      continue;
    }
    const department = get('department');
    lines.push({ line: row.line, username, name, phone: phone || null, role: role as Role, street: street || null, cells: [...new Set(cells)], department: department || null });
  }
  return { lines, problems };
}

/** An account as the export writes it (the import's columns). */
export interface PersonExportRow {
  username: string;
  name: string;
  phone: string | null;
  role: Role;
  streetCode: string | null;
  cells: readonly string[];
  departmentCode: string | null;
}

/**
 * The people CSV that `readPeopleCsv` reads back (UTF-8 with a BOM, CRLF, the header of
 * {@link PEOPLE_COLUMNS}, cells separated by `;`): streets by code, departments by code. A text a
 * spreadsheet would run as a formula (= + - @ first) is prefixed with an apostrophe.
 */
export function writePeopleCsv(rows: readonly PersonExportRow[]): string {
  const field = (v: string | null) => {
    const text = v === null ? '' : /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = rows.map((r) => [r.username, r.name, r.phone, r.role, r.streetCode, r.cells.join(';'), r.departmentCode].map(field).join(','));
  return `\uFEFF${[PEOPLE_COLUMNS.join(','), ...lines].join('\r\n')}\r\n`;
}
