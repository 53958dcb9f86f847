import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, FeatureCollection } from 'typeorm';
import { caseScopeSql, type CasePrincipal } from '@wangge/auth';
import { CELLS_TILE_MIN_ZOOM, cellsWithCountsSql, featureCollection, MapLayersService, tileSql, type BoundingBox, type CellCountsSql } from '@wangge/geo';

/** The statuses of a case still being worked on (the partial indexes on case_file use the same list). */
export const OPEN_CASE_STATUSES_SQL = `('reported', 'registered', 'dispatched', 'in_progress', 'resolved')`;

/**
 * The open and overdue cases per grid cell that `scope` (a condition on case alias `k` from the
 * access model, see {@link caseScopeSql}) lets through, for geo's cell layers ({@link CellCountsSql}):
 * the open cases inside the extent of the CTE `cell` (the partial GiST index on open cases'
 * locations), grouped by cell code.
 */
export function openCasesPerCellSql(scope: string): CellCountsSql {
  return `
      SELECT k.grid_cell_code AS code, count(*)::int AS open, (count(*) FILTER (WHERE k.overdue))::int AS overdue
        FROM case_file k
       WHERE k.status IN ${OPEN_CASE_STATUSES_SQL}
         AND k.location && (SELECT ST_SetSRID(ST_Extent(geom)::geometry, 4326) FROM cell) AND ${scope}
       GROUP BY k.grid_cell_code`;
}

/**
 * The map layers that count cases: grid cells (GeoJSON) and vector tiles with the open and overdue
 * cases the caller may see. Geo writes the spatial SQL of cells and tiles ({@link cellsWithCountsSql},
 * {@link tileSql}); the workflow puts in the case counts and runs it, in one statement as before.
 */
@Injectable()
export class CaseMapLayers {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(MapLayersService) private readonly layers: MapLayersService,
  ) {}

  /** Grid cells intersecting the box, with their street and community and the open and overdue cases in each the caller may see. */
  async cells(box: BoundingBox, limit: number, caller: CasePrincipal): Promise<FeatureCollection> {
    const params: unknown[] = [box.minLng, box.minLat, box.maxLng, box.maxLat, limit + 1];
    const scope = caseScopeSql(caller, 'k', (v) => `$${params.push(v)}`);
    return featureCollection(await this.db.query(cellsWithCountsSql(openCasesPerCellSql(scope)), params), limit);
  }

  /**
   * The vector tile z/x/y (see {@link tileSql}), cells counted within the caller's scope; an empty
   * buffer when nothing lies in it. `TilesUnavailableError` when PostGIS cannot write MVT.
   */
  async tile(z: number, x: number, y: number, caller: CasePrincipal): Promise<Buffer> {
    await this.layers.assertTilesAvailable();
    const params: unknown[] = [z, x, y, z >= CELLS_TILE_MIN_ZOOM];
    const scope = caseScopeSql(caller, 'k', (v) => `$${params.push(v)}`);
    const rows: { tile: Buffer | null }[] = await this.db.query(tileSql(openCasesPerCellSql(scope)), params);
    return rows[0]?.tile ?? Buffer.alloc(0);
  }
}
