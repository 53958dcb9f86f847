import type { CategoryKind, CoordSystem } from '@wangge/domain';
import type { Place } from '@wangge/geo';
import type { CaseView } from '@wangge/workflow';

/** A new report, as `POST /cases` and Open311 `POST requests` deliver it. */
export interface ReportInput {
  categoryCode: string;
  description: string;
  location: { lng: number; lat: number };
  coordSystem?: CoordSystem;
  address?: string;
  /** Free label of the channel it came through (app, wechat, 12345, web…). */
  channel?: string;
  mediaIds?: string[];
  reporter?: { name?: string; phone?: string; email?: string };
  /** Which registration condition (立案条件) the reporter chose; default the first. */
  conditionNo?: number;
}

/** What a reporter gets back: the case, and the token that lets them follow it without an account. */
export type ReportReceipt = CaseView & { trackingToken: string };

export interface ReportResult {
  statusCode: 201;
  body: ReportReceipt;
  /** true when the answer is the stored one of an earlier request with the same Idempotency-Key. */
  replayed: boolean;
}

/** A point in WGS84. */
export interface LngLat {
  lng: number;
  lat: number;
}

export interface CategoryRow {
  code: string;
  kind: CategoryKind;
  name: string;
  name_en: string;
  auto_register: boolean;
  active: boolean;
}

/** A report that passed its checks: what the checks found out about it. */
export interface AcceptedReport {
  category: CategoryRow;
  standardId: number | null;
  point: LngLat;
  place: Place;
  /** The open case this one probably repeats (nearby, same category, recent), if any. */
  duplicate: string | null;
  /** Whether it registers itself on arrival (no operator needed). */
  registers: boolean;
}
