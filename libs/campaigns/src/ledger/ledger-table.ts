import type { CampaignLedger, ItemState, MilestoneState } from '../campaign.types';

export type LedgerCell = string | number | null;

export const STATE_NAMES: Record<ItemState | MilestoneState, { zh: string; en: string }> = {
  not_started: { zh: '未开始', en: 'not started' },
  in_progress: { zh: '推进中', en: 'in progress' },
  overdue: { zh: '超期', en: 'overdue' },
  done: { zh: '完成', en: 'done' },
  pending: { zh: '未到期', en: 'pending' },
  withdrawn: { zh: '已撤出', en: 'withdrawn' },
};

/** A ledger column: its key (as in the JSON row; `milestones.<code>.dueAt` for a milestone's) and bilingual header. */
export interface LedgerColumn {
  key: string;
  header: string;
}

/**
 * The ledger as one table, for the CSV and the XLSX alike, with the JSON's own values: states by
 * their codes, instants as ISO 8601 text, an empty cell for none. One row per item, a withdrawn
 * one too (state `withdrawn`, with when and why).
 */
export function ledgerTable(ledger: CampaignLedger): { columns: LedgerColumn[]; rows: LedgerCell[][] } {
  const columns: LedgerColumn[] = [
    { key: 'itemId', header: '条目 Item' },
    { key: 'place', header: '点位 Place' },
    { key: 'placeKind', header: '类型 Kind' },
    { key: 'street', header: '街道 Street' },
    { key: 'owner', header: '责任人 Owner' },
    { key: 'state', header: '状态 State' },
    { key: 'percent', header: '进度% Percent' },
    ...ledger.milestones.flatMap((ms) => [
      { key: `milestones.${ms.code}.dueAt`, header: `${ms.name} 时限 due (${ms.code})` },
      { key: `milestones.${ms.code}.doneAt`, header: `${ms.name} 完成 done (${ms.code})` },
    ]),
    { key: 'lastProgressAt', header: '最近进展时间 Last progress at' },
    { key: 'lastProgressNote', header: '最近进展 Last progress' },
    { key: 'lastProgressBy', header: '填报人 Reported by' },
    { key: 'withdrawnAt', header: '撤出时间 Withdrawn at' },
    { key: 'withdrawnReason', header: '撤出原因 Withdrawn because' },
  ];
  const rows = ledger.rows.map((r) => [
    r.itemId,
    r.place,
    r.placeKind,
    r.street,
    r.owner,
    r.state,
    r.percent,
    ...ledger.milestones.flatMap((ms) => [r.milestones[ms.code]?.dueAt ?? null, r.milestones[ms.code]?.doneAt ?? null]),
    r.lastProgressAt,
    r.lastProgressNote,
    r.lastProgressBy,
    r.withdrawnAt,
    r.withdrawnReason,
  ]);
  return { columns, rows };
}

/** `ledger-<campaign id>.csv`. */
export function ledgerFileName(ledger: CampaignLedger, ext: 'csv' | 'xlsx' | 'json'): string {
  return `ledger-${ledger.campaign.id}.${ext}`;
}
