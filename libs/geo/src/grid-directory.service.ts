import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

/** Grid cells and streets by code, for checks of what an admin hands out (a warden's cells, a street). */
@Injectable()
export class GridDirectory {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * The live cells among `codes`, each with its street (code → street code); unknown and retired
   * cells (`retired_at`, set by re-zoning) are absent.
   */
  async liveCells(codes: readonly string[], manager: EntityManager = this.db.manager): Promise<Map<string, string>> {
    if (codes.length === 0) return new Map();
    const rows: { code: string; street_code: string }[] = await manager.query(
      `SELECT g.code, g.street_code FROM grid_cell g
        WHERE g.code = ANY($1::varchar[]) AND g.retired_at IS NULL`,
      [codes],
    );
    return new Map(rows.map((r) => [r.code, r.street_code]));
  }

  /** Every street with its bounding box [west, south, east, north] (code order): where a map of the street opens. */
  async streetExtents(): Promise<{ code: string; name: string; bbox: [number, number, number, number] | null }[]> {
    const rows: { code: string; name: string; w: number | null; s: number | null; e: number | null; n: number | null }[] = await this.db.query(
      `SELECT code, name, ST_XMin(x) AS w, ST_YMin(x) AS s, ST_XMax(x) AS e, ST_YMax(x) AS n
         FROM (SELECT st.code, st.name, coalesce(Box2D(st.geom), (SELECT ST_Extent(g.geom) FROM grid_cell g WHERE g.street_code = st.code)) AS x
                 FROM street st) q
        ORDER BY code`,
    );
    return rows.map((r) => ({ code: r.code, name: r.name, bbox: r.w === null ? null : [r.w, r.s!, r.e!, r.n!] }));
  }

  /** The bounding box [west, south, east, north] of these cells; null for none. */
  async cellsExtent(codes: readonly string[]): Promise<[number, number, number, number] | null> {
    if (codes.length === 0) return null;
    const rows: { w: number | null; s: number; e: number; n: number }[] = await this.db.query(
      `SELECT ST_XMin(x) AS w, ST_YMin(x) AS s, ST_XMax(x) AS e, ST_YMax(x) AS n FROM (SELECT ST_Extent(geom) AS x FROM grid_cell WHERE code = ANY($1::varchar[])) q`,
      [codes],
    );
    const r = rows[0];
    return r && r.w !== null ? [r.w, r.s, r.e, r.n] : null;
  }

  /** Every street's code and name (code order), for the checks of a people file's `street` column. */
  async streets(manager: EntityManager = this.db.manager): Promise<{ code: string; name: string }[]> {
    return manager.query(`SELECT code, name FROM street ORDER BY code`);
  }
}
