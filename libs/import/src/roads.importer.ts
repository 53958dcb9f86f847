import type { QueryRunner } from 'typeorm';
import { issue, type Issue } from './import-issue';
import { asJson, rows, run } from './import-sql';
import type { ImportCounts } from './import.types';
import type { RoadFeature } from './road-features.parser';
import { planRoads } from './roads.planner';

/** Added to a segment's seq while the segments of a road are renumbered (seq is unique per road). */
const SEQ_PARKING = 1_000_000;

export interface RoadStage {
  counts: Omit<ImportCounts, 'skipped'>;
  issues: Issue[];
  roadsCreated: number;
  /** Live segments the files no longer list: of the imported roads, or (replacing) of every road. */
  segmentsRetired: number;
}

export interface RoadStageOptions {
  /** The files are the whole network: live segments of any road that they do not list are retired. */
  replace: boolean;
}

/**
 * Validates and merges the roads of all files, set-based like the cells. A road is upserted by
 * ref (roadId, else name), its segments by ref; the road's segments are numbered 1..n in file
 * order, and its live segments that the files no longer list are retired (kept, with their
 * number, for the cases that name them; a retired segment listed again is live again). Replacing,
 * the same goes for the segments of every road. A road none of whose segments meets a live grid
 * cell (after this import's cells) is refused as outside the district.
 */
export async function importRoads(tx: QueryRunner, features: RoadFeature[], options: RoadStageOptions): Promise<RoadStage> {
  const stage: RoadStage = { counts: { created: 0, updated: 0, unchanged: 0 }, issues: [], roadsCreated: 0, segmentsRetired: 0 };
  if (features.length === 0) return stage;
  const plan = planRoads(features);
  stage.issues.push(...plan.issues);
  const parts = plan.parts;
  if (parts.length === 0) return stage;

  await run(
    tx,
    `CREATE TEMP TABLE import_segment (
       key integer NOT NULL, road_ref text NOT NULL, road_name text NOT NULL, ref text NOT NULL,
       geom geometry NOT NULL, road_id integer, seq integer) ON COMMIT DROP`,
  );
  await run(
    tx,
    `INSERT INTO import_segment (key, road_ref, road_name, ref, geom)
     SELECT x.key, x.road_ref, x.road_name, x.ref, ST_SetSRID(ST_GeomFromGeoJSON(x.geometry::text), 4326)
       FROM json_to_recordset($1::json) AS x(key integer, road_ref text, road_name text, ref text, geometry json)`,
    [asJson(parts.map((p, key) => ({ key, road_ref: p.roadRef, road_name: p.roadName, ref: p.ref, geometry: p.geometry })))],
  );
  // A bad line spoils its feature: every part of the feature is dropped with it.
  const reject = async (bad: { key: number; problem: string }[]) => {
    if (bad.length === 0) return;
    const features = new Set(bad.map((b) => parts[b.key].feature));
    stage.issues.push(...bad.map((b) => issue(parts[b.key].feature, b.problem)));
    const keys = parts.flatMap((p, key) => (features.has(p.feature) ? [key] : []));
    await run(tx, `DELETE FROM import_segment WHERE key = ANY($1::int[])`, [keys]);
  };

  const invalid = await rows<{ key: number; reason: string }>(
    tx,
    `SELECT key, ST_IsValidReason(geom) AS reason FROM import_segment WHERE NOT ST_IsValid(geom) ORDER BY key`,
  );
  await reject(invalid.map((r) => ({ key: r.key, problem: `invalid geometry${parts[r.key].feature.parts.length > 1 ? ` (${parts[r.key].ref})` : ''}: ${r.reason}` })));

  const outside = await rows<{ road_ref: string }>(
    tx,
    `SELECT road_ref FROM import_segment s GROUP BY road_ref
     HAVING NOT bool_or(EXISTS (SELECT 1 FROM grid_cell g WHERE g.geom && s.geom AND ST_Intersects(g.geom, s.geom) AND g.retired_at IS NULL))`,
  );
  const outsideRefs = new Set(outside.map((o) => o.road_ref));
  const firstPartOf = new Map<RoadFeature, number>();
  parts.forEach((p, key) => {
    if (outsideRefs.has(p.roadRef) && !firstPartOf.has(p.feature)) firstPartOf.set(p.feature, key);
  });
  await reject(
    [...firstPartOf.values()].map((key) => ({ key, problem: `outside the district: road ${parts[key].roadName} meets no grid cell` })),
  );

  const kept = await rows<{ n: number }>(tx, `SELECT count(*)::int AS n FROM import_segment`);
  if (kept[0].n === 0) {
    if (options.replace) stage.segmentsRetired = await retireUnlisted(tx, plan.listedRefs, null);
    return stage;
  }

  const roads = await rows<{ inserted: boolean }>(
    tx,
    `INSERT INTO road (ref, name)
     SELECT DISTINCT ON (road_ref) road_ref, road_name FROM import_segment ORDER BY road_ref, key
     ON CONFLICT (ref) DO UPDATE SET name = EXCLUDED.name WHERE road.name IS DISTINCT FROM EXCLUDED.name
     RETURNING (xmax = 0) AS inserted`,
  );
  stage.roadsCreated = roads.filter((r) => r.inserted).length;
  await run(
    tx,
    `UPDATE import_segment s SET road_id = r.id, seq = o.seq
       FROM road r, (SELECT key, row_number() OVER (PARTITION BY road_ref ORDER BY key)::int AS seq FROM import_segment) o
      WHERE r.ref = s.road_ref AND o.key = s.key`,
  );

  // Segments that no file lists are gone from the network: of these roads, or replacing, of every road.
  stage.segmentsRetired = await retireUnlisted(tx, plan.listedRefs, options.replace ? null : 'import_segment');
  // Listed but skipped (skipInvalid): they stay, numbered after the imported ones.
  await run(
    tx,
    `CREATE TEMP TABLE import_retained ON COMMIT DROP AS
     SELECT rs.id, (SELECT count(*) FROM import_segment i WHERE i.road_id = rs.road_id)::int
                   + row_number() OVER (PARTITION BY rs.road_id ORDER BY rs.seq)::int AS seq
       FROM road_segment rs
      WHERE rs.road_id IN (SELECT road_id FROM import_segment) AND rs.retired_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM import_segment i WHERE i.ref = rs.ref)`,
  );
  // Renumber without meeting the (road_id, seq) unique constraint halfway: park the rows that move first.
  await run(
    tx,
    `UPDATE road_segment rs SET seq = rs.seq + ${SEQ_PARKING}
       FROM import_segment i WHERE i.ref = rs.ref AND (rs.road_id <> i.road_id OR rs.seq <> i.seq)`,
  );
  await run(tx, `UPDATE road_segment rs SET seq = rs.seq + ${SEQ_PARKING} FROM import_retained k WHERE k.id = rs.id AND rs.seq <> k.seq`);
  await run(tx, `UPDATE road_segment rs SET seq = k.seq FROM import_retained k WHERE k.id = rs.id AND rs.seq <> k.seq`);

  const written = await rows<{ inserted: boolean }>(
    tx,
    `INSERT INTO road_segment (road_id, ref, seq, geom)
     SELECT road_id, ref, seq, geom FROM import_segment ORDER BY key
     ON CONFLICT (ref) DO UPDATE SET road_id = EXCLUDED.road_id, seq = EXCLUDED.seq, geom = EXCLUDED.geom, retired_at = NULL
      WHERE road_segment.road_id <> EXCLUDED.road_id OR road_segment.seq <> EXCLUDED.seq
         OR NOT ST_OrderingEquals(road_segment.geom, EXCLUDED.geom) OR road_segment.retired_at IS NOT NULL
     RETURNING (xmax = 0) AS inserted`,
  );
  const created = written.filter((w) => w.inserted).length;
  stage.counts = { created, updated: written.length - created, unchanged: kept[0].n - written.length };
  return stage;
}

/**
 * Retires the live segments whose refs the files do not list: of the roads in `roadsOf` (a table
 * with road_id), or of every road when null. Returns how many.
 */
async function retireUnlisted(tx: QueryRunner, listed: ReadonlySet<string>, roadsOf: 'import_segment' | null): Promise<number> {
  const retired = await rows<{ id: number }>(
    tx,
    `UPDATE road_segment rs SET retired_at = now()
      WHERE rs.retired_at IS NULL AND NOT (rs.ref = ANY($1::text[]))
        ${roadsOf ? `AND rs.road_id IN (SELECT road_id FROM ${roadsOf})` : ''}
      RETURNING rs.id`,
    [[...listed]],
  );
  return retired.length;
}
