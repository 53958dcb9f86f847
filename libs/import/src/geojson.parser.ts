/** GeoJSON reading for the import: a FeatureCollection, its features, and strictly checked geometries. */

export type Position = [number, number];
export interface PointGeometry {
  type: 'Point';
  coordinates: Position;
}
export interface LineStringGeometry {
  type: 'LineString';
  coordinates: Position[];
}
export interface MultiLineStringGeometry {
  type: 'MultiLineString';
  coordinates: Position[][];
}
export interface PolygonGeometry {
  type: 'Polygon';
  coordinates: Position[][];
}
export interface MultiPolygonGeometry {
  type: 'MultiPolygon';
  coordinates: Position[][][];
}
export type Geometry = PointGeometry | LineStringGeometry | MultiLineStringGeometry | PolygonGeometry | MultiPolygonGeometry;
export type GeometryType = Geometry['type'];

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(problem: string): Parsed<T> => ({ ok: false, problem });

/** One feature of a collection, before its geometry and properties are checked. */
export interface RawFeature {
  /** Position in `features`, for naming it: `features[index]`. */
  index: number;
  /** Set when the entry is not a GeoJSON Feature at all. */
  malformed: string | null;
  /** The geometry's `type` member, null when the feature has no geometry. */
  geometryType: string | null;
  geometry: unknown;
  /** Properties, with OpenStreetMap `tags` (older osmtogeojson output) flattened in. */
  properties: Record<string, unknown>;
  /** `node/1`, `way/2` or `relation/3` when the feature is an OpenStreetMap element. */
  osmId: string | null;
}

const OSM_ID = /^(node|way|relation)\/\d+$/;
const OSM_TYPES = ['node', 'way', 'relation'];
/** `crs` names we take for WGS84 (CGCS2000 differs from it by centimetres). */
const WGS84_CRS = /CRS84|EPSG:{1,2}4326|EPSG:{1,2}4490/i;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses a GeoJSON FeatureCollection; a problem for the whole file when it is not one. */
export function readFeatureCollection(text: string): Parsed<RawFeature[]> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return fail(`not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  if (!isRecord(doc)) return fail('not a GeoJSON FeatureCollection');
  if (Array.isArray(doc.elements)) {
    return fail('an Overpass JSON file (elements), not GeoJSON: export GeoJSON from overpass-turbo or convert it with osmtogeojson');
  }
  if (doc.type !== 'FeatureCollection') return fail(`not a GeoJSON FeatureCollection (type ${JSON.stringify(doc.type ?? null)})`);
  if (!Array.isArray(doc.features)) return fail('the FeatureCollection has no features array');
  const crs = crsName(doc.crs);
  if (crs !== null && !WGS84_CRS.test(crs)) {
    return fail(`crs ${crs} is not WGS84: export the file in WGS84 (EPSG:4326) longitude/latitude`);
  }
  return ok(doc.features.map((f: unknown, index) => readRawFeature(f, index)));
}

function crsName(crs: unknown): string | null {
  if (!isRecord(crs) || !isRecord(crs.properties)) return null;
  const name = crs.properties.name;
  return typeof name === 'string' ? name : null;
}

function readRawFeature(f: unknown, index: number): RawFeature {
  if (!isRecord(f) || f.type !== 'Feature') {
    return { index, malformed: 'not a GeoJSON Feature', geometryType: null, geometry: null, properties: {}, osmId: null };
  }
  const own = isRecord(f.properties) ? f.properties : {};
  const properties = isRecord(own.tags) ? { ...own.tags, ...own } : own;
  const geometry = f.geometry ?? null;
  const geometryType = isRecord(geometry) && typeof geometry.type === 'string' ? geometry.type : null;
  return { index, malformed: null, geometryType, geometry, properties, osmId: osmIdOf(f.id, own) };
}

/** The OpenStreetMap element a feature comes from (overpass-turbo `@id`, osmtogeojson `id`), or null. */
export function osmIdOf(featureId: unknown, properties: Record<string, unknown>): string | null {
  for (const candidate of [featureId, properties['@id'], properties.id]) {
    if (typeof candidate === 'string' && OSM_ID.test(candidate)) return candidate;
  }
  const type = properties.type;
  const id = properties.id;
  if (typeof type === 'string' && OSM_TYPES.includes(type) && (typeof id === 'number' || (typeof id === 'string' && /^\d+$/.test(id)))) {
    return `${type}/${id}`;
  }
  return null;
}

/** A string property, trimmed; numbers are taken as their decimal text. Null when absent or blank. */
export function textProperty(properties: Record<string, unknown>, key: string): Parsed<string | null> {
  const value = properties[key];
  if (value === undefined || value === null) return ok(null);
  if (typeof value === 'number' && Number.isFinite(value)) return ok(String(value));
  if (typeof value !== 'string') return fail(`property ${key} must be text, not ${Array.isArray(value) ? 'an array' : typeof value}`);
  const trimmed = value.trim();
  return ok(trimmed === '' ? null : trimmed);
}

/**
 * Checks a geometry strictly (type, nesting, numeric positions inside WGS84 ranges, closed rings
 * of 4+ positions, lines of 2+ positions) and returns a clean 2D copy, so that PostGIS never
 * fails on it: what is left to PostGIS is validity (self-intersections and the like).
 */
export function readGeometry(value: unknown, allowed: readonly GeometryType[]): Parsed<Geometry> {
  if (!isRecord(value)) return fail('no geometry');
  const type = value.type;
  if (typeof type !== 'string' || !(allowed as readonly string[]).includes(type)) {
    return fail(`wrong geometry type ${typeof type === 'string' ? type : JSON.stringify(type ?? null)} (expected ${allowed.join(' or ')})`);
  }
  const c = value.coordinates;
  switch (type as GeometryType) {
    case 'Point':
      return map(readPosition(c), (coordinates) => ({ type: 'Point', coordinates }));
    case 'LineString':
      return map(readLine(c, ''), (coordinates) => ({ type: 'LineString', coordinates }));
    case 'MultiLineString':
      return map(readList(c, 'lines', (l, i) => readLine(l, `line ${i + 1}: `)), (coordinates) => ({ type: 'MultiLineString', coordinates }));
    case 'Polygon':
      return map(readPolygon(c, ''), (coordinates) => ({ type: 'Polygon', coordinates }));
    case 'MultiPolygon':
      return map(readList(c, 'polygons', (p, i) => readPolygon(p, `polygon ${i + 1}: `)), (coordinates) => ({ type: 'MultiPolygon', coordinates }));
  }
}

function map<T, U>(parsed: Parsed<T>, fn: (value: T) => U): Parsed<U> {
  return parsed.ok ? ok(fn(parsed.value)) : parsed;
}

function readList<T>(value: unknown, what: string, item: (v: unknown, i: number) => Parsed<T>): Parsed<T[]> {
  if (!Array.isArray(value) || value.length === 0) return fail(`coordinates must be a non-empty array of ${what}`);
  const out: T[] = [];
  for (let i = 0; i < value.length; i++) {
    const parsed = item(value[i], i);
    if (!parsed.ok) return parsed;
    out.push(parsed.value);
  }
  return ok(out);
}

function readPosition(value: unknown): Parsed<Position> {
  if (!Array.isArray(value) || value.length < 2) return fail(`position ${JSON.stringify(value)} is not [longitude, latitude]`);
  const [x, y] = value as unknown[];
  if (typeof x !== 'number' || typeof y !== 'number' || !Number.isFinite(x) || !Number.isFinite(y)) {
    return fail(`position ${JSON.stringify(value)} is not numeric`);
  }
  if (x < -180 || x > 180 || y < -90 || y > 90) {
    return fail(`coordinate (${x}, ${y}) is outside WGS84 ranges (longitude -180..180, latitude -90..90)`);
  }
  return ok([x, y]);
}

function readLine(value: unknown, where: string): Parsed<Position[]> {
  const positions = readList(value, 'positions', readPosition);
  if (!positions.ok) return fail(where + positions.problem);
  if (positions.value.length < 2) return fail(`${where}a line needs at least 2 positions`);
  return positions;
}

function readPolygon(value: unknown, where: string): Parsed<Position[][]> {
  return readList(value, 'rings', (ring, i) => {
    const positions = readList(ring, 'positions', readPosition);
    const name = `${where}ring ${i + 1}`;
    if (!positions.ok) return fail(`${name}: ${positions.problem}`);
    const p = positions.value;
    if (p.length < 4) return fail(`${name} has ${p.length} positions, a ring needs at least 4`);
    const [first, last] = [p[0], p[p.length - 1]];
    if (first[0] !== last[0] || first[1] !== last[1]) return fail(`${name} is not closed (its last position must repeat the first)`);
    return positions;
  });
}
