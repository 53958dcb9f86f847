/**
 * `inspection.event` (domain.md 8): inspections recorded, inspections due, done and missed, duty
 * check-ins and missed shifts, on the live feed, scoped like cases: each goes to the rooms of its
 * place (the access model's `placeRooms`: district staff, the place's street, its cell's wardens,
 * the chief routing names there, its responsible person). Announcements, not part of a case's
 * history: they carry no seq and are not replayed by `resume` (the REST lists have them).
 */
export type InspectionEventType = 'inspection.recorded' | 'inspection.due' | 'inspection.done' | 'inspection.missed' | 'duty.checked_in' | 'duty.missed';

export const INSPECTION_EVENT_TYPES: readonly InspectionEventType[] = ['inspection.recorded', 'inspection.due', 'inspection.done', 'inspection.missed', 'duty.checked_in', 'duty.missed'];

export interface InspectionEventPlace {
  id: string;
  name: string;
  kind: string;
  streetCode: string;
  gridCode: string;
}

/** What a client receives. */
export interface InspectionEventPayload {
  type: InspectionEventType;
  at: string;
  place: InspectionEventPlace;
  /** Who recorded or checked in (recorded, done, checked_in). */
  person?: { id: string; name: string };
  inspectionId?: string;
  /** A due inspection (due, done, missed) and its plan and slot. */
  dueId?: string;
  planId?: string;
  slotStart?: string;
  dueAt?: string;
  /** A duty shift (checked_in, missed). */
  shiftId?: string;
  /** An inspection's failed items; a check-in or inspection further than PLACE_RADIUS_M from the place. */
  failed?: number;
  offSite?: boolean;
  /** done: within the slot (true) or after its deadline (false); checked_in: within DUTY_GRACE_MIN of the start. */
  onTime?: boolean;
  /** missed: to whom it was escalated (once). */
  escalatedTo?: { id: string; name: string }[];
}

/** In the feed stream: the payload and who sees the place (the feed computes the rooms; clients never get this part). */
export interface InspectionEventMessage extends InspectionEventPayload {
  scope: { chiefId: number | null; responsibleId: string | null };
}

/** The feed-stream entry of an inspection event (outbox row `topic = 'feed'`, `name = 'inspection.event'`). */
export interface InspectionEventNotice {
  name: 'inspection.event';
  at: string;
  data: InspectionEventMessage;
}
