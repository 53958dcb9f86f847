import type { CaseEventType, CaseStatus, TrafficLight } from '@wangge/domain';

/**
 * What the live feed streams for every case event (domain.md 4.5, `case.event`). Built once, in
 * the transaction that writes the event, from the event's own snapshot of the case, so a replay
 * from `case_event` gives the very same message.
 */
export interface CaseEventMessage {
  seq: number;
  caseId: string;
  code: string;
  type: CaseEventType;
  status: CaseStatus;
  at: string;
  actor: { id: string | null; role: string };
  assignee: { id: number; name: string; level: number } | null;
  /** A department's case (domain.md 9): the department that handles it (then `assignee` is null) and the road chief coordinating it. */
  department?: { kind: 'department'; code: string; name: string } | null;
  coordinator?: { id: number; name: string; level: number } | null;
  /** The department that had the case before this event (a member's return takes it out of their view with this event). Used by the feed to choose recipients; not sent to clients. */
  formerDepartment?: string | null;
  escalationLevel: number;
  /** Chiefs the case was escalated to (they see it too). */
  escalatedTo: number[];
  /** Chiefs who saw the case before this event (a return or a re-dispatch takes it out of their
   * view with this event). Used by the feed to choose recipients; not sent to clients. */
  formerChiefs: number[];
  /** The user who reported the case (null: anonymous or Open311): the access model shows a warden
   * their own reports. Used by the feed to choose recipients; not sent to clients. */
  reporterId: string | null;
  deadlineAt: string | null;
  overdue: boolean;
  /** The traffic light at the event's time: green under 80 % of the current limit used, yellow to 100 %, red past it; null without a limit. */
  light: TrafficLight | null;
  /** Share of the current limit used at the event's time (0.85 = 85 %), 4 decimals; null without a limit. */
  limitUsed: number | null;
  /** null (with the cell and street) while a case reported by address only waits to be placed. */
  location: { lng: number; lat: number } | null;
  gridCode: string | null;
  streetCode: string | null;
  categoryCode: string;
}
