import type { CoordSystem } from '@wangge/domain';
import { pointToWgs84 } from '@wangge/geo';
import type { FieldProblem } from '@wangge/operations';
import type { PlaceGeometry } from './place.types';

const MAX_VERTICES = 2000;

/**
 * A client's GeoJSON geometry checked and turned to WGS84 (GCJ-02 and BD-09 accepted, like reports):
 * a Point, or a Polygon of closed rings of at least four positions. Returns the geometry or the
 * problem, naming the field.
 */
export function placeGeometry(value: unknown, coordSystem: CoordSystem = 'wgs84'): { geometry: PlaceGeometry } | { problem: FieldProblem } {
  const bad = (problem: string) => ({ problem: { field: 'geometry', problem } });
  if (typeof value !== 'object' || value === null) return bad('geometry must be a GeoJSON Point or Polygon object');
  const { type, coordinates } = value as { type?: unknown; coordinates?: unknown };
  if (type === 'Point') {
    const p = position(coordinates);
    if (!p) return bad('a Point has coordinates [lng, lat] (lng -180..180, lat -90..90)');
    return { geometry: { type: 'Point', coordinates: convert(p, coordSystem) } };
  }
  if (type === 'Polygon') {
    if (!Array.isArray(coordinates) || coordinates.length === 0) return bad('a Polygon has coordinates [[[lng, lat], ...]] (one or more rings)');
    const rings: [number, number][][] = [];
    let vertices = 0;
    for (const [i, ring] of coordinates.entries()) {
      if (!Array.isArray(ring) || ring.length < 4) return bad(`ring ${i} of the Polygon needs at least 4 positions`);
      const positions = ring.map(position);
      if (positions.some((p) => p === null)) return bad(`ring ${i} of the Polygon has a position that is not [lng, lat]`);
      const ps = positions as [number, number][];
      const [first, last] = [ps[0], ps[ps.length - 1]];
      if (first[0] !== last[0] || first[1] !== last[1]) return bad(`ring ${i} of the Polygon is not closed (its last position must equal its first)`);
      vertices += ps.length;
      rings.push(ps.map((p) => convert(p, coordSystem)));
    }
    if (vertices > MAX_VERTICES) return bad(`a Polygon of at most ${MAX_VERTICES} positions`);
    return { geometry: { type: 'Polygon', coordinates: rings } };
  }
  return bad('geometry.type must be Point or Polygon');
}

function position(value: unknown): [number, number] | null {
  if (!Array.isArray(value) || value.length < 2) return null;
  const [lng, lat] = value as unknown[];
  if (typeof lng !== 'number' || typeof lat !== 'number' || !Number.isFinite(lng) || !Number.isFinite(lat)) return null;
  if (lng < -180 || lng > 180 || lat < -90 || lat > 90) return null;
  return [lng, lat];
}

function convert([lng, lat]: [number, number], from: CoordSystem): [number, number] {
  const p = pointToWgs84(lng, lat, from);
  return [p.lng, p.lat];
}
