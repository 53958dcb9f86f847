import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { FeatureCollection } from 'typeorm';
import { AppError } from '@wangge/operations';

/** A bounding box in WGS84: west, south, east, north. */
export interface BoundingBox {
  minLng: number;
  minLat: number;
  maxLng: number;
  maxLat: number;
}

export class TooManyFeaturesError extends AppError<'bbox_too_large'> {
  constructor(readonly limit: number) {
    const problem = `more than ${limit} features in the box`;
    super('bbox_too_large', 'unprocessable', `${problem}: zoom in or raise limit / 范围过大，请放大地图`, { details: [{ field: 'bbox', problem }] });
  }
}

/**
 * The counts a map layer shows per grid cell, written by the owner of what is counted (the workflow
 * counts open cases): SQL of a relation (code, open, overdue), one row per cell code, that may read
 * the CTE `cell` (code, geom: the cells of the box or tile) to cut what it counts.
 */
export type CellCountsSql = string;

/**
 * Grid cells in the box $1..$4 (at most $5, by code) with the counts of each from `counts` (see
 * {@link CellCountsSql}). A pure SQL builder: the caller that owns the counted table runs it.
 */
export function cellsWithCountsSql(counts: CellCountsSql): string {
  return `
    WITH cell AS (
      SELECT c.code, c.geom, c.street_code, c.community_code, c.area_m2 FROM grid_cell c
       WHERE c.geom && ST_MakeEnvelope($1, $2, $3, $4, 4326) AND c.retired_at IS NULL
       ORDER BY c.code LIMIT $5),
    n AS (${counts})
    SELECT json_build_object(
             'type', 'Feature', 'id', c.code,
             'geometry', ST_AsGeoJSON(c.geom, 7)::json,
             'properties', json_build_object('code', c.code, 'streetCode', c.street_code, 'communityCode', c.community_code,
                                             'communityName', m.name, 'areaM2', round(c.area_m2::numeric, 1),
                                             'open', coalesce(n.open, 0), 'overdue', coalesce(n.overdue, 0))) AS f
      FROM cell c JOIN community m ON m.code = c.community_code LEFT JOIN n ON n.code = c.code
     ORDER BY c.code`;
}

/** Layers of a vector tile: `cells` from this zoom (below it a cell is smaller than a pixel or two). */
export const CELLS_TILE_MIN_ZOOM = 10;
/** The deepest zoom a tile is cut at. */
export const MAX_TILE_ZOOM = 22;

/** Vector tiles need PostGIS built with protobuf-c (the embedded PGlite PostGIS is not). */
export class TilesUnavailableError extends AppError<'tiles_unavailable'> {
  constructor(readonly reason: string) {
    super(
      'tiles_unavailable',
      'not_implemented',
      `vector tiles are not available on this database: ${reason}; use GET /api/v1/grid/cells and /api/v1/roads / 当前数据库不支持矢量切片，请使用 GeoJSON 图层`,
    );
  }
}

/**
 * One Mapbox vector tile (z/x/y in Web Mercator) of the district: layer `cells` (code, street,
 * open, overdue: the counts from `counts`, see {@link CellCountsSql}, over the whole cell as the
 * GeoJSON layer does) and layer `roads` (segment, id, name, chief1..chief3 by level and `chiefs`
 * as JSON). $1..$3 are z, x, y; $4 whether to draw cells. A pure SQL builder, as
 * {@link cellsWithCountsSql}.
 */
export function tileSql(counts: CellCountsSql): string {
  return `
    WITH env AS (SELECT ST_TileEnvelope($1, $2, $3) AS merc, ST_Transform(ST_TileEnvelope($1, $2, $3), 4326) AS wgs),
    cell AS (
      SELECT c.code, c.street_code, c.geom FROM grid_cell c, env WHERE $4 AND c.geom && env.wgs AND c.retired_at IS NULL),
    n AS (${counts}),
    cells AS (
      SELECT c.code, c.street_code AS street, coalesce(n.open, 0) AS open, coalesce(n.overdue, 0) AS overdue,
             ST_AsMVTGeom(ST_Transform(c.geom, 3857), env.merc, 4096, 64, true) AS geom
        FROM cell c CROSS JOIN env LEFT JOIN n ON n.code = c.code),
    chiefs AS (
      SELECT rs.id AS segment_id, x.level, x.name
        FROM road_segment rs CROSS JOIN env
        CROSS JOIN LATERAL (
          SELECT DISTINCT ON (sc.level) sc.level, u.name
            FROM road_chief_scope sc JOIN road_chief ch ON ch.id = sc.chief_id JOIN app_user u ON u.id = ch.user_id
           WHERE (sc.kind = 'segment' AND sc.segment_id = rs.id) OR (sc.kind = 'road' AND sc.road_id = rs.road_id)
           ORDER BY sc.level, (sc.kind = 'segment') DESC) x
       WHERE rs.geom && env.wgs AND rs.retired_at IS NULL),
    roads AS (
      SELECT r.id, r.name, rs.id AS segment,
             max(ch.name) FILTER (WHERE ch.level = 1) AS chief1,
             max(ch.name) FILTER (WHERE ch.level = 2) AS chief2,
             max(ch.name) FILTER (WHERE ch.level = 3) AS chief3,
             coalesce(json_agg(json_build_object('level', ch.level, 'name', ch.name) ORDER BY ch.level) FILTER (WHERE ch.level IS NOT NULL), '[]')::text AS chiefs,
             ST_AsMVTGeom(ST_Transform(rs.geom, 3857), env.merc, 4096, 64, true) AS geom
        FROM road_segment rs CROSS JOIN env JOIN road r ON r.id = rs.road_id LEFT JOIN chiefs ch ON ch.segment_id = rs.id
       WHERE rs.geom && env.wgs AND rs.retired_at IS NULL
       GROUP BY r.id, r.name, rs.id, rs.geom, env.merc)
    SELECT (SELECT coalesce(ST_AsMVT(cells, 'cells', 4096, 'geom'), '') FROM cells WHERE geom IS NOT NULL)
        || (SELECT coalesce(ST_AsMVT(roads, 'roads', 4096, 'geom'), '') FROM roads WHERE geom IS NOT NULL) AS tile`;
}

/**
 * GeoJSON layers of the district for the map, cut by a bounding box (GiST && on the geometry):
 * roads here; cells with their case counts in the workflow (`CaseMapLayers`), from the builders above.
 */
@Injectable()
export class MapLayersService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Road segments intersecting the box, each with the chiefs accountable for it by level. */
  async roads(box: BoundingBox, limit: number): Promise<FeatureCollection> {
    return this.collection(
      `SELECT json_build_object(
                'type', 'Feature', 'id', rs.ref,
                'geometry', ST_AsGeoJSON(rs.geom, 7)::json,
                'properties', json_build_object(
                   'roadId', r.id, 'roadName', r.name, 'segmentId', rs.id, 'segmentRef', rs.ref, 'seq', rs.seq,
                   'lengthM', round(rs.length_m::numeric, 1),
                   'chiefs', (SELECT coalesce(json_agg(json_build_object('level', x.level, 'id', x.id, 'name', x.name, 'available', x.available)
                                                       ORDER BY x.level), '[]'::json)
                                FROM (SELECT DISTINCT ON (sc.level) sc.level, ch.id, u.name, ch.available
                                        FROM road_chief_scope sc JOIN road_chief ch ON ch.id = sc.chief_id JOIN app_user u ON u.id = ch.user_id
                                       WHERE (sc.kind = 'segment' AND sc.segment_id = rs.id) OR (sc.kind = 'road' AND sc.road_id = r.id)
                                       ORDER BY sc.level, (sc.kind = 'segment') DESC) x))) AS f
         FROM road_segment rs JOIN road r ON r.id = rs.road_id
        WHERE rs.geom && ST_MakeEnvelope($1, $2, $3, $4, 4326) AND rs.retired_at IS NULL
        ORDER BY r.id, rs.seq LIMIT $5`,
      box,
      limit,
    );
  }

  private tilesAvailable: Promise<string | null> | null = null;

  /**
   * Asks PostGIS once whether it can write MVT (PostGIS built without protobuf-c cannot):
   * {@link TilesUnavailableError} when it cannot. Whoever cuts a tile asks first.
   */
  async assertTilesAvailable(): Promise<void> {
    this.tilesAvailable ??= this.db
      .query(`SELECT ST_AsMVT(q, 'probe') FROM (SELECT ST_AsMVTGeom(ST_Point(0, 0, 3857), ST_TileEnvelope(0, 0, 0)) AS geom) q`)
      .then(
        () => null,
        (err: Error) => {
          if (/protobuf|does not exist/i.test(err.message)) return err.message;
          this.tilesAvailable = null; // another failure: ask again next time
          throw err;
        },
      );
    const missing = await this.tilesAvailable;
    if (missing !== null) throw new TilesUnavailableError(missing);
  }

  private async collection(sql: string, box: BoundingBox, limit: number): Promise<FeatureCollection> {
    return featureCollection(await this.db.query(sql, [box.minLng, box.minLat, box.maxLng, box.maxLat, limit + 1]), limit);
  }
}

/** The features of rows `f` read with `limit + 1` as their limit; {@link TooManyFeaturesError} past `limit`. */
export function featureCollection(rows: { f: FeatureCollection['features'][number] }[], limit: number): FeatureCollection {
  if (rows.length > limit) throw new TooManyFeaturesError(limit);
  return { type: 'FeatureCollection', features: rows.map((r) => r.f) };
}
