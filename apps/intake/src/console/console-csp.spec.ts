import { describe, expect, it } from 'vitest';
import { loadAppConfig } from '@wangge/config';
import { intakeSecurityHeaders, originOf } from './console-csp';

const config = (env: Record<string, string> = {}) => loadAppConfig({ JWT_SECRET: 'x'.repeat(32), ...env });

describe("the console's security headers", () => {
  it('takes the origin of a URL with placeholders', () => {
    expect(originOf('https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png')).toBe('https://*.tile.openstreetmap.org');
    expect(originOf('http://127.0.0.1:3001')).toBe('http://127.0.0.1:3001');
    expect(originOf(null)).toBeNull();
  });

  it('allows the feed and the base map, and HSTS only where TLS terminates', () => {
    const plain = intakeSecurityHeaders(config({ FEED_PUBLIC_URL: 'https://feed.example.org', MAP_TILE_URL: 'https://{s}.tiles.example.org/{z}/{x}/{y}.png' }));
    const csp = plain.contentSecurityPolicy as { directives: Record<string, unknown[]> };
    expect(csp.directives['script-src']).toEqual(["'self'"]);
    expect(csp.directives['frame-ancestors']).toEqual(["'none'"]);
    // The installable console: its service worker and manifest come from intake itself.
    expect(csp.directives['worker-src']).toContain("'self'");
    expect(csp.directives['manifest-src']).toEqual(["'self'"]);
    expect(csp.directives['img-src']).toContain('https://*.tiles.example.org');
    const feed = csp.directives['connect-src'].find((v) => typeof v === 'function') as (req: unknown) => string;
    expect(feed({})).toBe('https://feed.example.org wss://feed.example.org');
    expect(plain.strictTransportSecurity).toBe(false);
    expect(intakeSecurityHeaders(config({ PUBLIC_BASE_URL: 'https://wangge.example.org' })).strictTransportSecurity).toMatchObject({ maxAge: 31_536_000 });
    expect(intakeSecurityHeaders(config({ PUBLIC_BASE_URL: 'https://wangge.example.org', HSTS: 'false' })).strictTransportSecurity).toBe(false);
  });
});
