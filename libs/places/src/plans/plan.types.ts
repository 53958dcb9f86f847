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

/**
 * `PATCH /inspection-plans/:id`: places added or removed (plans by id), assignees (null: back to each
 * place's responsible person; open due inspections change too), the end (null: open-ended).
 */
export interface InspectionPlanChange {
  addPlaceIds?: string[];
  removePlaceIds?: string[];
  assigneeIds?: string[] | null;
  to?: string | null;
}

export interface InspectionPlanView {
  id: string;
  checklist: { id: string; name: string; version: number };
  placeKind: PlaceKind | null;
  /** A plan by kind: the jurisdiction whose places of the kind it follows (no streets: the whole district); null for a plan by id. */
  scope: { streets: { code: string; name: string }[] } | null;
  /** unassigned: nobody inspects it (the plan names nobody, the place no responsible person). */
  places: { id: string; name: string; unassigned: boolean }[];
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
