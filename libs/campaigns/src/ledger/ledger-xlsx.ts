import ExcelJS from 'exceljs';
import type { CampaignLedger } from '../campaign.types';
import { ledgerTable } from './ledger-table';

/**
 * The ledger as an Excel workbook: one sheet, a bilingual header row (frozen), one row per item,
 * the JSON's values (the percentage a number cell, instants as ISO 8601 text), so the workbook
 * read back equals the JSON.
 */
export async function ledgerXlsx(ledger: CampaignLedger): Promise<Buffer> {
  const { columns, rows } = ledgerTable(ledger);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Wangge 网格';
  workbook.created = new Date(ledger.generatedAt);
  workbook.title = `${ledger.campaign.name} 台账 Ledger`;
  const sheet = workbook.addWorksheet('台账 Ledger', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({ header: c.header, key: c.key, width: Math.max(12, Math.min(40, c.header.length + 2)) }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
