// The command center's picture of cases: kept from the initial list and updated by each case.event.
import type { CaseEventPayload, CaseStatus } from './contract';
import type { CaseView } from './api';

export const OPEN_STATUSES: readonly CaseStatus[] = ['reported', 'registered', 'dispatched', 'in_progress', 'resolved'];
export const ALL_STATUSES: readonly CaseStatus[] = [...OPEN_STATUSES, 'closed', 'rejected', 'merged', 'cancelled'];

export interface MapCase {
  id: string;
  code: string;
  status: CaseStatus;
  categoryCode: string;
  streetCode: string;
  gridCode: string;
  location: { lng: number; lat: number };
  overdue: boolean;
  deadlineAt: string | null;
  assignee: string | null;
  /** seq of the last event applied (0 for a case read from the list). */
  seq: number;
  at: string;
}

export function fromView(v: CaseView): MapCase {
  return {
    id: v.id,
    code: v.code,
    status: v.status,
    categoryCode: v.category.code,
    streetCode: v.street.code,
    gridCode: v.gridCell.code,
    location: v.location,
    overdue: v.overdue,
    deadlineAt: v.deadlineAt,
    assignee: v.assignee?.name ?? null,
    seq: 0,
    at: v.updatedAt,
  };
}

/** Applies one feed event; an older event than the one already applied changes nothing. */
export function applyEvent(cases: Map<string, MapCase>, e: CaseEventPayload): Map<string, MapCase> {
  const known = cases.get(e.caseId);
  if (known && known.seq >= e.seq) return cases;
  const next = new Map(cases);
  next.set(e.caseId, {
    id: e.caseId,
    code: e.code,
    status: e.status,
    categoryCode: e.categoryCode,
    streetCode: e.streetCode,
    gridCode: e.gridCode,
    location: e.location,
    overdue: e.overdue,
    deadlineAt: e.deadlineAt,
    assignee: e.assignee?.name ?? known?.assignee ?? null,
    seq: e.seq,
    at: e.at,
  });
  return next;
}

export interface CaseFilter {
  status: string; // '' = open ones, 'all', or one status
  category: string;
  street: string;
  overdueOnly: boolean;
}

export const NO_FILTER: CaseFilter = { status: '', category: '', street: '', overdueOnly: false };

export function filterCases(cases: Iterable<MapCase>, f: CaseFilter): MapCase[] {
  const out: MapCase[] = [];
  for (const c of cases) {
    if (f.status === '' && !OPEN_STATUSES.includes(c.status) && c.status !== 'closed') continue;
    if (f.status !== '' && f.status !== 'all' && c.status !== f.status) continue;
    if (f.category && c.categoryCode !== f.category) continue;
    if (f.street && c.streetCode !== f.street) continue;
    if (f.overdueOnly && !c.overdue) continue;
    out.push(c);
  }
  return out.sort((a, b) => b.at.localeCompare(a.at));
}

/** Open and overdue counts per grid cell, for shading the cells. */
export function cellCounts(cases: Iterable<MapCase>): Map<string, { open: number; overdue: number }> {
  const counts = new Map<string, { open: number; overdue: number }>();
  for (const c of cases) {
    if (!OPEN_STATUSES.includes(c.status)) continue;
    const n = counts.get(c.gridCode) ?? { open: 0, overdue: 0 };
    n.open++;
    if (c.overdue) n.overdue++;
    counts.set(c.gridCode, n);
  }
  return counts;
}

export function toGeoJson(cases: readonly MapCase[]): GeoJSON.FeatureCollection<GeoJSON.Point> {
  return {
    type: 'FeatureCollection',
    features: cases.map((c) => ({
      type: 'Feature',
      id: undefined,
      geometry: { type: 'Point', coordinates: [c.location.lng, c.location.lat] },
      properties: { id: c.id, code: c.code, status: c.status, overdue: c.overdue },
    })),
  };
}
