import gcoord from 'gcoord';
import type { Geometry } from './geojson.parser';
import type { CoordSystem } from './import.types';

const CRS = { gcj02: gcoord.GCJ02, bd09: gcoord.BD09 } as const;

/**
 * Converts a geometry from GCJ-02 (高德/腾讯) or BD-09 (百度) to WGS84, in place; WGS84 stays as it is.
 * Equal input positions give equal output positions, so cells that share edges still do.
 */
export function toWgs84<G extends Geometry>(geometry: G, from: CoordSystem): G {
  if (from === 'wgs84') return geometry;
  return gcoord.transform(geometry, CRS[from], gcoord.WGS84);
}
