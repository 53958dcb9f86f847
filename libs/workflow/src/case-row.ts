import type { CaseEventType, CaseStatus, ClockType, ReportSource } from '@wangge/domain';
import type { EventState } from '@wangge/events';
import type { SuspensionState } from './suspension';
import type { CaseState } from './transition';
import type { Supervision } from './orders/leader-order';

/** One case as `CASE_SELECT` reads it. */
export interface CaseRow {
  id: string;
  code: string;
  status: CaseStatus;
  category_code: string;
  category_kind: 'component' | 'event';
  category_name: string;
  category_name_en: string;
  standard_id: number | null;
  description: string;
  address: string | null;
  /** The address id a report gave (Open311 `address_id`), if any. */
  address_id: string | null;
  /** null (with the cell, street and community) for a case reported by address only, until an operator places it. */
  lng: number | null;
  lat: number | null;
  reported_coord_system: string;
  grid_cell_code: string | null;
  street_code: string | null;
  street_name: string | null;
  community_code: string | null;
  community_name: string | null;
  road_id: number | null;
  road_name: string | null;
  segment_id: number | null;
  road_distance_m: number | null;
  source: ReportSource;
  channel: string | null;
  reporter_id: string | null;
  reporter_name: string | null;
  reporter_phone: string | null;
  reporter_email: string | null;
  check_requested: boolean;
  check_passed: boolean | null;
  assignee_chief_id: number | null;
  assignee_name: string | null;
  assignee_level: number | null;
  /** A department's case (domain.md 9): the department and the road chief who coordinates it. */
  assignee_department_code: string | null;
  assignee_department_name: string | null;
  coordinator_chief_id: number | null;
  coordinator_name: string | null;
  coordinator_level: number | null;
  escalation_level: number;
  escalated_to: number[];
  routing_reason: string | null;
  routing_reason_zh: string | null;
  deadline_at: Date | null;
  overdue: boolean;
  extension_count: number;
  extension_requested_hours: string | null;
  rework_count: number;
  possible_duplicate_of: string | null;
  merged_into: string | null;
  public_note: string | null;
  dispatched_at: Date | null;
  accepted_at: Date | null;
  resolved_at: Date | null;
  closed_at: Date | null;
  created_at: Date;
  updated_at: Date;
  next_check_at: Date | null;
  verify_deadline_at: Date | null;
  verify_overdue: boolean;
  /** 挂账 (suspension.ts): the pending request and the suspension in force. */
  suspend_requested_until: Date | null;
  suspend_requested_reason: string | null;
  suspended_at: Date | null;
  suspended_until: Date | null;
  suspend_reason: string | null;
  suspend_clock: ClockType | null;
  /** bigint as text */
  suspend_left_ms: string | null;
  suspend_check_left_ms: string | null;
  suspend_overdue: boolean;
  /** An open check task (核查/核实) and its warden (null: the operator's); see case-stages. */
  check_assigned: boolean;
  check_warden_id: string | null;
  /** The limit the case is timed against now (traffic-light.ts `currentLimit`), kept by CaseLimitService (absent: a new report, not timed). */
  limit_clock?: ClockType | null;
  limit_started_at?: Date | null;
  limit_ends_at?: Date | null;
  /** A leader's latest supervision (督办, orders/leader-order.ts `Supervision`); shown while the case is open. */
  supervision: Supervision | null;
  /** created_at as PostgreSQL text (microseconds kept), for cursors. */
  created_key: string;
}

/** A case that has its place (every case but an address-only report waiting to be placed). */
export type PlacedCaseRow = CaseRow & {
  lng: number;
  lat: number;
  grid_cell_code: string;
  street_code: string;
  street_name: string;
  community_code: string;
  community_name: string;
};

/** Whether the case has its place (a point, its cell, street and community). */
export function isPlaced(row: CaseRow): row is PlacedCaseRow {
  return row.lng !== null && row.lat !== null && row.grid_cell_code !== null && row.street_code !== null && row.community_code !== null;
}

/**
 * The case with its names, as every read and every event snapshot needs it, read from `source` (the
 * table, or a CTE over it such as an `UPDATE … RETURNING *`), with `extra` columns and joins.
 */
export function caseSelectFrom(source: string, extra: { columns?: string; joins?: string } = {}): string {
  return `
  SELECT c.id, c.code, c.status, c.category_code, cat.kind AS category_kind, cat.name AS category_name, cat.name_en AS category_name_en,
         c.standard_id, c.description, c.address, c.address_id, ST_X(c.location) AS lng, ST_Y(c.location) AS lat, c.reported_coord_system,
         c.grid_cell_code, c.street_code, s.name AS street_name, c.community_code, m.name AS community_name,
         c.road_id, r.name AS road_name, c.segment_id, c.road_distance_m, c.source, c.channel,
         c.reporter_id, c.reporter_name, c.reporter_phone, c.reporter_email, c.check_requested, c.check_passed,
         c.assignee_chief_id, au.name AS assignee_name, ac.level AS assignee_level, c.escalation_level, c.escalated_to,
         c.assignee_department_code, dep.name AS assignee_department_name, c.coordinator_chief_id, cu.name AS coordinator_name, cc.level AS coordinator_level,
         c.routing_reason, c.routing_reason_zh, c.deadline_at, c.overdue, c.extension_count, c.extension_requested_hours,
         c.rework_count, c.possible_duplicate_of, c.merged_into, c.public_note,
         c.dispatched_at, c.accepted_at, c.resolved_at, c.closed_at, c.created_at, c.updated_at, c.next_check_at, c.verify_deadline_at, c.verify_overdue,
         c.check_assigned, c.check_warden_id, c.limit_clock, c.limit_started_at, c.limit_ends_at, c.supervision,
         c.suspend_requested_until, c.suspend_requested_reason, c.suspended_at, c.suspended_until, c.suspend_reason,
         c.suspend_clock, c.suspend_left_ms, c.suspend_check_left_ms, c.suspend_overdue,
         c.created_at::text AS created_key${extra.columns ?? ''}
    FROM ${source} c
    JOIN category cat ON cat.code = c.category_code
    LEFT JOIN street s ON s.code = c.street_code
    LEFT JOIN community m ON m.code = c.community_code
    LEFT JOIN road r ON r.id = c.road_id
    LEFT JOIN road_chief ac ON ac.id = c.assignee_chief_id
    LEFT JOIN app_user au ON au.id = ac.user_id
    LEFT JOIN department dep ON dep.code = c.assignee_department_code
    LEFT JOIN road_chief cc ON cc.id = c.coordinator_chief_id
    LEFT JOIN app_user cu ON cu.id = cc.user_id${extra.joins ?? ''}`;
}

/** The case with its names, as every read and every event snapshot needs it. */
export const CASE_SELECT = caseSelectFrom('case_file');

export interface LastEventRow {
  type: CaseEventType;
  actor_id: string | null;
  reason: string | null;
  note: string | null;
  evidence: Record<string, unknown>;
  /** The case as it stood after that event (`case_event.state`). */
  state: Partial<EventState>;
}

export function toCaseState(row: CaseRow, last: LastEventRow | null): CaseState {
  return {
    id: row.id,
    status: row.status,
    streetCode: row.street_code,
    gridCellCode: row.grid_cell_code,
    reporterId: row.reporter_id,
    assigneeChiefId: row.assignee_chief_id,
    escalatedTo: row.escalated_to,
    assigneeDepartmentCode: row.assignee_department_code,
    coordinatorChiefId: row.coordinator_chief_id,
    checkRequested: row.check_requested,
    extensionCount: row.extension_count,
    extensionRequestedHours: row.extension_requested_hours === null ? null : Number(row.extension_requested_hours),
    reworkCount: row.rework_count,
    deadlineAt: row.deadline_at,
    overdue: row.overdue,
    nextCheckAt: row.next_check_at === null ? null : new Date(row.next_check_at),
    suspension: suspensionOf(row),
    checkAssigned: row.check_assigned,
    checkWardenId: row.check_warden_id,
    lastEvent: last
      ? { type: last.type, actorId: last.actor_id, reason: last.reason, note: last.note, evidence: last.evidence, formerChiefs: last.state?.formerChiefs ?? [] }
      : null,
  };
}

/** The suspension columns of a case row as the closed loop reads them. */
export function suspensionOf(row: CaseRow): SuspensionState {
  const date = (v: Date | string | null) => (v === null ? null : new Date(v));
  const num = (v: string | null) => (v === null ? null : Number(v));
  return {
    request: row.suspend_requested_until && row.suspend_requested_reason ? { reason: row.suspend_requested_reason, until: new Date(row.suspend_requested_until) } : null,
    suspendedAt: date(row.suspended_at),
    until: date(row.suspended_until),
    clockType: row.suspend_clock,
    leftMs: num(row.suspend_left_ms),
    checkLeftMs: num(row.suspend_check_left_ms),
    overdue: row.suspend_overdue,
  };
}
