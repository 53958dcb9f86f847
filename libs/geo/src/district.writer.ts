import type { EntityManager } from 'typeorm';
import { BoundaryError, type BoundaryGeometry } from './district-boundary';

export interface NewDistrict {
  /** GB/T 2260 code, 6 digits. */
  code: string;
  name: string;
  nameEn?: string | null;
  /** The outline; none leaves it to be drawn from the cells later. */
  boundary?: BoundaryGeometry | null;
}

/** Thrown when the database already has a district: a deployment is one district, set up once. */
export class DistrictExistsError extends Error {
  constructor(readonly existing: { code: string; name: string }) {
    super(`the database already has district ${existing.code} ${existing.name}; setup only fills an empty database · 数据库已有区 ${existing.code} ${existing.name}，不能重复初始化`);
    this.name = 'DistrictExistsError';
  }
}

/** The district the database holds, if any (null also before the schema exists). */
export async function existingDistrict(manager: EntityManager): Promise<{ code: string; name: string } | null> {
  const [table] = await manager.query<{ present: boolean }[]>(`SELECT to_regclass('district') IS NOT NULL AS present`);
  if (!table?.present) return null;
  const [row] = await manager.query<{ code: string; name: string }[]>(`SELECT code, name FROM district ORDER BY code LIMIT 1`);
  return row ?? null;
}

/**
 * Creates the district of an empty database, inside the caller's transaction. The table is locked
 * first so that two setups at once cannot both find it empty. Throws DistrictExistsError when a
 * district is there, BoundaryError when PostGIS finds the boundary invalid as a surface.
 */
export async function createDistrict(tx: EntityManager, district: NewDistrict): Promise<void> {
  await tx.query(`LOCK TABLE district IN SHARE ROW EXCLUSIVE MODE`);
  const existing = await existingDistrict(tx);
  if (existing) throw new DistrictExistsError(existing);
  const boundary = district.boundary ? JSON.stringify(district.boundary) : null;
  if (boundary) {
    const [check] = await tx.query<{ valid: boolean; reason: string }[]>(
      `SELECT ST_IsValid(g) AS valid, ST_IsValidReason(g) AS reason FROM ST_SetSRID(ST_GeomFromGeoJSON($1), 4326) AS g`,
      [boundary],
    );
    if (!check.valid) throw new BoundaryError(`the boundary is not a valid polygon: ${check.reason}`);
  }
  await tx.query(
    `INSERT INTO district (code, name, name_en, geom)
     VALUES ($1, $2, $3, CASE WHEN $4::text IS NULL THEN NULL ELSE ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($4::text), 4326)) END)`,
    [district.code, district.name, district.nameEn ?? null, boundary],
  );
}
