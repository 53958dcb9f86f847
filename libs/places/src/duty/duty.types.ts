import type { CoordSystem } from '@wangge/domain';

/** `POST /duty-rosters` (domain.md 8). */
export interface NewDutyRoster {
  placeId: string;
  shifts: { from: string; to: string; userIds: string[] }[];
}

/** upcoming: not begun; open: begun, check-in still in time; checked_in; missed: not checked in within DUTY_GRACE_MIN (escalated once); ended: over (checked in or not, before its mark). */
export type ShiftState = 'upcoming' | 'open' | 'checked_in' | 'missed';

export interface DutyShiftView {
  id: string;
  rosterId: string;
  place: { id: string; name: string; kind: string; point: { lng: number; lat: number } };
  from: string;
  to: string;
  /** Check in by then (start + DUTY_GRACE_MIN). */
  checkBy: string;
  people: { id: string; name: string }[];
  state: ShiftState;
  checkedInAt: string | null;
  missedAt: string | null;
  escalatedTo: { id: string; name: string }[] | null;
}

export interface DutyRosterView {
  id: string;
  place: { id: string; name: string };
  createdAt: string;
  shifts: DutyShiftView[];
}

/** `POST /duty/check-in`. */
export interface DutyCheckIn {
  placeId: string;
  location: { lng: number; lat: number };
  coordSystem?: CoordSystem;
}

export interface DutyCheckInView {
  id: string;
  shiftId: string;
  placeId: string;
  at: string;
  distanceM: number;
  /** Further than PLACE_RADIUS_M from the place: flagged, not refused. */
  offSite: boolean;
  /** Within DUTY_GRACE_MIN of the shift's start. */
  onTime: boolean;
}

export type ShiftOutcome = { kind: 'stale' } | { kind: 'early'; at: Date } | { kind: 'missed'; escalatedTo: string[] };
