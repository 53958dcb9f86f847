/**
 * A new case from a report: what a report brings (ReportInput), what its checks found out about it
 * (AcceptedReport), the case row it becomes (reportRow) and whether it registers itself on arrival
 * (registersItself). Report intake (libs/reports) and the demo's simulated history build new cases
 * with the same rules.
 */
import type { CategoryKind, CoordSystem, ReportSource } from '@wangge/domain';
import type { Place } from '@wangge/geo';
import type { Actor } from './actor';
import type { CaseRow } from './case-row';

/** A new report, as `POST /cases` and Open311 `POST requests` deliver it. */
export interface ReportInput {
  categoryCode: string;
  description: string;
  /** Absent for a report located by its address only (Open311 `address_string`/`address_id`): an operator places it. */
  location?: { lng: number; lat: number };
  coordSystem?: CoordSystem;
  address?: string;
  /** The reporter's id of the address (Open311 `address_id`). */
  addressId?: string;
  /** Free label of the channel it came through (app, wechat, 12345, web…). */
  channel?: string;
  mediaIds?: string[];
  reporter?: { name?: string; phone?: string; email?: string };
  /** Which registration condition (立案条件) the reporter chose; default the first. */
  conditionNo?: number;
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
  /** null: located by address only (no cell, no duplicate search, never registered on arrival). */
  point: LngLat | null;
  place: Place | null;
  /** The open case this one probably repeats (nearby, same category, recent), if any. */
  duplicate: string | null;
  /** Whether it registers itself on arrival (no operator needed). */
  registers: boolean;
}

/** The new case as CASE_SELECT would read it (its code is filled in once drawn). */
export function reportRow(r: { id: string; input: ReportInput; actor: Actor; source: ReportSource; accepted: AcceptedReport; now: Date }): CaseRow {
  const { input, accepted: c, now } = r;
  const { place } = c;
  return {
    id: r.id,
    code: '',
    status: c.registers ? 'registered' : 'reported',
    category_code: c.category.code,
    category_kind: c.category.kind,
    category_name: c.category.name,
    category_name_en: c.category.name_en,
    standard_id: c.standardId,
    description: input.description,
    address: input.address ?? null,
    address_id: input.addressId ?? null,
    lng: c.point?.lng ?? null,
    lat: c.point?.lat ?? null,
    reported_coord_system: input.coordSystem ?? 'wgs84',
    grid_cell_code: place?.gridCell.code ?? null,
    street_code: place?.street.code ?? null,
    street_name: place?.street.name ?? null,
    community_code: place?.community.code ?? null,
    community_name: place?.community.name ?? null,
    road_id: place?.road?.id ?? null,
    road_name: place?.road?.name ?? null,
    segment_id: place?.road?.segment.id ?? null,
    road_distance_m: place?.distanceM ?? null,
    source: r.source,
    channel: input.channel ?? null,
    reporter_id: r.actor.id,
    reporter_name: input.reporter?.name ?? null,
    reporter_phone: input.reporter?.phone ?? null,
    reporter_email: input.reporter?.email ?? null,
    check_requested: false,
    check_passed: null,
    assignee_chief_id: null,
    assignee_name: null,
    assignee_level: null,
    assignee_department_code: null,
    assignee_department_name: null,
    coordinator_chief_id: null,
    coordinator_name: null,
    coordinator_level: null,
    escalation_level: 0,
    escalated_to: [],
    routing_reason: null,
    routing_reason_zh: null,
    deadline_at: null,
    overdue: false,
    extension_count: 0,
    extension_requested_hours: null,
    suspend_requested_until: null,
    suspend_requested_reason: null,
    suspended_at: null,
    suspended_until: null,
    suspend_reason: null,
    suspend_clock: null,
    suspend_left_ms: null,
    suspend_check_left_ms: null,
    suspend_overdue: false,
    rework_count: 0,
    supervision: null,
    possible_duplicate_of: c.duplicate,
    merged_into: null,
    public_note: null,
    dispatched_at: null,
    accepted_at: null,
    resolved_at: null,
    closed_at: null,
    created_at: now,
    updated_at: now,
    next_check_at: null,
    verify_deadline_at: null,
    verify_overdue: false,
    check_assigned: false,
    check_warden_id: null,
    created_key: '',
  };
}

/**
 * Warden reports (and other configured sources) register themselves when the category allows and a
 * condition matches; a leader's own case (批示件) is registered at once: it is an order, not a report to judge.
 */
export function registersItself(
  report: { source: ReportSource; categoryAllows: boolean; hasCondition: boolean; duplicate: string | null },
  rules: { autoRegisterSources: readonly string[] },
): boolean {
  if (report.source === 'leader') return true;
  return rules.autoRegisterSources.includes(report.source) && report.categoryAllows && report.hasCondition && report.duplicate === null;
}
