/**
 * The files of a refused import a person must be able to act on: a roads file of 758 ways without
 * a name (not an OpenStreetMap export, so each is an error) and a cells file of 3 cells whose ring
 * does not close. Two problems, 761 records.
 */
export const UNNAMED_WAYS = 758;
export const BROKEN_CELLS = 3;

export function unnamedRoads(count = UNNAMED_WAYS): string {
  const features = Array.from({ length: count }, (_, i) => ({
    type: 'Feature',
    properties: { highway: 'residential' },
    geometry: { type: 'LineString', coordinates: [[114.2 + i * 1e-4, 34.6], [114.2 + i * 1e-4, 34.601]] },
  }));
  return JSON.stringify({ type: 'FeatureCollection', features });
}

export function brokenCells(count = BROKEN_CELLS): string {
  const features = Array.from({ length: count }, (_, i) => {
    const x = Math.round((114.2 + i * 0.0011) * 1e7) / 1e7;
    // The last position is not the first: the ring is open.
    const ring = [[x, 34.6], [x + 0.0011, 34.6], [x + 0.0011, 34.5991], [x, 34.5991], [x, 34.5995]];
    return { type: 'Feature', properties: { code: `41010400195000${i + 1}` }, geometry: { type: 'Polygon', coordinates: [ring] } };
  });
  return JSON.stringify({ type: 'FeatureCollection', features });
}

export const UNNAMED_PROBLEM = 'missing property name';
export const OPEN_RING_PROBLEM = 'ring 1 is not closed (its last position must repeat the first)';
