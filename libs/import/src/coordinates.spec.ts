import { describe, expect, it } from 'vitest';
import { toWgs84 } from './coordinates';
import type { PolygonGeometry } from './geojson.parser';

const metres = ([x1, y1]: number[], [x2, y2]: number[]) => {
  const dy = (y2 - y1) * 111_320;
  const dx = (x2 - x1) * 111_320 * Math.cos((y1 * Math.PI) / 180);
  return Math.hypot(dx, dy);
};

describe('toWgs84', () => {
  const square = (): PolygonGeometry => ({ type: 'Polygon', coordinates: [[[114, 34.5], [114, 34.4991], [114.001, 34.4991], [114.001, 34.5], [114, 34.5]]] });

  it('moves GCJ-02 and BD-09 positions by hundreds of metres in Zhengzhou', () => {
    for (const from of ['gcj02', 'bd09'] as const) {
      const moved = toWgs84(square(), from).coordinates[0][0];
      expect(metres([114, 34.5], moved)).toBeGreaterThan(200);
      expect(metres([114, 34.5], moved)).toBeLessThan(2000);
    }
  });

  it('leaves WGS84 alone and keeps closed rings closed', () => {
    expect(toWgs84(square(), 'wgs84')).toEqual(square());
    const ring = toWgs84(square(), 'gcj02').coordinates[0];
    expect(ring[0]).toEqual(ring[4]);
  });
});
