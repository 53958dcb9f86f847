import type { CaseView } from '@wangge/workflow';

export type { AcceptedReport, CategoryRow, LngLat, ReportInput } from '@wangge/workflow';

/** What a reporter gets back: the case, and the token that lets them follow it without an account. */
export type ReportReceipt = CaseView & { trackingToken: string };

export interface ReportResult {
  statusCode: 201;
  body: ReportReceipt;
  /** true when the answer is the stored one of an earlier request with the same Idempotency-Key. */
  replayed: boolean;
}

