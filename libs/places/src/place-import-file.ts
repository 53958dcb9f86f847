import { decode, readCsvRows, readFeatureCollection, type ImportProblem } from '@wangge/import';
import { PLACE_KINDS, type PlaceKind } from './place.types';

/** Rows of one places file at most (each is located and registered in the one transaction). */
export const PLACE_IMPORT_MAX_ROWS = 2000;

/** The places CSV: these columns in any order, the first four required. */
export const PLACE_CSV_COLUMNS = ['kind', 'name', 'lng', 'lat', 'address', 'owner_name', 'owner_phone', 'responsible', 'code'] as const;
const REQUIRED: readonly string[] = ['kind', 'name', 'lng', 'lat'];
type Column = (typeof PLACE_CSV_COLUMNS)[number];

/** Kinds as a district's spreadsheet writes them: the codes, or their Chinese names. */
const KIND_NAMES: Readonly<Record<string, PlaceKind>> = { 工地: 'site', 市场: 'market', 卡点: 'checkpoint', 企业: 'enterprise', 其他: 'other' };

const NAME_MAX = 200;
const CODE_PATTERN = /^[A-Za-z0-9_.\-/]{1,64}$/;

/** One place of a file as written, before it is located and checked against the database. */
export interface PlaceImportRow {
  /** `line 3 (东区工地)` or `features[2] (东区工地)`: how the problems name the row. */
  label: string;
  kind: PlaceKind;
  name: string;
  geometry: unknown;
  address: string | null;
  ownerName: string | null;
  ownerPhone: string | null;
  /** A username, as written. */
  responsible: string | null;
  code: string | null;
}

export interface PlaceImportFile {
  format: 'csv' | 'geojson';
  records: number;
  rows: PlaceImportRow[];
  problems: ImportProblem[];
}

/** Reads a places file: a GeoJSON FeatureCollection (Point or Polygon features), or else a CSV with a header. */
export function readPlacesFile(name: string, content: string | Buffer): PlaceImportFile {
  const text = decode(content);
  const whole = (problem: string, format: PlaceImportFile['format'] = 'csv'): PlaceImportFile => ({ format, records: 0, rows: [], problems: [{ file: name, feature: '(file)', problem }] });
  if (!text.ok) return whole(text.problem);
  if (/\.(geo)?json$/i.test(name) || /^\s*[{[]/.test(text.value)) return readGeoJson(name, text.value);
  return readCsv(name, text.value);
}

function readGeoJson(file: string, text: string): PlaceImportFile {
  const collection = readFeatureCollection(text);
  if (!collection.ok) return { format: 'geojson', records: 0, rows: [], problems: [{ file, feature: '(file)', problem: collection.problem }] };
  const features = collection.value;
  const out: PlaceImportFile = { format: 'geojson', records: features.length, rows: [], problems: [] };
  if (features.length === 0) out.problems.push({ file, feature: '(file)', problem: 'the FeatureCollection has no features / 文件中没有点位' });
  if (features.length > PLACE_IMPORT_MAX_ROWS) return { ...out, problems: [{ file, feature: '(file)', problem: tooMany(features.length) }] };
  for (const f of features) {
    const p = f.properties;
    const str = (key: string) => (typeof p[key] === 'string' || typeof p[key] === 'number' ? String(p[key]).trim() : '');
    const label = `features[${f.index}]${str('name') ? ` (${str('name')})` : ''}`;
    if (f.malformed) {
      out.problems.push({ file, feature: label, problem: f.malformed });
      continue;
    }
    const geometry = f.geometryType === 'Point' || f.geometryType === 'Polygon' ? f.geometry : null;
    const problems: string[] = geometry ? [] : [`geometry: a place is a Point or a Polygon (not ${f.geometryType ?? 'missing'})`];
    const row = checkRow(
      { kind: str('kind'), name: str('name'), address: str('address'), ownerName: str('ownerName'), ownerPhone: str('ownerPhone'), responsible: str('responsible'), code: str('code') },
      geometry,
      label,
      problems,
    );
    push(out, file, label, row, problems);
  }
  return out;
}

function readCsv(file: string, text: string): PlaceImportFile {
  const read = readCsvRows(text);
  const whole = (problem: string): PlaceImportFile => ({ format: 'csv', records: 0, rows: [], problems: [{ file, feature: '(file)', problem }] });
  if ('error' in read) return whole(`not valid CSV (${read.error}) / 不是有效的 CSV`);
  const [header, ...data] = read.rows;
  const expected = PLACE_CSV_COLUMNS.join(',');
  if (!header) return whole(`empty file: expected the header ${expected} / 文件为空`);
  const columns = header.values.map((v) => v.trim().toLowerCase());
  const missing = REQUIRED.filter((c) => !columns.includes(c));
  const unknown = columns.filter((c) => !(PLACE_CSV_COLUMNS as readonly string[]).includes(c));
  if (missing.length || unknown.length) {
    const what = [...(missing.length ? [`missing column ${missing.join(', ')}`] : []), ...(unknown.length ? [`unknown column ${unknown.join(', ')}`] : [])];
    return { ...whole(''), problems: [{ file, feature: `line ${header.line}`, problem: `${what.join('; ')}: the header is ${expected} (kind,name,lng,lat required) / 表头应为 ${expected}` }] };
  }
  if (data.length === 0) return whole('no places in the file / 文件中没有点位');
  if (data.length > PLACE_IMPORT_MAX_ROWS) return whole(tooMany(data.length));
  const out: PlaceImportFile = { format: 'csv', records: data.length, rows: [], problems: [] };
  for (const r of data) {
    // A leading apostrophe before = + - @ guards against spreadsheet formulas: read it away.
    const get = (c: Column) => (columns.includes(c) ? (r.values[columns.indexOf(c)] ?? '') : '').trim().replace(/^'(?=[=+\-@])/, '');
    const label = `line ${r.line}${get('name') ? ` (${get('name')})` : ''}`;
    const problems: string[] = [];
    const lng = coordinate(get('lng'), 'lng', 180, problems);
    const lat = coordinate(get('lat'), 'lat', 90, problems);
    const geometry = lng !== null && lat !== null ? { type: 'Point', coordinates: [lng, lat] } : null;
    const row = checkRow(
      { kind: get('kind'), name: get('name'), address: get('address'), ownerName: get('owner_name'), ownerPhone: get('owner_phone'), responsible: get('responsible'), code: get('code') },
      geometry,
      label,
      problems,
    );
    push(out, file, label, row, problems);
  }
  return out;
}

interface Written {
  kind: string;
  name: string;
  address: string;
  ownerName: string;
  ownerPhone: string;
  responsible: string;
  code: string;
}

function checkRow(w: Written, geometry: unknown, label: string, problems: string[]): PlaceImportRow | null {
  const kind = (PLACE_KINDS as readonly string[]).includes(w.kind.toLowerCase()) ? (w.kind.toLowerCase() as PlaceKind) : (KIND_NAMES[w.kind] ?? null);
  if (!w.kind) problems.push('kind: missing (site, market, checkpoint, enterprise, other or 工地, 市场, 卡点, 企业, 其他)');
  else if (!kind) problems.push(`kind: unknown kind "${w.kind}" (site, market, checkpoint, enterprise, other or 工地, 市场, 卡点, 企业, 其他)`);
  if (!w.name) problems.push('name: missing');
  else if (w.name.length > NAME_MAX) problems.push(`name: at most ${NAME_MAX} characters`);
  if (w.address.length > NAME_MAX) problems.push(`address: at most ${NAME_MAX} characters`);
  if (w.ownerPhone && !w.ownerName) problems.push('owner_name: missing beside owner_phone');
  if (w.ownerPhone && !/^[0-9+\-() ]{3,32}$/.test(w.ownerPhone)) problems.push('owner_phone: 3 to 32 digits, spaces, + - ( )');
  if (w.code && !CODE_PATTERN.test(w.code)) problems.push('code: 1 to 64 letters, digits, _ . - /');
  if (problems.length > 0 || !kind || geometry === null) return null;
  return {
    label,
    kind,
    name: w.name,
    geometry,
    address: w.address || null,
    ownerName: w.ownerName || null,
    ownerPhone: w.ownerPhone || null,
    responsible: w.responsible || null,
    code: w.code || null,
  };
}

function push(out: PlaceImportFile, file: string, label: string, row: PlaceImportRow | null, problems: string[]): void {
  for (const problem of problems) out.problems.push({ file, feature: label, problem });
  if (row) out.rows.push(row);
}

function coordinate(value: string, field: 'lng' | 'lat', max: number, problems: string[]): number | null {
  if (!value) {
    problems.push(`${field}: missing`);
    return null;
  }
  const n = Number(value);
  if (!Number.isFinite(n) || Math.abs(n) > max) {
    problems.push(`${field}: "${value}" is not a ${field === 'lng' ? 'longitude' : 'latitude'} (-${max}..${max})`);
    return null;
  }
  return n;
}

function tooMany(n: number): string {
  return `at most ${PLACE_IMPORT_MAX_ROWS} places per file (this one has ${n}) / 每个文件最多 ${PLACE_IMPORT_MAX_ROWS} 个点位`;
}
