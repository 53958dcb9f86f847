// The district's vector tiles (GET /api/v1/tiles/{z}/{x}/{y}.mvt) for the command center's map, with
// GeoJSON by zoom where the server cannot draw them (embedded mode answers 501).
import { currentToken } from './api';

/** Zoom from which the tiles carry the grid cells (the server's CELLS_TILE_MIN_ZOOM). */
export const CELLS_TILE_MIN_ZOOM = 10;
/** The deepest zoom the map asks tiles for; deeper, MapLibre scales these. */
export const TILES_MAX_ZOOM = 16;
/** How often the cells' counts are loaded again with no event (the feed moves them in between). */
export const TILES_REFRESH_MS = 60_000;
/** How soon after a case event the cells' counts are loaded again (events in between join that load). */
export const TILES_EVENT_RELOAD_MS = 3_000;

/** The tile URL template on this page's origin; `version` makes a reload fetch fresh counts. */
export function tileUrl(origin: string, version: number): string {
  return `${origin}/api/v1/tiles/{z}/{x}/{y}.mvt?v=${version}`;
}

/** MapLibre's transformRequest: the bearer token on requests to this origin's API, nothing added elsewhere. */
export function authorizeApiRequests(origin: string, token: () => string | null = currentToken) {
  return (url: string): { url: string; headers?: Record<string, string> } => {
    const bearer = token();
    return bearer && url.startsWith(`${origin}/api/`) ? { url, headers: { authorization: `Bearer ${bearer}` } } : { url };
  };
}

/** Whether the server draws vector tiles: 200 for the world tile; 501 (embedded) or anything else, GeoJSON. */
export async function tilesAvailable(origin: string, fetchImpl: typeof fetch = fetch, token: () => string | null = currentToken): Promise<boolean> {
  const bearer = token();
  try {
    const res = await fetchImpl(`${origin}/api/v1/tiles/0/0/0.mvt`, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });
    return res.status === 200;
  } catch {
    return false;
  }
}
