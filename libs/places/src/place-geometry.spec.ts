import { describe, expect, it } from 'vitest';
import { placeGeometry } from './place-geometry';

const square = [[[113.68, 34.75], [113.681, 34.75], [113.681, 34.751], [113.68, 34.751], [113.68, 34.75]]];

describe('placeGeometry', () => {
  it('takes a Point and a closed Polygon, as WGS84', () => {
    expect(placeGeometry({ type: 'Point', coordinates: [113.68, 34.75] })).toEqual({ geometry: { type: 'Point', coordinates: [113.68, 34.75] } });
    expect(placeGeometry({ type: 'Polygon', coordinates: square })).toEqual({ geometry: { type: 'Polygon', coordinates: square } });
  });

  it('converts GCJ-02 to WGS84 (a few hundred metres in Zhengzhou)', () => {
    const result = placeGeometry({ type: 'Point', coordinates: [113.68, 34.75] }, 'gcj02');
    if (!('geometry' in result) || result.geometry.type !== 'Point') throw new Error('expected a point');
    const [lng, lat] = result.geometry.coordinates;
    expect(Math.abs(lng - 113.68)).toBeGreaterThan(0.003);
    expect(Math.abs(lng - 113.68)).toBeLessThan(0.01);
    expect(Math.abs(lat - 34.75)).toBeLessThan(0.01);
  });

  it.each([
    ['a string', 'POINT(1 2)', /GeoJSON Point or Polygon/],
    ['another type', { type: 'LineString', coordinates: [[1, 2], [3, 4]] }, /Point or Polygon/],
    ['a point off the globe', { type: 'Point', coordinates: [181, 0] }, /lng -180..180/],
    ['a point of text', { type: 'Point', coordinates: ['113', '34'] }, /\[lng, lat\]/],
    ['a ring of three', { type: 'Polygon', coordinates: [square[0].slice(0, 3)] }, /at least 4/],
    ['an open ring', { type: 'Polygon', coordinates: [[...square[0].slice(0, 4), [113.6805, 34.75]]] }, /not closed/],
    ['no rings', { type: 'Polygon', coordinates: [] }, /one or more rings/],
  ])('refuses %s, naming geometry', (_, value, problem) => {
    const result = placeGeometry(value);
    expect(result).toMatchObject({ problem: { field: 'geometry', problem: expect.stringMatching(problem) } });
  });
});
