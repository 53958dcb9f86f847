import type { PlaceKind } from '../place.types';

/** `POST /inspection-plans` (domain.md 8): places by id or by kind; `every` an ISO 8601 duration. */
export interface NewInspectionPlan {
  checklistId: string;
  placeIds?: string[];
  placeKind?: PlaceKind;
  every: string;
  from: string;
  to?: string;
  assigneeIds?: string[];
}

export interface InspectionPlanView {
  id: string;
  checklist: { id: string; name: string; version: number };
  placeKind: PlaceKind | null;
  places: { id: string; name: string }[];
  every: string;
  from: string;
  to: string | null;
  /** Named assignees; null: each place's responsible person. */
  assigneeIds: string[] | null;
  active: boolean;
  createdAt: string;
  deactivatedAt: string | null;
}

/** due: open; done: within its slot; late: after its deadline (within the next slot); missed: its deadline passed undone (escalated once); cancelled: its plan was deactivated. */
export type DueState = 'due' | 'done' | 'late' | 'missed' | 'cancelled';

/** One inspection due by a plan: a place, a slot and its deadline (the slot's end). */
export interface DueInspectionView {
  id: string;
  planId: string;
  place: { id: string; name: string; kind: PlaceKind; point: { lng: number; lat: number } };
  checklist: { id: string; name: string; version: number };
  slotStart: string;
  dueAt: string;
  state: DueState;
  overdue: boolean;
  inspectionId: string | null;
  doneAt: string | null;
  missedAt: string | null;
}

/** What a deadline's timer did. */
export type DueOutcome = { kind: 'stale' } | { kind: 'early'; at: Date } | { kind: 'handled'; missed: boolean; escalatedTo: string[]; next: string | null };
