import type { QueryRunner } from 'typeorm';
import type { CellFeature } from './cell-features.parser';
import { planCells } from './cells.planner';
import { issue, mention, type Issue } from './import-issue';
import { asJson, rows, run } from './import-sql';
import type { ImportCounts } from './import.types';
import { divisionNames } from './national-divisions';

/** Cells may overlap by slivers of float noise along shared edges; more than this is an overlap. */
export const OVERLAP_TOLERANCE_M2 = 1;

export interface CellStage {
  counts: Omit<ImportCounts, 'skipped'>;
  issues: Issue[];
  streetsCreated: number;
  communitiesCreated: number;
  /** Live cells the files do not list, retired by a replacing import. */
  retired: number;
  /** Live cells given to the wardens of retired cells they overlap (wardens keep patrolling the same ground). */
  wardenCells: number;
}

export interface CellStageOptions {
  districtCode: string;
  /** The files are the whole layer: live cells they do not list are retired. */
  replace: boolean;
}

/**
 * Validates and merges the cells of all files, set-based: the features go into a temporary table
 * in one statement, PostGIS checks validity and overlaps there, and one upsert writes them
 * (a cell whose polygon is ST_Equals to the stored one is left alone; a retired cell listed again
 * is live again). Unknown streets and communities are created, named by the files or the national
 * division table. Replacing, the live cells the files do not list are retired (kept for the cases
 * that name them), and no file cell is checked against them. The outlines of the communities and
 * streets whose cells changed are drawn again from their live cells.
 */
export async function importCells(tx: QueryRunner, features: CellFeature[], options: CellStageOptions): Promise<CellStage> {
  const stage: CellStage = { counts: { created: 0, updated: 0, unchanged: 0 }, issues: [], streetsCreated: 0, communitiesCreated: 0, retired: 0, wardenCells: 0 };
  const { districtCode, replace } = options;
  if (features.length === 0) return stage;

  const streetCodes = [...new Set(features.map((c) => c.streetCode))];
  const communityCodes = [...new Set(features.map((c) => c.communityCode))];
  const [known] = await rows<{ streets: string[]; communities: string[] }>(
    tx,
    `SELECT ARRAY(SELECT code::text FROM street WHERE code = ANY($1::text[])) AS streets,
            ARRAY(SELECT code::text FROM community WHERE code = ANY($2::text[])) AS communities`,
    [streetCodes, communityCodes],
  );
  const plan = planCells(features, {
    streets: new Set(known.streets),
    communities: new Set(known.communities),
    division: () => divisionNames(districtCode),
  });
  stage.issues.push(...plan.issues);
  const cells = plan.cells;
  if (cells.length === 0) return stage;

  // Each cell with its exact bounding box (x0, y0, x1, y1), reckoned here from the coordinates: the
  // overlap check skips pairs whose boxes only touch, as neighbours in a grid do, without PostGIS.
  await run(
    tx,
    `CREATE TEMP TABLE import_cell (
       key integer NOT NULL, code text NOT NULL, geom geometry NOT NULL,
       x0 float8 NOT NULL, y0 float8 NOT NULL, x1 float8 NOT NULL, y1 float8 NOT NULL) ON COMMIT DROP`,
  );
  await run(
    tx,
    `INSERT INTO import_cell (key, code, geom, x0, y0, x1, y1)
     SELECT x.key, x.code, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(x.geometry::text), 4326)), x.box[1], x.box[2], x.box[3], x.box[4]
       FROM json_to_recordset($1::json) AS x(key integer, code text, geometry json, box float8[])`,
    [asJson(cells.map((c, key) => ({ key, code: c.code, geometry: c.geometry, box: boundingBox(c.geometry) })))],
  );
  const dropped = new Set<number>();
  const reject = async (bad: { key: number; problem: string }[]) => {
    if (bad.length === 0) return;
    stage.issues.push(...bad.map((b) => issue(cells[b.key], b.problem)));
    const keys = [...new Set(bad.map((b) => b.key))];
    keys.forEach((k) => dropped.add(k));
    await run(tx, `DELETE FROM import_cell WHERE key = ANY($1::int[])`, [keys]);
  };

  const invalid = await rows<{ key: number; reason: string }>(
    tx,
    `SELECT key, ST_IsValidReason(geom) AS reason FROM import_cell WHERE NOT ST_IsValid(geom) ORDER BY key`,
  );
  await reject(invalid.map((r) => ({ key: r.key, problem: `invalid geometry: ${r.reason}` })));

  await run(tx, `CREATE INDEX ON import_cell USING gist (geom)`);
  await run(tx, `ANALYZE import_cell`);
  // Interiors that meet (edges and corners may be shared), by more than the tolerance. No ORDER BY
  // and no index on key: either lures the planner away from the GiST index (seconds instead of ms).
  const inFile = await rows<{ key: number; other: number; area: number }>(
    tx,
    `SELECT key, other, area FROM (
       SELECT b.key, a.key AS other, ST_Area(ST_Intersection(a.geom, b.geom)::geography) AS area
         FROM import_cell a JOIN import_cell b ON a.key < b.key AND a.geom && b.geom
                                              AND a.x0 < b.x1 AND b.x0 < a.x1 AND a.y0 < b.y1 AND b.y0 < a.y1
        WHERE ST_Relate(a.geom, b.geom, 'T********')) o
      WHERE area > $1`,
    [OVERLAP_TOLERANCE_M2],
  );
  await reject(overlapProblems(inFile, (o) => mention(cells[o.other], cells[o.key])));

  // Replacing, every live cell the files do not list is about to be retired: none is in the way.
  if (!replace) {
    const withStored = await rows<{ key: number; other: string; area: number }>(
      tx,
      `SELECT key, other, area FROM (
         SELECT i.key, g.code AS other, ST_Area(ST_Intersection(i.geom, g.geom)::geography) AS area
           FROM import_cell i JOIN grid_cell g ON g.geom && i.geom AND g.code <> i.code AND g.retired_at IS NULL
          WHERE NOT EXISTS (SELECT 1 FROM import_cell j WHERE j.code = g.code)
            AND ST_Relate(i.geom, g.geom, 'T********')) o
        WHERE area > $1`,
      [OVERLAP_TOLERANCE_M2],
    );
    await reject(overlapProblems(withStored, (o) => `existing cell ${o.other}`));
  }

  const kept = cells.flatMap((_, key) => (dropped.has(key) ? [] : [{ key }]));
  // Listed but refused (skipInvalid) cells stay as they are, live ones live.
  const retired = replace ? await retireUnlisted(tx, features.map((f) => f.code)) : [];
  stage.retired = retired.length;
  if (kept.length === 0) {
    await redrawOutlines(tx, retired, districtCode);
    return stage;
  }
  const keptCells = kept.map((k) => cells[k.key]);
  stage.streetsCreated = await createPlaces(
    tx,
    `INSERT INTO street (code, district_code, name) SELECT x.code, $2, x.name FROM json_to_recordset($1::json) AS x(code text, name text)
     ON CONFLICT (code) DO NOTHING RETURNING code`,
    missing(keptCells.map((c) => c.streetCode), new Set(known.streets), plan.streetNames),
    [districtCode],
  );
  stage.communitiesCreated = await createPlaces(
    tx,
    `INSERT INTO community (code, street_code, name) SELECT x.code, left(x.code, 9), x.name FROM json_to_recordset($1::json) AS x(code text, name text)
     ON CONFLICT (code) DO NOTHING RETURNING code`,
    missing(keptCells.map((c) => c.communityCode), new Set(known.communities), plan.communityNames),
  );

  const written = await rows<{ code: string; inserted: boolean }>(
    tx,
    `INSERT INTO grid_cell (code, community_code, street_code, geom)
     SELECT code, left(code, 12), left(code, 9), geom FROM import_cell
     ON CONFLICT (code) DO UPDATE SET geom = EXCLUDED.geom, retired_at = NULL
      WHERE NOT ST_Equals(grid_cell.geom, EXCLUDED.geom) OR grid_cell.retired_at IS NOT NULL
     RETURNING code, (xmax = 0) AS inserted`,
  );
  const created = written.filter((w) => w.inserted).length;
  stage.counts = { created, updated: written.length - created, unchanged: kept.length - written.length };
  await redrawOutlines(tx, [...retired, ...written.map((w) => w.code)], districtCode);
  stage.wardenCells = await handOverWardenCells(tx, retired);
  return stage;
}

/**
 * The wardens of the retired cells patrol the live cells that cover the same ground (interiors
 * overlapping by more than the tolerance). Their rows for the retired cells stay, as history.
 */
async function handOverWardenCells(tx: QueryRunner, retired: string[]): Promise<number> {
  if (retired.length === 0) return 0;
  const added = await rows<{ user_id: string }>(
    tx,
    `INSERT INTO warden_cell (user_id, cell_code)
     SELECT DISTINCT w.user_id, g.code
       FROM warden_cell w
       JOIN grid_cell o ON o.code = w.cell_code
       JOIN grid_cell g ON g.retired_at IS NULL AND g.geom && o.geom AND ST_Relate(g.geom, o.geom, 'T********')
      WHERE w.cell_code = ANY($1::text[]) AND ST_Area(ST_Intersection(g.geom, o.geom)::geography) > $2
     ON CONFLICT DO NOTHING
     RETURNING user_id`,
    [retired, OVERLAP_TOLERANCE_M2],
  );
  return added.length;
}

/** Retires the live cells whose codes are not listed; returns their codes. */
async function retireUnlisted(tx: QueryRunner, listed: string[]): Promise<string[]> {
  const retired = await rows<{ code: string }>(
    tx,
    `UPDATE grid_cell SET retired_at = now() WHERE retired_at IS NULL AND NOT (code = ANY($1::text[])) RETURNING code`,
    [listed],
  );
  return retired.map((r) => r.code);
}

/**
 * The outlines of the communities and streets of the changed cells, and of the district: the union
 * of their live cells (a place left without one has none). The chiefs' street filter and the map
 * read them.
 */
async function redrawOutlines(tx: QueryRunner, changedCells: string[], districtCode: string): Promise<void> {
  if (changedCells.length === 0) return;
  const communities = [...new Set(changedCells.map((c) => c.slice(0, 12)))];
  const streets = [...new Set(changedCells.map((c) => c.slice(0, 9)))];
  await run(
    tx,
    `UPDATE community m SET geom = (SELECT ST_Multi(ST_Union(g.geom)) FROM grid_cell g WHERE g.community_code = m.code AND g.retired_at IS NULL)
      WHERE m.code = ANY($1::text[])`,
    [communities],
  );
  await run(
    tx,
    `UPDATE street s SET geom = (SELECT ST_Multi(ST_Union(m.geom)) FROM community m WHERE m.street_code = s.code)
      WHERE s.code = ANY($1::text[])`,
    [streets],
  );
  await run(tx, `UPDATE district SET geom = (SELECT ST_Multi(ST_Union(geom)) FROM street WHERE district_code = $1) WHERE code = $1`, [districtCode]);
}

/** [west, south, east, north] of a polygon's coordinates, exact (a pair of cells whose boxes only touch cannot overlap). */
function boundingBox(geometry: CellFeature['geometry']): [number, number, number, number] {
  const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  for (const polygon of polygons) {
    for (const ring of polygon) {
      for (const [x, y] of ring) {
        if (x < box[0]) box[0] = x;
        if (y < box[1]) box[1] = y;
        if (x > box[2]) box[2] = x;
        if (y > box[3]) box[3] = y;
      }
    }
  }
  return box;
}

function overlapProblems<T extends { key: number; other: number | string; area: number }>(
  overlaps: T[],
  name: (o: T) => string,
): { key: number; problem: string }[] {
  const byKey = new Map<number, T[]>();
  const sorted = [...overlaps].sort((a, b) => a.key - b.key || String(a.other).localeCompare(String(b.other), 'en', { numeric: true }));
  for (const o of sorted) byKey.set(o.key, [...(byKey.get(o.key) ?? []), o]);
  return [...byKey].map(([key, list]) => {
    const shown = list.slice(0, 3).map((o) => `${name(o)} by ${Math.round(o.area)} m²`);
    const more = list.length > 3 ? ` and ${list.length - 3} more` : '';
    return { key, problem: `overlaps ${shown.join(', ')}${more}` };
  });
}

function missing(codes: string[], known: ReadonlySet<string>, names: ReadonlyMap<string, string>): { code: string; name: string }[] {
  return [...new Set(codes)].filter((code) => !known.has(code)).map((code) => ({ code, name: names.get(code) ?? code }));
}

async function createPlaces(tx: QueryRunner, sql: string, places: { code: string; name: string }[], params: unknown[] = []): Promise<number> {
  if (places.length === 0) return 0;
  return (await rows<{ code: string }>(tx, sql, [asJson(places), ...params])).length;
}
