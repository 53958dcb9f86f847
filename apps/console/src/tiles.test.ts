import { describe, expect, it } from 'vitest';
import { authorizeApiRequests, tilesAvailable, tileUrl } from './tiles';

const ORIGIN = 'http://wall.example:3000';

describe('the map’s vector tiles', () => {
  it('asks this origin for tiles, with a version that makes a reload fetch fresh counts', () => {
    expect(tileUrl(ORIGIN, 3)).toBe('http://wall.example:3000/api/v1/tiles/{z}/{x}/{y}.mvt?v=3');
  });

  it('sends the bearer token to this origin’s API only (not to a base map on another host)', () => {
    const transform = authorizeApiRequests(ORIGIN, () => 'T');
    expect(transform(`${ORIGIN}/api/v1/tiles/12/3341/1626.mvt?v=0`)).toEqual({ url: `${ORIGIN}/api/v1/tiles/12/3341/1626.mvt?v=0`, headers: { authorization: 'Bearer T' } });
    expect(transform('https://tile.openstreetmap.org/12/3341/1626.png')).toEqual({ url: 'https://tile.openstreetmap.org/12/3341/1626.png' });
    expect(authorizeApiRequests(ORIGIN, () => null)(`${ORIGIN}/api/v1/tiles/1/0/0.mvt`)).toEqual({ url: `${ORIGIN}/api/v1/tiles/1/0/0.mvt` });
  });

  it('uses tiles when the server draws them, GeoJSON when it answers 501 (embedded mode) or cannot be reached', async () => {
    const seen: { url: string; auth?: string }[] = [];
    const answer = (status: number) =>
      (async (url: string, init?: RequestInit) => {
        seen.push({ url, auth: (init?.headers as Record<string, string>).authorization });
        return new Response(status === 200 ? new Uint8Array(0) : JSON.stringify({ statusCode: status }), { status });
      }) as unknown as typeof fetch;
    expect(await tilesAvailable(ORIGIN, answer(200), () => 'T')).toBe(true);
    expect(seen[0]).toEqual({ url: `${ORIGIN}/api/v1/tiles/0/0/0.mvt`, auth: 'Bearer T' });
    expect(await tilesAvailable(ORIGIN, answer(501), () => 'T')).toBe(false);
    expect(await tilesAvailable(ORIGIN, (async () => Promise.reject(new TypeError('offline'))) as unknown as typeof fetch)).toBe(false);
  });
});
