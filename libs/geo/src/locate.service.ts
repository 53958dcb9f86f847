import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import {
  CHIEF_TITLES,
  chooseAssignee,
  isChiefLevel,
  type ChiefCandidate,
  type ChiefLevel,
  type RoutingCandidates,
  type RoutingDecision,
  type RoutingPlace,
} from '@wangge/domain';

/** Where a point lies: what a report records. */
export type Place = Pick<Location, 'gridCell' | 'street' | 'community' | 'road' | 'distanceM'>;

/** What `GET /locate` answers and what the dispatcher routes by. */
export interface Location {
  point: { lng: number; lat: number };
  gridCell: { code: string };
  street: { code: string; name: string };
  community: { code: string; name: string };
  road: { id: number; name: string; segment: { id: number; seq: number; ref: string } } | null;
  distanceM: number | null;
  assignee: { id: number; name: string; level: ChiefLevel; title: string; titleEn: string; asDeputyOf: number | null } | null;
  reason: string;
  reasonZh: string;
}

export interface PlaceRow {
  cell_code: string;
  street_code: string;
  street_name: string;
  community_code: string;
  community_name: string;
  segment_id: number | null;
  segment_seq: number | null;
  segment_ref: string | null;
  road_id: number | null;
  road_name: string | null;
  distance_m: number | null;
}

interface ChiefRow {
  kind: 'road' | 'segment' | 'community' | 'street';
  scope_level: number;
  id: number;
  name: string;
  level: number;
  available: boolean;
  deputy_id: number | null;
  deputy_name: string | null;
  deputy_level: number | null;
  deputy_available: boolean | null;
}

// Degrees of latitude per metre, rounded down so the bounding box is never too small; longitude
// degrees are divided by cos(lat) in SQL. The exact test is ST_DWithin on geography.
const METRES_PER_DEGREE_MIN = 110_000;

/**
 * Finds a point's grid cell, street, community and nearest road segment within the routing radius,
 * and the accountable chief by the rule of domain.md section 3. Both lookups use the GiST indexes:
 * a bounding-box test (&&) and ST_Covers on grid_cell.geom, and a bounding-box test on
 * road_segment.geom before the exact geography distance. The cell's && is implied by ST_Covers but
 * is what the planner estimates from the column's statistics (about one row); ST_Covers alone is
 * estimated at a fixed 0.1 % of the table, which on a large grid (2,000 rows of 2 million) makes
 * a parallel bitmap scan look cheaper, and starting its worker costs ~60 ms a lookup
 * (docs/performance.md, "Routing at 2 million cells").
 */
@Injectable()
export class LocateService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * null when no grid cell covers the point (outside the district). Chiefs in `exclude` (e.g. a
   * chief who returned the case) are passed over as if on leave.
   */
  async locate(lng: number, lat: number, manager: EntityManager = this.db.manager, exclude: ReadonlySet<number> = new Set()): Promise<Location | null> {
    const found = await this.routingAt(lng, lat, manager);
    return found ? locationOf(found, { lng, lat }, exclude) : null;
  }

  /** Where a point lies (cell, street, community, nearest segment), without the chiefs: one query. */
  async placeAt(lng: number, lat: number, manager: EntityManager = this.db.manager): Promise<Place | null> {
    const radiusM = this.config.routeRadiusM;
    const [p]: PlaceRow[] = await manager.query(LOCATE_SQL, [lng, lat, radiusM, radiusM / METRES_PER_DEGREE_MIN]);
    return p ? toPlace(p) : null;
  }

  /** `placeAt` of many points in one query (a batch of reports): null where a point is outside the district. */
  async placesAt(points: readonly { lng: number; lat: number }[], manager: EntityManager = this.db.manager): Promise<(Place | null)[]> {
    if (points.length === 0) return [];
    const radiusM = this.config.routeRadiusM;
    const rows: (PlaceRow & { n: number })[] = await manager.query(PLACES_SQL, [
      points.map((p) => p.lng),
      points.map((p) => p.lat),
      radiusM,
      radiusM / METRES_PER_DEGREE_MIN,
    ]);
    const places: (Place | null)[] = points.map(() => null);
    for (const row of rows) places[row.n - 1] = toPlace(row);
    return places;
  }

  /** The place of a point as routing sees it, and the chiefs bound to it by scope. */
  async routingAt(lng: number, lat: number, manager: EntityManager = this.db.manager): Promise<RoutingFound | null> {
    const radiusM = this.config.routeRadiusM;
    const rows: (PlaceRow & { chiefs: ChiefRow[] })[] = await manager.query(ROUTING_SQL, [lng, lat, radiusM, radiusM / METRES_PER_DEGREE_MIN]);
    return rows[0] ? routingFound(rows[0], radiusM) : null;
  }

  /** `routingAt` of many points in one query (a simulated history): null where a point is outside the district. */
  async routingsAt(points: readonly { lng: number; lat: number }[], manager: EntityManager = this.db.manager): Promise<(RoutingFound | null)[]> {
    if (points.length === 0) return [];
    const radiusM = this.config.routeRadiusM;
    const rows: (PlaceRow & { n: number; chiefs: ChiefRow[] })[] = await manager.query(ROUTINGS_SQL, [
      points.map((p) => p.lng),
      points.map((p) => p.lat),
      radiusM,
      radiusM / METRES_PER_DEGREE_MIN,
    ]);
    const found: (RoutingFound | null)[] = points.map(() => null);
    for (const { n, ...row } of rows) found[n - 1] = routingFound(row, radiusM);
    return found;
  }
}

/** A point's place as routing sees it, and the chiefs bound to it by scope. */
export interface RoutingFound {
  place: PlaceRow;
  routingPlace: RoutingPlace;
  candidates: RoutingCandidates;
}

function routingFound(row: PlaceRow & { chiefs: ChiefRow[] }, radiusM: number): RoutingFound {
  const { chiefs, ...place } = row;
  const segment =
    place.segment_id !== null && place.road_id !== null
      ? { id: place.segment_id, seq: place.segment_seq ?? 0, roadId: place.road_id, roadName: place.road_name ?? '', distanceM: place.distance_m ?? 0 }
      : null;
  return {
    place,
    routingPlace: { community: { code: place.community_code, name: place.community_name }, street: { code: place.street_code, name: place.street_name }, segment, radiusM },
    candidates: toCandidates(chiefs),
  };
}

/**
 * Where a point lies and who answers for it (the routing rule of domain.md 3 on what `routingAt`
 * found). Chiefs in `exclude` (e.g. a chief who returned the case) are passed over as if on leave.
 */
export function locationOf(found: RoutingFound, point: { lng: number; lat: number }, exclude: ReadonlySet<number> = new Set()): Location {
  const { place, routingPlace, candidates } = found;
  const decision: RoutingDecision = chooseAssignee(routingPlace, exclude.size > 0 ? withExcluded(candidates, exclude) : candidates);
  const segment = routingPlace.segment;
  return {
    point: { lng: point.lng, lat: point.lat },
    gridCell: { code: place.cell_code },
    street: { code: place.street_code, name: place.street_name },
    community: { code: place.community_code, name: place.community_name },
    road:
      segment && place.segment_ref !== null
        ? { id: segment.roadId, name: segment.roadName, segment: { id: segment.id, seq: segment.seq, ref: place.segment_ref } }
        : null,
    distanceM: place.distance_m === null ? null : Math.round(place.distance_m * 10) / 10,
    assignee: decision.assignee
      ? { ...decision.assignee, title: CHIEF_TITLES[decision.assignee.level].zh, titleEn: CHIEF_TITLES[decision.assignee.level].en }
      : null,
    reason: decision.reason,
    reasonZh: decision.reasonZh,
  };
}

function toPlace(p: PlaceRow): Place {
  return {
    gridCell: { code: p.cell_code },
    street: { code: p.street_code, name: p.street_name },
    community: { code: p.community_code, name: p.community_name },
    road:
      p.segment_id !== null && p.road_id !== null
        ? { id: p.road_id, name: p.road_name ?? '', segment: { id: p.segment_id, seq: p.segment_seq ?? 0, ref: p.segment_ref ?? '' } }
        : null,
    distanceM: p.distance_m === null ? null : Math.round(p.distance_m * 10) / 10,
  };
}

/** The candidates with the excluded chiefs (and deputies) marked unavailable. */
function withExcluded(c: RoutingCandidates, exclude: ReadonlySet<number>): RoutingCandidates {
  const mark = (chief: ChiefCandidate | null | undefined): ChiefCandidate | null => {
    if (!chief) return null;
    const deputy = chief.deputy ? { ...chief.deputy, available: chief.deputy.available && !exclude.has(chief.deputy.id) } : null;
    return { ...chief, available: chief.available && !exclude.has(chief.id), deputy };
  };
  const roadChiefs: RoutingCandidates['roadChiefs'] = {};
  for (const level of [1, 2, 3] as const) {
    const chief = mark(c.roadChiefs[level]);
    if (chief) roadChiefs[level] = chief;
  }
  return { segmentChief: mark(c.segmentChief), roadChiefs, communityChief: mark(c.communityChief), streetChief: mark(c.streetChief) };
}

/** The place of the points `p(g, lat)` that `from` yields (one row per point inside the district). */
const placeSql = (select: string, from: string) => `
  ${from}
  SELECT ${select}c.code AS cell_code, s.code AS street_code, s.name AS street_name,
         m.code AS community_code, m.name AS community_name,
         near.id AS segment_id, near.seq AS segment_seq, near.ref AS segment_ref,
         near.road_id, near.road_name, near.distance_m
    FROM p
    JOIN LATERAL (
      SELECT gc.code, gc.street_code, gc.community_code FROM grid_cell gc
       WHERE gc.geom && p.g AND ST_Covers(gc.geom, p.g) AND gc.retired_at IS NULL
       ORDER BY gc.code LIMIT 1
    ) c ON true
    JOIN street s ON s.code = c.street_code
    JOIN community m ON m.code = c.community_code
    LEFT JOIN LATERAL (
      SELECT rs.id, rs.seq, rs.ref, rs.road_id, r.name AS road_name,
             ST_Distance(rs.geom::geography, p.g::geography) AS distance_m
        FROM road_segment rs JOIN road r ON r.id = rs.road_id
       WHERE rs.geom && ST_Expand(p.g, $4::float8 / cos(radians(p.lat))) AND rs.retired_at IS NULL
         AND ST_DWithin(rs.geom::geography, p.g::geography, $3::float8)
       ORDER BY distance_m, rs.id LIMIT 1
    ) near ON true`;

/** One point `($1, $2)`; `$3` the routing radius in metres, `$4` the same in degrees of latitude. */
export const LOCATE_SQL = placeSql('', `WITH p AS (SELECT ST_SetSRID(ST_MakePoint($1::float8, $2::float8), 4326) AS g, $2::float8 AS lat)`);

/** Many points at once (`$1` longitudes, `$2` latitudes): rows carry `n`, the point's 1-based position. */
export const PLACES_SQL = placeSql(
  'p.n::int AS n, ',
  `WITH p AS (SELECT pt.n, ST_SetSRID(ST_MakePoint(pt.lng, pt.lat), 4326) AS g, pt.lat
                FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS pt(lng, lat, n))`,
);

/** The chiefs bound by scope to the place `located` of the enclosing query, as `bound.chiefs`. */
const BOUND_CHIEFS = `
    LEFT JOIN LATERAL (
      SELECT jsonb_agg(to_jsonb(ch)) AS chiefs FROM (
        SELECT sc.kind, sc.level AS scope_level, c.id, u.name, c.level, (c.available AND u.active) AS available,
               d.id AS deputy_id, du.name AS deputy_name, d.level AS deputy_level, (d.available AND du.active) AS deputy_available
          FROM road_chief_scope sc
          JOIN road_chief c ON c.id = sc.chief_id
          JOIN app_user u ON u.id = c.user_id
          LEFT JOIN road_chief d ON d.id = c.deputy_id
          LEFT JOIN app_user du ON du.id = d.user_id
         WHERE (sc.kind = 'segment' AND sc.segment_id = located.segment_id)
            OR (sc.kind = 'road' AND sc.road_id = located.road_id)
            OR (sc.kind = 'community' AND sc.community_code = located.community_code)
            OR (sc.kind = 'street' AND sc.street_code = located.street_code)) ch
    ) bound ON true`;

/** The place of one point (as LOCATE_SQL) and, as `chiefs`, every chief bound to it by scope: one statement. */
const ROUTING_SQL = `
  WITH located AS (${LOCATE_SQL})
  SELECT located.*, COALESCE(bound.chiefs, '[]'::jsonb) AS chiefs
    FROM located${BOUND_CHIEFS}`;

/** The same for many points (as PLACES_SQL): rows carry `n`. */
const ROUTINGS_SQL = `
  WITH located AS (${PLACES_SQL})
  SELECT located.*, COALESCE(bound.chiefs, '[]'::jsonb) AS chiefs
    FROM located${BOUND_CHIEFS}`;

function toCandidate(row: ChiefRow): ChiefCandidate {
  const level = asLevel(row.level);
  const deputy =
    row.deputy_id !== null && row.deputy_name !== null
      ? { id: row.deputy_id, name: row.deputy_name, level: asLevel(row.deputy_level), available: row.deputy_available === true }
      : null;
  return { id: row.id, name: row.name, level, available: row.available, deputy };
}

function asLevel(value: number | null): ChiefLevel {
  const n = Number(value);
  if (!isChiefLevel(n)) throw new Error(`chief level ${value} out of 1..3`);
  return n;
}

function toCandidates(rows: ChiefRow[]): RoutingCandidates {
  const candidates: RoutingCandidates = { segmentChief: null, roadChiefs: {}, communityChief: null, streetChief: null };
  for (const row of rows) {
    const chief = toCandidate(row);
    if (row.kind === 'segment') candidates.segmentChief = chief;
    else if (row.kind === 'road') candidates.roadChiefs[asLevel(row.scope_level)] = chief;
    else if (row.kind === 'community') candidates.communityChief = chief;
    else candidates.streetChief = chief;
  }
  return candidates;
}
