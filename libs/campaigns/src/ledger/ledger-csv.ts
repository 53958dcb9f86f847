import { csvField } from '@wangge/audit';
import type { CampaignLedger } from '../campaign.types';
import { ledgerTable, type LedgerCell } from './ledger-table';

/** The ledger as CSV: UTF-8 with a BOM, CRLF lines, formula-safe fields (the audit trail's writer). */
export function ledgerCsv(ledger: CampaignLedger): string {
  const { columns, rows } = ledgerTable(ledger);
  const line = (cells: readonly LedgerCell[]) => cells.map((c) => csvField(c === null ? '' : String(c))).join(',');
  return `\uFEFF${[line(columns.map((c) => c.header)), ...rows.map(line)].join('\r\n')}\r\n`;
}
