import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

/** The divisions the map outlines and names, largest first. */
export const DIVISION_LEVELS = ['district', 'street', 'community'] as const;
export type DivisionLevel = (typeof DIVISION_LEVELS)[number];

/** One division's outline: a GeoJSON Feature (MultiPolygon) with its name and where to write it. */
export interface DivisionOutlineFeature {
  type: 'Feature';
  /** The division's code. */
  id: string;
  geometry: { type: 'MultiPolygon'; coordinates: number[][][][] };
  properties: {
    level: DivisionLevel;
    code: string;
    name: string;
    /** The district's English name where it has one; null otherwise. */
    nameEn: string | null;
    /** The street it lies in (a street: itself; the district: null). */
    streetCode: string | null;
    /** Live grid cells dissolved into it. */
    cellCount: number;
    /** A point inside the outline (PostGIS ST_PointOnSurface) for its name: [lng, lat]. */
    label: [number, number];
  };
}

export interface DivisionOutlineCollection {
  type: 'FeatureCollection';
  /** The cells' revision the outlines were made from. */
  revision: number;
  features: DivisionOutlineFeature[];
}

/**
 * The live cells dissolved per community, the communities per street, the streets into the district
 * (ST_Union: PostGIS 3.3 of the server and PGlite has no ST_CoverageUnion), with a point inside each.
 */
const REFRESH_SQL = `
  WITH community_outline AS (
    SELECT community_code AS code, ST_Multi(ST_Union(geom)) AS geom, count(*)::int AS n
      FROM grid_cell WHERE retired_at IS NULL GROUP BY community_code),
  street_outline AS (
    SELECT left(code, 9) AS code, ST_Multi(ST_Union(geom)) AS geom, sum(n)::int AS n FROM community_outline GROUP BY left(code, 9)),
  district_outline AS (
    SELECT left(code, 6) AS code, ST_Multi(ST_Union(geom)) AS geom, sum(n)::int AS n FROM street_outline GROUP BY left(code, 6))
  INSERT INTO division_outline (level, code, geom, label, cell_count)
  SELECT 'community', code, geom, ST_PointOnSurface(geom), n FROM community_outline
  UNION ALL SELECT 'street', code, geom, ST_PointOnSurface(geom), n FROM street_outline
  UNION ALL SELECT 'district', code, geom, ST_PointOnSurface(geom), n FROM district_outline`;

/** Each level's name (and English name, street) joined to its outlines. */
const NAMES: Record<DivisionLevel, { join: string; name: string; nameEn: string; street: string }> = {
  district: { join: 'JOIN district x ON x.code = o.code', name: 'x.name', nameEn: 'x.name_en', street: 'NULL' },
  street: { join: 'JOIN street x ON x.code = o.code', name: 'x.name', nameEn: 'NULL', street: 'x.code' },
  community: { join: 'JOIN community x ON x.code = o.code', name: 'x.name', nameEn: 'NULL', street: 'x.street_code' },
};

/**
 * The outlines of the district, its streets and communities, drawn from the live grid cells so
 * that they fit the cells exactly (the boundaries an import brings may not). Kept in
 * `division_outline` and made again on the first read after the cells changed (`grid_revision`,
 * raised by a trigger on every write to `grid_cell`). Names are joined at read time, so a renamed
 * street needs no refresh. Public geography of the district: no case data (docs/map.md).
 */
@Injectable()
export class DivisionOutlines {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The outlines of one level, by code, made fresh first if the cells changed since. */
  async outlines(level: DivisionLevel): Promise<DivisionOutlineCollection> {
    const revision = await this.refreshIfStale();
    const n = NAMES[level];
    const rows: { f: DivisionOutlineFeature }[] = await this.db.query(
      `SELECT json_build_object(
                'type', 'Feature', 'id', o.code,
                'geometry', ST_AsGeoJSON(o.geom, 6)::json,
                'properties', json_build_object(
                   'level', o.level, 'code', o.code, 'name', ${n.name}, 'nameEn', ${n.nameEn}, 'streetCode', ${n.street},
                   'cellCount', o.cell_count,
                   'label', json_build_array(round(ST_X(o.label)::numeric, 6), round(ST_Y(o.label)::numeric, 6)))) AS f
         FROM division_outline o ${n.join}
        WHERE o.level = $1
        ORDER BY o.code`,
      [level],
    );
    return { type: 'FeatureCollection', revision, features: rows.map((r) => r.f) };
  }

  /**
   * Makes the outlines again when the cells moved on since they were made; returns the revision
   * they are of. The revision's row is locked meanwhile: a concurrent reader waits and finds them
   * fresh, a concurrent write of cells waits (about a second for 20,000 cells) and raises it after.
   */
  async refreshIfStale(): Promise<number> {
    const [now] = await this.db.query<{ revision: string; outlines_revision: string }[]>(`SELECT revision, outlines_revision FROM grid_revision`);
    if (now.revision === now.outlines_revision) return Number(now.revision);
    // one refresh at a time in this process: the readers that find the outlines stale meanwhile wait
    // for it without holding a connection each (the map asks for three levels at once)
    this.refreshing ??= this.refresh().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private refreshing: Promise<number> | null = null;

  private refresh(): Promise<number> {
    return this.db.transaction(async (tx: EntityManager) => {
      const [locked] = await tx.query<{ revision: string; outlines_revision: string }[]>(`SELECT revision, outlines_revision FROM grid_revision FOR UPDATE`);
      if (locked.revision === locked.outlines_revision) return Number(locked.revision);
      await tx.query(`DELETE FROM division_outline`);
      await tx.query(REFRESH_SQL);
      await tx.query(`UPDATE grid_revision SET outlines_revision = revision`);
      return Number(locked.revision);
    });
  }
}
