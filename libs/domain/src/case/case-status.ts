/** Where a case is in the closed loop (domain.md section 2). */
export const CASE_STATUSES = [
  'reported',
  'registered',
  'dispatched',
  'in_progress',
  'resolved',
  'closed',
  'rejected',
  'merged',
  'cancelled',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** Terminal states. Open311 `status` is `closed` for exactly these, `open` otherwise. */
export const TERMINAL_STATUSES: readonly CaseStatus[] = ['closed', 'rejected', 'merged', 'cancelled'];

export const OPEN_STATUSES: readonly CaseStatus[] = CASE_STATUSES.filter((s) => !TERMINAL_STATUSES.includes(s));

export function isCaseStatus(value: unknown): value is CaseStatus {
  return typeof value === 'string' && (CASE_STATUSES as readonly string[]).includes(value);
}

export function isOpenStatus(status: CaseStatus): boolean {
  return !TERMINAL_STATUSES.includes(status);
}

/** The one mapping to Open311's two states. */
export function open311Status(status: CaseStatus): 'open' | 'closed' {
  return isOpenStatus(status) ? 'open' : 'closed';
}

export const CASE_STATUS_NAMES: Record<CaseStatus, { zh: string; en: string }> = {
  reported: { zh: '已上报', en: 'reported' },
  registered: { zh: '已立案', en: 'registered' },
  dispatched: { zh: '已派遣', en: 'dispatched' },
  in_progress: { zh: '处置中', en: 'in progress' },
  resolved: { zh: '已处置待核查', en: 'resolved, awaiting verification' },
  closed: { zh: '已结案', en: 'closed' },
  rejected: { zh: '不予立案', en: 'rejected' },
  merged: { zh: '已合并', en: 'merged' },
  cancelled: { zh: '已作废', en: 'cancelled' },
};
