import type { CategoryKind, CoordSystem } from '@wangge/domain';
import type { Place } from '@wangge/geo';
import type { CaseView } from './case-query.service';

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

/** What the batch's checks statement says about one report (`n`: its 1-based place in the batch). */
export interface CheckRow {
  n: number;
  code: string | null;
  kind: CategoryKind;
  name: string;
  name_en: string;
  auto_register: boolean;
  active: boolean;
  standard_id: number | null;
  duplicate: string | null;
  request_hash: string | null;
  status_code: number | null;
  response: unknown;
  /** The code and first seqs of the case the stored answer names (the answer was stored before they were drawn). */
  stored_code: string | null;
  stored_seqs: string[] | null;
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
