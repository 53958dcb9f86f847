import ExcelJS from 'exceljs';
import type { BulletinDocument } from '../bulletin.types';
import { bulletinSections, type ColumnType } from './bulletin-tables';
import { localDateTime } from './labels';

const SHEET_NAMES: Record<string, string> = {
  summary: '通报 Bulletin',
  totals: '全区 Totals',
  chiefs: '路长 Chiefs',
  streets: '街道 Streets',
  departments: '部门 Departments',
  overdue: '超期 Overdue',
  hotspots: '热点 Hotspots',
};

const NUMBER_FORMATS: Partial<Record<ColumnType, string>> = {
  integer: '0',
  number: '0.00',
  rate: '0.0%',
  hours: '0.0',
};

/**
 * The bulletin as an Excel workbook: one sheet per section, a bilingual header row, numbers as
 * number cells (rates as fractions shown as percentages), instants as local 'YYYY-MM-DD HH:MM'
 * text in the district's time zone.
 */
export async function bulletinXlsx(doc: BulletinDocument, offsetMinutes: number): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Wangge 网格';
  workbook.created = new Date(doc.generatedAt);
  workbook.title = `${doc.title.zh} / ${doc.title.en}`;
  for (const section of bulletinSections(doc)) {
    // Excel allows 31 characters in a sheet's name.
    const name = SHEET_NAMES[section.id] ?? `${section.title.zh} ${section.title.en}`.slice(0, 31);
    const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = section.columns.map((c) => ({
      header: `${c.label.zh}\n${c.label.en}`,
      key: c.key,
      width: Math.max(10, Math.min(40, c.label.en.length + 4)),
      style: NUMBER_FORMATS[c.type] ? { numFmt: NUMBER_FORMATS[c.type] } : {},
    }));
    const header = sheet.getRow(1);
    header.font = { bold: true };
    header.alignment = { wrapText: true, vertical: 'middle' };
    for (const row of section.rows) {
      sheet.addRow(row.map((value, i) => (section.columns[i].type === 'datetime' && typeof value === 'string' ? localDateTime(value, offsetMinutes) : value)));
    }
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
