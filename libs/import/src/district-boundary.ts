/** A district's outline as GeoJSON: a Polygon or MultiPolygon in WGS84 longitude/latitude. */
export type BoundaryGeometry =
  | { type: 'Polygon'; coordinates: number[][][] }
  | { type: 'MultiPolygon'; coordinates: number[][][][] };

/** A boundary file that cannot be a district's outline; the message says why and where. */
export class BoundaryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BoundaryError';
  }
}

/** The names of WGS84 longitude/latitude a GeoJSON `crs` member may carry (GeoJSON 2008; RFC 7946 has none). */
const WGS84_NAMES = ['urn:ogc:def:crs:OGC:1.3:CRS84', 'urn:ogc:def:crs:OGC::CRS84', 'urn:ogc:def:crs:EPSG::4326', 'EPSG:4326'];

/**
 * Reads a district boundary: a GeoJSON Polygon or MultiPolygon, or a Feature or a FeatureCollection
 * of one feature holding one, in WGS84 (longitude, latitude in degrees). Checks the shape of the
 * coordinates (closed rings of at least four positions, degrees in range); whether the polygon is
 * valid as a surface (no self-intersection) PostGIS checks when it is written (createDistrict).
 */
export function parseBoundary(text: string): BoundaryGeometry {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new BoundaryError(`not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  checkCrs(json);
  let geometry = json;
  if (isObject(json) && json.type === 'FeatureCollection') {
    const features = Array.isArray(json.features) ? json.features : [];
    if (features.length !== 1) throw new BoundaryError(`a FeatureCollection must hold exactly one feature, the district (it holds ${features.length})`);
    geometry = features[0];
  }
  if (isObject(geometry) && geometry.type === 'Feature') geometry = geometry.geometry;
  if (!isObject(geometry) || (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon')) {
    const type = isObject(geometry) ? JSON.stringify(geometry.type) : typeof geometry;
    throw new BoundaryError(`the geometry must be a Polygon or MultiPolygon (got ${type})`);
  }
  if (geometry.type === 'Polygon') {
    checkPolygon(geometry.coordinates, 'coordinates');
    return { type: 'Polygon', coordinates: geometry.coordinates as number[][][] };
  }
  const polygons = geometry.coordinates;
  if (!Array.isArray(polygons) || polygons.length === 0) throw new BoundaryError('coordinates: a MultiPolygon needs at least one polygon');
  polygons.forEach((polygon, i) => checkPolygon(polygon, `coordinates[${i}]`));
  return { type: 'MultiPolygon', coordinates: polygons as number[][][][] };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkCrs(json: unknown): void {
  if (!isObject(json) || !isObject(json.crs)) return;
  const name = isObject(json.crs.properties) ? json.crs.properties.name : undefined;
  if (typeof name !== 'string' || !WGS84_NAMES.includes(name)) {
    throw new BoundaryError(`crs: the boundary must be in WGS84 longitude/latitude (got ${JSON.stringify(name ?? json.crs)}); convert it first`);
  }
}

function checkPolygon(rings: unknown, where: string): void {
  if (!Array.isArray(rings) || rings.length === 0) throw new BoundaryError(`${where}: a polygon needs at least its outer ring`);
  rings.forEach((ring, r) => {
    const at = `${where}[${r}]`;
    if (!Array.isArray(ring) || ring.length < 4) throw new BoundaryError(`${at}: a ring needs at least 4 positions`);
    ring.forEach((position, p) => checkPosition(position, `${at}[${p}]`));
    const [first, last] = [ring[0] as number[], ring[ring.length - 1] as number[]];
    if (first[0] !== last[0] || first[1] !== last[1]) throw new BoundaryError(`${at}: the ring is not closed (its last position must repeat its first)`);
  });
}

function checkPosition(position: unknown, at: string): void {
  if (!Array.isArray(position) || position.length < 2 || !position.every((n) => typeof n === 'number' && Number.isFinite(n))) {
    throw new BoundaryError(`${at}: a position must be [longitude, latitude] in numbers`);
  }
  const [lng, lat] = position as number[];
  if (lng < -180 || lng > 180 || lat < -90 || lat > 90) {
    throw new BoundaryError(`${at}: [${lng}, ${lat}] is not a WGS84 longitude/latitude in degrees (projected coordinates? convert to WGS84 first)`);
  }
}
