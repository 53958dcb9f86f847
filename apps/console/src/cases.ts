// The command center's picture of cases: kept from the initial list and updated by each case.event.
import type { CaseEventPayload, CaseStatus } from './contract';
import type { CaseView } from './api';
import type { TrafficLight } from './lights';

export const OPEN_STATUSES: readonly CaseStatus[] = ['reported', 'registered', 'dispatched', 'in_progress', 'resolved'];
export const ALL_STATUSES: readonly CaseStatus[] = [...OPEN_STATUSES, 'closed', 'rejected', 'merged', 'cancelled'];

export interface MapCase {
  id: string;
  code: string;
  status: CaseStatus;
  categoryCode: string;
  /** null (with the cell and point) while a case reported by address only waits to be placed. */
  streetCode: string | null;
  gridCode: string | null;
  location: { lng: number; lat: number } | null;
  overdue: boolean;
  deadlineAt: string | null;
  /** The traffic light as of the last read or event (null: not timed). */
  light: TrafficLight | null;
  limitUsed: number | null;
  /** 挂账: on the ledger, its clock stopped (from the view, then from suspend/resume events). */
  suspended?: boolean;
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
    streetCode: v.street?.code ?? null,
    gridCode: v.gridCell?.code ?? null,
    location: v.location,
    overdue: v.overdue,
    deadlineAt: v.deadlineAt,
    light: v.light ?? null,
    limitUsed: v.limitUsed ?? null,
    suspended: !!v.suspension,
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
    // Appeal and re-zoning events carry no light (they change no limit): the case keeps the one it had.
    ...(e.type === 'case.appealed' || e.type === 'case.appeal_decided' || e.type === 'case.relocated'
      ? { light: known?.light ?? null, limitUsed: known?.limitUsed ?? null }
      : { light: e.light ?? null, limitUsed: e.limitUsed ?? null }),
    suspended: suspendedAfter(e.type, known?.suspended ?? false),
    assignee: e.assignee?.name ?? known?.assignee ?? null,
    seq: e.seq,
    at: e.at,
  });
  return next;
}

/** Whether a case is suspended after an event of this type (挂账 starts at `case.suspended`, ends at a resume or a cancel). */
export function suspendedAfter(type: string, before: boolean): boolean {
  if (type === 'case.suspended') return true;
  if (type === 'case.resumed' || type === 'case.cancelled') return false;
  return before;
}

export interface CaseFilter {
  status: string; // '' = open ones, 'all', or one status
  category: string;
  street: string;
  overdueOnly: boolean;
  /** 挂账 only. */
  suspendedOnly?: boolean;
}

export const NO_FILTER: CaseFilter = { status: '', category: '', street: '', overdueOnly: false, suspendedOnly: false };

export function filterCases(cases: Iterable<MapCase>, f: CaseFilter): MapCase[] {
  const out: MapCase[] = [];
  for (const c of cases) {
    if (f.status === '' && !OPEN_STATUSES.includes(c.status) && c.status !== 'closed') continue;
    if (f.status !== '' && f.status !== 'all' && c.status !== f.status) continue;
    if (f.category && c.categoryCode !== f.category) continue;
    if (f.street && c.streetCode !== f.street) continue;
    if (f.overdueOnly && !c.overdue) continue;
    if (f.suspendedOnly && !c.suspended) continue;
    out.push(c);
  }
  return out.sort((a, b) => b.at.localeCompare(a.at));
}

export interface CellDelta {
  cell: string;
  open: number;
  overdue: number;
}

/**
 * How one feed event changes the open and overdue counts of grid cells, for shading the cells
 * between two loads of the server's counts. `known` is the case as the console had it before the
 * event. A case the console never loaded (it holds at most a few thousand) was, unless this event
 * reports it, an open case the server already counted, overdue as it is now unless this event
 * makes it overdue. An event older than the one already applied changes nothing.
 */
export function cellDeltas(known: MapCase | undefined, e: CaseEventPayload): CellDelta[] {
  if (known && known.seq >= e.seq) return [];
  const before = known
    ? { cell: known.gridCode, open: OPEN_STATUSES.includes(known.status), overdue: known.overdue }
    : e.type === 'case.reported'
      ? null
      : { cell: e.gridCode, open: true, overdue: e.type === 'case.overdue' ? false : e.overdue };
  const isOpen = OPEN_STATUSES.includes(e.status);
  const deltas = new Map<string, CellDelta>();
  const add = (cell: string, open: number, overdue: number) => {
    const d = deltas.get(cell) ?? { cell, open: 0, overdue: 0 };
    d.open += open;
    d.overdue += overdue;
    deltas.set(cell, d);
  };
  // A case not yet placed is in no cell.
  if (before?.open && before.cell !== null) add(before.cell, -1, before.overdue ? -1 : 0);
  if (isOpen && e.gridCode !== null) add(e.gridCode, 1, e.overdue ? 1 : 0);
  return [...deltas.values()].filter((d) => d.open !== 0 || d.overdue !== 0);
}

type Counts = { open: number; overdue: number };

/**
 * The feed's changes to the cells' counts on top of the server's, in generations: `mark()` when a
 * load of the server's counts starts (changes from then on go into a new generation), `settle(id)`
 * when the counts asked for at that mark are drawn (older generations are in them now and go).
 * A change that raced the load may be counted twice until the next load settles.
 */
export class LiveCellDeltas {
  private gens: { id: number; deltas: Map<string, Counts> }[] = [{ id: 0, deltas: new Map() }];
  private nextId = 1;

  /** Adds one event's changes; answers the changed cells with their whole change now. */
  add(deltas: readonly CellDelta[]): CellDelta[] {
    const current = this.gens[this.gens.length - 1].deltas;
    for (const d of deltas) {
      const n = current.get(d.cell) ?? { open: 0, overdue: 0 };
      n.open += d.open;
      n.overdue += d.overdue;
      current.set(d.cell, n);
    }
    return deltas.map((d) => ({ cell: d.cell, ...this.total(d.cell) }));
  }

  total(cell: string): Counts {
    const t = { open: 0, overdue: 0 };
    for (const g of this.gens) {
      const d = g.deltas.get(cell);
      if (d) {
        t.open += d.open;
        t.overdue += d.overdue;
      }
    }
    return t;
  }

  /** A load of the server's counts starts; answers its id for {@link settle}. */
  mark(): number {
    const id = this.nextId++;
    this.gens.push({ id, deltas: new Map() });
    return id;
  }

  /** The load marked `id` is drawn: the changes before it go; answers the cells whose change moved. */
  settle(id: number): CellDelta[] {
    const gone = this.gens.filter((g) => g.id < id);
    if (!gone.length) return [];
    this.gens = this.gens.filter((g) => g.id >= id);
    const cells = new Set(gone.flatMap((g) => [...g.deltas.keys()]));
    return [...cells].map((cell) => ({ cell, ...this.total(cell) }));
  }
}

export function toGeoJson(cases: readonly MapCase[]): GeoJSON.FeatureCollection<GeoJSON.Point> {
  return {
    type: 'FeatureCollection',
    // A case not yet placed has no marker (the list shows it as 待定位).
    features: cases.flatMap((c) =>
      c.location
        ? [
            {
              type: 'Feature' as const,
              id: undefined,
              geometry: { type: 'Point' as const, coordinates: [c.location.lng, c.location.lat] },
              properties: { id: c.id, code: c.code, status: c.status, overdue: c.overdue, light: c.light ?? 'none' },
            },
          ]
        : [],
    ),
  };
}
