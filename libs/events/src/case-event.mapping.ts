import type { CaseLight } from '@wangge/domain';
import type { CaseEventMessage } from './case-event.message';

/**
 * How a case event becomes its live-feed message: written by the producers (workflow, in the
 * event's own statement) and rebuilt by the feed when it replays `case_event`, so both sides build
 * it with this one function.
 */

/** The columns of a case row (`case_file`) that a feed message carries. */
export interface CaseEventSubject {
  id: string;
  code: string;
  /** null (with the cell and street): a case reported by address only, not yet placed. */
  lng: number | string | null;
  lat: number | string | null;
  grid_cell_code: string | null;
  street_code: string | null;
  category_code: string;
  /** Who reported the case (routing data of the feed: a reporter's own cases; not sent to clients). */
  reporter_id: string | null;
}

/** The case as it stood after an event (`case_event.state`). */
export interface EventState {
  assignee: { id: number; name: string; level: number } | null;
  /** A department's case: the department handling it and the chief coordinating it (absent in events written before departments). */
  department?: { code: string; name: string } | null;
  coordinator?: { id: number; name: string; level: number } | null;
  /** The department that had the case before this event. */
  formerDepartment?: string | null;
  escalationLevel: number;
  escalatedTo: number[];
  deadlineAt: string | null;
  overdue: boolean;
  /** Chiefs the case was assigned or escalated to before this event. */
  formerChiefs: number[];
  /** The traffic light at the event's time (null: the case was timed by no limit). */
  light: CaseLight | null;
}

/** The state of the first events of a case (written by the report statement, which stores no state). */
export const INITIAL_EVENT_STATE: EventState = { assignee: null, escalationLevel: 0, escalatedTo: [], deadlineAt: null, overdue: false, formerChiefs: [], light: null };

/** The chiefs who see a case in a state: its assignee, its coordinator and the chiefs it was escalated to. */
export function chiefsOf(state: Partial<EventState>): number[] {
  const chiefs = new Set<number>(state.escalatedTo ?? []);
  if (state.assignee) chiefs.add(state.assignee.id);
  if (state.coordinator) chiefs.add(state.coordinator.id);
  return [...chiefs];
}

/** The live-feed message of one event (also used to replay events from `case_event`). */
export function toCaseEventMessage(
  row: CaseEventSubject,
  event: { seq: number; type: CaseEventMessage['type']; at: Date | string; actorId: string | null; actorRole: string; status: CaseEventMessage['status'] },
  state: Partial<EventState>,
): CaseEventMessage {
  const full = { ...INITIAL_EVENT_STATE, ...state };
  return {
    seq: event.seq,
    caseId: row.id,
    code: row.code,
    type: event.type,
    status: event.status,
    at: new Date(event.at).toISOString(),
    actor: { id: event.actorId, role: event.actorRole },
    assignee: full.assignee,
    department: full.department ? { kind: 'department', code: full.department.code, name: full.department.name } : null,
    coordinator: full.coordinator ?? null,
    formerDepartment: full.formerDepartment ?? null,
    escalationLevel: full.escalationLevel,
    escalatedTo: full.escalatedTo,
    formerChiefs: full.formerChiefs,
    reporterId: row.reporter_id,
    deadlineAt: full.deadlineAt,
    overdue: full.overdue,
    light: full.light?.light ?? null,
    limitUsed: full.light ? roundShare(full.light.share) : null,
    location: row.lng === null || row.lat === null ? null : { lng: Number(row.lng), lat: Number(row.lat) },
    gridCode: row.grid_cell_code,
    streetCode: row.street_code,
    categoryCode: row.category_code,
  };
}

/** A share of a limit as messages and views show it: 4 decimals (0.8125 = 81.25 %). */
export function roundShare(share: number): number {
  return Math.round(share * 10_000) / 10_000;
}
