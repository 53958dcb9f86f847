import type { ChiefLevel } from '@wangge/domain';
import { readCsvRows } from './csv-rows';
import { issue, WHOLE_FILE, type Issue, type RecordRef } from './import-issue';

/** The chiefs CSV header: these columns, any order, `deputy` optional, other columns ignored. */
export const CHIEF_COLUMNS = ['username', 'name', 'phone', 'level', 'scope'] as const;
export const CHIEF_OPTIONAL_COLUMNS = ['deputy'] as const;
type Column = (typeof CHIEF_COLUMNS)[number] | (typeof CHIEF_OPTIONAL_COLUMNS)[number];

/** Same rule as the app_user table. */
export const USERNAME_PATTERN = /^[A-Za-z0-9_.@-]{2,64}$/;
const PHONE_PATTERN = /^[0-9+\-() ]{3,32}$/;
const MAX_NAME_LENGTH = 100;

/** One data line of the chiefs CSV, checked on its own. */
export interface ChiefLine extends RecordRef {
  username: string;
  name: string;
  phone: string | null;
  level: ChiefLevel;
  /** A road name or roadId, a segmentId, a 12-digit community code or a 9-digit street code. */
  scope: string;
  deputy: string | null;
}

/** Reads `username,name,phone,level,scope[,deputy]` (UTF-8, comma separated, quoted as RFC 4180). */
export function readChiefLines(file: { name: string; index: number }, text: string): { lines: ChiefLine[]; issues: Issue[]; records: number } {
  const whole: RecordRef = { file: file.name, fileIndex: file.index, at: -1, label: WHOLE_FILE };
  const read = readCsvRows(text);
  if ('error' in read) return { lines: [], issues: [issue(whole, `not valid CSV (${read.error})`)], records: 0 };
  const rows = read.rows;
  const [header, ...data] = rows;
  if (!header) return { lines: [], issues: [issue(whole, 'empty file: expected the header username,name,phone,level,scope[,deputy]')], records: 0 };

  const headerRef: RecordRef = { ...whole, label: `line ${header.line} (header)` };
  const columns = header.values.map((v) => v.toLowerCase());
  const missing = CHIEF_COLUMNS.filter((c) => !columns.includes(c));
  const repeated = columns.filter((c, i) => c !== '' && columns.indexOf(c) !== i);
  const headerProblems = [
    ...(missing.length > 0 ? [`missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: the header must be username,name,phone,level,scope[,deputy]`] : []),
    ...(repeated.length > 0 ? [`column ${repeated.join(', ')} appears twice in the header`] : []),
  ];
  if (headerProblems.length > 0) return { lines: [], issues: headerProblems.map((p) => issue(headerRef, p)), records: data.length };

  const at = new Map<Column, number>();
  for (const c of [...CHIEF_COLUMNS, ...CHIEF_OPTIONAL_COLUMNS]) {
    if (columns.includes(c)) at.set(c, columns.indexOf(c));
  }
  const lines: ChiefLine[] = [];
  const issues: Issue[] = [];
  for (const row of data) {
    const value = (c: Column): string => {
      const i = at.get(c);
      return i === undefined ? '' : (row.values[i] ?? '');
    };
    const parsed = readLine(value);
    const username = value('username');
    const ref: RecordRef = { ...whole, at: row.line, label: username ? `line ${row.line} (username ${username})` : `line ${row.line}` };
    if ('problems' in parsed) issues.push(...parsed.problems.map((p) => issue(ref, p)));
    else lines.push({ ...ref, ...parsed });
  }
  return { lines, issues, records: data.length };
}

type LineValues = Pick<ChiefLine, 'username' | 'name' | 'phone' | 'level' | 'scope' | 'deputy'>;

function readLine(value: (c: Column) => string): LineValues | { problems: string[] } {
  const problems: string[] = [];
  const username = value('username');
  if (!username) problems.push('missing username');
  else if (!USERNAME_PATTERN.test(username)) problems.push(`username "${username}" may only hold letters, digits and _ . @ - (2 to 64 characters)`);
  const name = value('name');
  if (!name) problems.push('missing name');
  else if (name.length > MAX_NAME_LENGTH) problems.push(`name is longer than ${MAX_NAME_LENGTH} characters`);
  const phone = value('phone');
  if (phone && !PHONE_PATTERN.test(phone)) problems.push(`phone "${phone}" is not a phone number`);
  const levelText = value('level');
  const level = levelText === '1' ? 1 : levelText === '2' ? 2 : levelText === '3' ? 3 : null;
  if (!levelText) problems.push('missing level');
  else if (level === null) problems.push(`level "${levelText}" must be 1, 2 or 3 (1 district, 2 street, 3 segment or community)`);
  const scope = value('scope');
  if (!scope) problems.push('missing scope');
  const deputy = value('deputy');
  if (deputy && !USERNAME_PATTERN.test(deputy)) problems.push(`deputy "${deputy}" is not a username`);
  else if (deputy && deputy === username) problems.push('a chief cannot be their own deputy');
  if (problems.length > 0 || level === null) return { problems };
  return { username, name, phone: phone || null, level, scope, deputy: deputy || null };
}
