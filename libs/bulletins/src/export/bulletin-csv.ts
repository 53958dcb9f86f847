import type { BulletinDocument } from '../bulletin.types';
import { bulletinSections, type Cell } from './bulletin-tables';

/**
 * The bulletin as CSV (RFC 4180, UTF-8 with a byte-order mark so spreadsheet programs read the
 * Chinese, CRLF line ends). One block per section: a line `section,<id>,<title zh en>`, a header
 * line of bilingual column labels, the rows, then an empty line. Values are the JSON document's:
 * rates as fractions, instants as ISO 8601, an empty field for none. A text that a spreadsheet
 * would run as a formula (starting with = + - @) is prefixed with an apostrophe.
 */
export function bulletinCsv(doc: BulletinDocument): string {
  const lines: string[] = [];
  for (const section of bulletinSections(doc)) {
    lines.push(csvLine(['section', section.id, `${section.title.zh} ${section.title.en}`]));
    lines.push(csvLine(section.columns.map((c) => `${c.label.zh} ${c.label.en}`)));
    for (const row of section.rows) lines.push(csvLine(row));
    lines.push('');
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

function csvLine(cells: readonly Cell[]): string {
  return cells.map(csvField).join(',');
}

function csvField(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
