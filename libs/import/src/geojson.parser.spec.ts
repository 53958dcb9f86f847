import { describe, expect, it } from 'vitest';
import { osmIdOf, readFeatureCollection, readGeometry } from './geojson.parser';

const square = [[[114, 34.5], [114, 34.4991], [114.001, 34.4991], [114.001, 34.5], [114, 34.5]]];

describe('readFeatureCollection', () => {
  it('reads features with their properties, flattening osmtogeojson tags and finding OSM ids', () => {
    const parsed = readFeatureCollection(
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', id: 'way/1', properties: { '@id': 'way/1', name: 'A' }, geometry: { type: 'LineString', coordinates: [] } },
          { type: 'Feature', properties: { type: 'way', id: 2, tags: { name: 'B', highway: 'primary' } }, geometry: null },
          { type: 'Feature', properties: null, geometry: { type: 'Polygon', coordinates: square } },
          { type: 'Thing' },
        ],
      }),
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.map((f) => [f.index, f.osmId, f.geometryType, f.malformed])).toEqual([
      [0, 'way/1', 'LineString', null],
      [1, 'way/2', null, null],
      [2, null, 'Polygon', null],
      [3, null, null, 'not a GeoJSON Feature'],
    ]);
    expect(parsed.value[1].properties).toMatchObject({ name: 'B', highway: 'primary' });
  });

  it.each([
    ['{"type": "FeatureCollection", "features": [', /^not valid JSON/],
    ['{"version": 0.6, "generator": "Overpass API", "elements": []}', /Overpass JSON.*osmtogeojson/],
    ['{"type": "Feature", "geometry": null}', /not a GeoJSON FeatureCollection \(type "Feature"\)/],
    ['{"type": "FeatureCollection"}', /no features array/],
    ['{"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "EPSG:3857"}}, "features": []}', /crs EPSG:3857 is not WGS84/],
  ])('refuses %s', (text, problem) => {
    const parsed = readFeatureCollection(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem).toMatch(problem);
  });

  it('takes CRS84 and CGCS2000 for WGS84', () => {
    for (const name of ['urn:ogc:def:crs:OGC:1.3:CRS84', 'urn:ogc:def:crs:EPSG::4490']) {
      expect(readFeatureCollection(JSON.stringify({ type: 'FeatureCollection', crs: { type: 'name', properties: { name } }, features: [] })).ok).toBe(true);
    }
  });

  it('recognises OSM ids only in their own shapes', () => {
    expect(osmIdOf('node/5', {})).toBe('node/5');
    expect(osmIdOf(undefined, { id: 'relation/7' })).toBe('relation/7');
    expect(osmIdOf(12, { id: 'road-12' })).toBeNull();
  });
});

describe('readGeometry', () => {
  it('returns a clean 2D copy of a valid polygon', () => {
    const parsed = readGeometry({ type: 'Polygon', coordinates: [square[0].map(([x, y]) => [x, y, 100])], bbox: [0, 0, 1, 1] }, ['Polygon']);
    expect(parsed).toEqual({ ok: true, value: { type: 'Polygon', coordinates: square } });
  });

  it.each([
    [null, 'no geometry'],
    [{ type: 'Point', coordinates: [114, 34] }, 'wrong geometry type Point (expected Polygon or MultiPolygon)'],
    [{ type: 'Polygon', coordinates: [[[114, 34], [115, 34], [115, 35], [114, 34.1]]] }, 'ring 1 is not closed (its last position must repeat the first)'],
    [{ type: 'Polygon', coordinates: [[[114, 34], [115, 34], [114, 34]]] }, 'ring 1 has 3 positions, a ring needs at least 4'],
    [{ type: 'Polygon', coordinates: [[[12600000, 4100000], [12600100, 4100000], [12600100, 4100100], [12600000, 4100000]]] }, 'ring 1: coordinate (12600000, 4100000) is outside WGS84 ranges (longitude -180..180, latitude -90..90)'],
    [{ type: 'MultiPolygon', coordinates: [square, [[[114, 'x'], [115, 34], [115, 35], [114, 'x']]]] }, 'polygon 2: ring 1: position [114,"x"] is not numeric'],
    [{ type: 'Polygon', coordinates: [] }, 'coordinates must be a non-empty array of rings'],
  ])('refuses %j', (geometry, problem) => {
    expect(readGeometry(geometry, ['Polygon', 'MultiPolygon'])).toEqual({ ok: false, problem });
  });

  it('checks lines: 2 positions at least, in every part', () => {
    expect(readGeometry({ type: 'LineString', coordinates: [[114, 34]] }, ['LineString'])).toEqual({ ok: false, problem: 'a line needs at least 2 positions' });
    expect(readGeometry({ type: 'MultiLineString', coordinates: [[[114, 34], [114.1, 34]], [[114, 34]]] }, ['MultiLineString'])).toEqual({
      ok: false,
      problem: 'line 2: a line needs at least 2 positions',
    });
  });
});
