import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { caseGrants, caseScopeSql, type CasePrincipal } from '@wangge/auth';
import type { BoundingBox } from '@wangge/geo';

/**
 * A recurrence hotspot (防反弹): one place where a problem of one category keeps coming back. Built
 * from recurrence pairs — a case closed, then a case of the same category reported within
 * `radiusM` of it and within `windowDays` after the close — joined into clusters (two pairs that
 * share a case are one place), so a chain of re-reports is one problem.
 */
export interface RecurrenceHotspot {
  /** Category code + the earliest case's code: stable for the same cases. */
  id: string;
  category: { code: string; name: string; nameEn: string };
  /** Mean of the cases' points (WGS84); within a hotspot the points are metres apart. */
  centre: { lng: number; lat: number };
  caseCount: number;
  /** Close → report-again pairs found. */
  recurrences: number;
  firstReportedAt: string;
  lastReportedAt: string;
  /** Where the latest report lies. */
  street: { code: string; name: string };
  gridCell: { code: string };
  cases: { id: string; code: string; status: string; reportedAt: string; closedAt: string | null; lng: number; lat: number }[];
}

export interface HotspotQuery {
  /** The re-reports counted are those reported in [from, to). */
  from: Date;
  to: Date;
  radiusM: number;
  windowDays: number;
  /** Only cases the caller sees (both the closed case and the re-report): the access model. */
  caller: CasePrincipal;
  /** Only re-reports inside this box. */
  bbox?: BoundingBox;
  limit?: number;
}

/** Metres per degree of latitude, a lower bound over the globe (the degree bound below stays conservative). */
const METRES_PER_DEGREE = 110_500;

/** Recurrence hotspots over the cases (map layer, bulletins). Needs only the DataSource. */
@Injectable()
export class RecurrenceHotspotsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async find(q: HotspotQuery): Promise<RecurrenceHotspot[]> {
    if (caseGrants(q.caller).length === 0) return [];
    const params: unknown[] = [q.from, q.to, q.windowDays, q.radiusM, METRES_PER_DEGREE];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const scopeA = `AND ${caseScopeSql(q.caller, 'a', p)}`;
    const scopeB = `AND ${caseScopeSql(q.caller, 'b', p)}`;
    const box = q.bbox ? `AND b.location && ST_MakeEnvelope(${p(q.bbox.minLng)}, ${p(q.bbox.minLat)}, ${p(q.bbox.maxLng)}, ${p(q.bbox.maxLat)}, 4326)` : '';
    // The first ST_DWithin is on geometry, in degrees: a bound wide enough for the radius at the
    // point's latitude (a degree of longitude shrinks with cos(lat)), so it can use the GiST index
    // on case_file.location; the second is the exact distance on the spheroid.
    // No parallel workers: each would load PostGIS first, which costs more than the whole query.
    // The time condition is written so that it is checked on the index's hits, not used to pick
    // another index (the GiST on location is the selective one).
    const pairs: { a: string; b: string }[] = await this.db.transaction(async (m) => {
      await m.query(`SET LOCAL max_parallel_workers_per_gather = 0`);
      return m.query(
        `SELECT a.id AS a, b.id AS b
           FROM case_file b
           JOIN case_file a
             ON a.category_code = b.category_code
            AND a.id <> b.id
            AND a.status = 'closed'
            AND b.created_at - a.closed_at BETWEEN interval '0' AND make_interval(days => $3::int)
            AND ST_DWithin(a.location, b.location, $4::float8 / ($5::float8 * greatest(cos(radians(ST_Y(b.location))), 0.01)))
            AND ST_DWithin(a.location::geography, b.location::geography, $4::float8)
            ${scopeA}
          WHERE b.created_at >= $1 AND b.created_at < $2
            AND b.status NOT IN ('merged', 'rejected', 'cancelled')
            ${scopeB}
            ${box}`,
        params,
      );
    });
    if (pairs.length === 0) return [];
    const clusters = connectedComponents(pairs);
    const ids = [...new Set(pairs.flatMap((x) => [x.a, x.b]))];
    const rows: CaseRow[] = await this.db.query(
      `SELECT c.id, c.code, c.status, c.category_code, k.name AS category_name, k.name_en AS category_name_en,
              c.created_at, c.closed_at, ST_X(c.location) AS lng, ST_Y(c.location) AS lat,
              c.street_code, s.name AS street_name, c.grid_cell_code
         FROM case_file c JOIN category k ON k.code = c.category_code JOIN street s ON s.code = c.street_code
        WHERE c.id = ANY($1::uuid[])`,
      [ids],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    const hotspots = clusters.map((cluster) => toHotspot(cluster.ids.map((id) => byId.get(id)!), cluster.pairs));
    hotspots.sort((x, y) => y.caseCount - x.caseCount || y.lastReportedAt.localeCompare(x.lastReportedAt) || x.id.localeCompare(y.id));
    return q.limit !== undefined ? hotspots.slice(0, q.limit) : hotspots;
  }
}

interface CaseRow {
  id: string;
  code: string;
  status: string;
  category_code: string;
  category_name: string;
  category_name_en: string;
  created_at: Date;
  closed_at: Date | null;
  lng: number;
  lat: number;
  street_code: string;
  street_name: string;
  grid_cell_code: string;
}

function toHotspot(cases: CaseRow[], recurrences: number): RecurrenceHotspot {
  cases.sort((x, y) => new Date(x.created_at).getTime() - new Date(y.created_at).getTime() || x.code.localeCompare(y.code));
  const first = cases[0];
  const last = cases[cases.length - 1];
  const mean = (f: (c: CaseRow) => number) => Math.round((cases.reduce((s, c) => s + f(c), 0) / cases.length) * 1e7) / 1e7;
  return {
    id: `${first.category_code}-${first.code}`,
    category: { code: first.category_code, name: first.category_name, nameEn: first.category_name_en },
    centre: { lng: mean((c) => Number(c.lng)), lat: mean((c) => Number(c.lat)) },
    caseCount: cases.length,
    recurrences,
    firstReportedAt: new Date(first.created_at).toISOString(),
    lastReportedAt: new Date(last.created_at).toISOString(),
    street: { code: last.street_code, name: last.street_name },
    gridCell: { code: last.grid_cell_code },
    cases: cases.map((c) => ({
      id: c.id,
      code: c.code,
      status: c.status,
      reportedAt: new Date(c.created_at).toISOString(),
      closedAt: c.closed_at ? new Date(c.closed_at).toISOString() : null,
      lng: Number(c.lng),
      lat: Number(c.lat),
    })),
  };
}

/** Clusters of the pair graph (union-find): each with its case ids and how many pairs it holds. */
export function connectedComponents(pairs: readonly { a: string; b: string }[]): { ids: string[]; pairs: number }[] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root)!;
    for (let n = x; n !== root; ) {
      const next = parent.get(n)!;
      parent.set(n, root);
      n = next;
    }
    return root;
  };
  for (const { a, b } of pairs) {
    if (!parent.has(a)) parent.set(a, a);
    if (!parent.has(b)) parent.set(b, b);
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  }
  const clusters = new Map<string, { ids: string[]; pairs: number }>();
  for (const id of parent.keys()) {
    const root = find(id);
    const c = clusters.get(root) ?? { ids: [], pairs: 0 };
    c.ids.push(id);
    clusters.set(root, c);
  }
  for (const { a } of pairs) clusters.get(find(a))!.pairs += 1;
  return [...clusters.values()];
}
