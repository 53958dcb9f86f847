import { describe, expect, it } from 'vitest';
import { pointToWgs84 } from './coordinates';

describe('pointToWgs84', () => {
  it('keeps WGS84 as it is', () => {
    expect(pointToWgs84(113.68, 34.74, 'wgs84')).toEqual({ lng: 113.68, lat: 34.74 });
  });
  it('moves GCJ-02 and BD-09 back by a few hundred metres near Zhengzhou', () => {
    const gcj = pointToWgs84(113.68, 34.74, 'gcj02');
    const bd = pointToWgs84(113.68, 34.74, 'bd09');
    // GCJ-02 is offset roughly +0.006 lng / -0.0013 lat here; BD-09 a further ~0.0065 / 0.006.
    expect(113.68 - gcj.lng).toBeGreaterThan(0.004);
    expect(113.68 - gcj.lng).toBeLessThan(0.008);
    expect(113.68 - bd.lng).toBeGreaterThan(113.68 - gcj.lng);
    expect(Math.abs(34.74 - bd.lat)).toBeGreaterThan(0.003);
  });
});
