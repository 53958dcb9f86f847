import gcoord from 'gcoord';
import type { CoordSystem } from '@wangge/domain';

const CRS = { gcj02: gcoord.GCJ02, bd09: gcoord.BD09 } as const;

/**
 * A point sent in WGS84, GCJ-02 (高德, 腾讯, WeChat) or BD-09 (百度), in WGS84, the system the
 * platform stores. Conversion by gcoord.
 */
export function pointToWgs84(lng: number, lat: number, from: CoordSystem): { lng: number; lat: number } {
  if (from === 'wgs84') return { lng, lat };
  const [x, y] = gcoord.transform([lng, lat], CRS[from], gcoord.WGS84);
  return { lng: x, lat: y };
}

const EARTH_RADIUS_M = 6_371_008.8;

/**
 * Great-circle distance in metres between two WGS-84 points (haversine on the mean sphere; within
 * 0.5 % of PostGIS's spheroid `geography` distance, which is what the duplicate radius is stated in).
 */
export function metresBetween(a: { lng: number; lat: number }, b: { lng: number; lat: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}
