import { describe, expect, it } from 'vitest';
import { metresBetween, pointToWgs84 } from './coordinates';

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

describe('metresBetween', () => {
  it('measures a degree of latitude and of longitude near Zhengzhou like the spheroid does (within 0.5 %)', () => {
    // PostGIS geography: 1° of latitude at 34.74° N ≈ 110,933 m; 1° of longitude ≈ 91,560 m.
    expect(metresBetween({ lng: 113.68, lat: 34.24 }, { lng: 113.68, lat: 35.24 })).toBeCloseTo(110_933, -3);
    expect(Math.abs(metresBetween({ lng: 113.18, lat: 34.74 }, { lng: 114.18, lat: 34.74 }) / 91_560 - 1)).toBeLessThan(0.005);
    expect(metresBetween({ lng: 113.68, lat: 34.74 }, { lng: 113.68, lat: 34.74 })).toBe(0);
  });
});
