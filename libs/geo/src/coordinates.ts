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
