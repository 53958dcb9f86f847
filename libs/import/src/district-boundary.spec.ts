import { describe, expect, it } from 'vitest';
import { BoundaryError, parseBoundary } from './district-boundary';

const ring = [[113.6, 34.8], [113.7, 34.8], [113.7, 34.7], [113.6, 34.7], [113.6, 34.8]];
const polygon = { type: 'Polygon', coordinates: [ring] };
const refused = (value: unknown): string => {
  try {
    parseBoundary(typeof value === 'string' ? value : JSON.stringify(value));
  } catch (err) {
    expect(err).toBeInstanceOf(BoundaryError);
    return (err as Error).message;
  }
  throw new Error('accepted');
};

describe('a district boundary file', () => {
  it('takes a Polygon, a MultiPolygon, a Feature or a one-feature FeatureCollection', () => {
    expect(parseBoundary(JSON.stringify(polygon))).toEqual(polygon);
    expect(parseBoundary(JSON.stringify({ type: 'MultiPolygon', coordinates: [[ring]] })).type).toBe('MultiPolygon');
    expect(parseBoundary(JSON.stringify({ type: 'Feature', properties: {}, geometry: polygon }))).toEqual(polygon);
    const collection = { type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:OGC:1.3:CRS84' } }, features: [{ type: 'Feature', geometry: polygon }] };
    expect(parseBoundary(JSON.stringify(collection))).toEqual(polygon);
  });

  it('refuses what is not one polygonal outline in WGS84, saying where', () => {
    expect(refused('{')).toMatch(/^not JSON/);
    expect(refused({ type: 'LineString', coordinates: ring })).toBe('the geometry must be a Polygon or MultiPolygon (got "LineString")');
    expect(refused({ type: 'FeatureCollection', features: [] })).toMatch(/exactly one feature.*holds 0/);
    expect(refused({ type: 'Polygon', coordinates: [ring.slice(0, 3)] })).toBe('coordinates[0]: a ring needs at least 4 positions');
    expect(refused({ type: 'Polygon', coordinates: [[...ring.slice(0, 4), [113.6, 34.9]]] })).toMatch(/coordinates\[0\]: the ring is not closed/);
    expect(refused({ type: 'Polygon', coordinates: [[[12654321, 4123456], ...ring.slice(1)]] })).toMatch(/coordinates\[0\]\[0\]: \[12654321, 4123456\] is not a WGS84/);
    expect(refused({ type: 'Polygon', coordinates: [[['113.6', 34.8], ...ring.slice(1)]] })).toMatch(/a position must be \[longitude, latitude\]/);
    expect(refused({ ...polygon, crs: { type: 'name', properties: { name: 'EPSG:3857' } } })).toMatch(/^crs: .*WGS84.*EPSG:3857/);
  });
});
