import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { CampaignLedger } from '../campaign.types';
import { ledgerCsv } from './ledger-csv';
import { ledgerXlsx } from './ledger-xlsx';

const ledger: CampaignLedger = {
  campaign: { id: 'c1', name: '市场外迁', kind: 'market_relocation', from: '2026-12-01T00:00:00.000Z', to: '2026-12-31T00:00:00.000Z', owner: '区领导', state: 'active', endedAt: null },
  generatedAt: '2026-12-07T00:00:00.000Z',
  milestones: [
    { code: 'survey', name: '摸清底数' },
    { code: 'close', name: '限期关停' },
  ],
  rows: [
    {
      itemId: 'i1',
      place: '=HYPERLINK("x") 市场, 东',
      placeKind: 'market',
      street: '410104001',
      owner: '张三',
      state: 'overdue',
      percent: 40,
      milestones: { survey: { dueAt: '2026-12-02T00:00:00.000Z', doneAt: '2026-12-01T10:00:00.000Z', state: 'done' }, close: null },
      lastProgressAt: '2026-12-01T10:00:00.000Z',
      lastProgressNote: '已摸清\n"底数"',
      lastProgressBy: '张三',
      withdrawnAt: null,
      withdrawnReason: null,
    },
    {
      itemId: 'i2',
      place: '北市场',
      placeKind: 'market',
      street: '410104001',
      owner: '李四',
      state: 'withdrawn',
      percent: 0,
      milestones: { survey: { dueAt: '2026-12-02T00:00:00.000Z', doneAt: null, state: 'pending' }, close: null },
      lastProgressAt: null,
      lastProgressNote: null,
      lastProgressBy: null,
      withdrawnAt: '2026-12-01T08:00:00.000Z',
      withdrawnReason: '市场已提前关闭',
    },
  ],
};

describe('ledger exports', () => {
  it('CSV: UTF-8 with a BOM, CRLF, quoted and formula-safe', () => {
    const csv = ledgerCsv(ledger);
    expect(csv.startsWith('\uFEFF条目 Item,点位 Place')).toBe(true);
    expect(csv).toContain(`i1,"'=HYPERLINK(""x"") 市场, 东",market,410104001,张三,overdue,40,2026-12-02T00:00:00.000Z,2026-12-01T10:00:00.000Z,,,`);
    expect(csv).toContain('"已摸清\n""底数"""');
    expect(csv.endsWith('\r\n')).toBe(true);
  });

  it('XLSX: one sheet whose rows read back as the JSON', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await ledgerXlsx(ledger)) as never);
    const sheet = wb.worksheets[0];
    const values = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
    expect(values(1)[0]).toBe('条目 Item');
    const row = values(2);
    const r = ledger.rows[0];
    expect(row.slice(0, 7)).toEqual([r.itemId, r.place, r.placeKind, r.street, r.owner, r.state, r.percent]);
    expect(row.slice(7, 9)).toEqual([r.milestones.survey!.dueAt, r.milestones.survey!.doneAt]);
    expect(row[9] ?? null).toBeNull();
    expect(row.slice(11)).toEqual([r.lastProgressAt, r.lastProgressNote, r.lastProgressBy]);
    const withdrawn = values(3);
    expect(withdrawn[5]).toBe('withdrawn');
    expect(withdrawn.slice(14)).toEqual(['2026-12-01T08:00:00.000Z', '市场已提前关闭']);
  });
});
