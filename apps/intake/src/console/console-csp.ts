import type { IncomingMessage } from 'node:http';
import type { HelmetOptions } from 'helmet';
import type { AppConfig } from '@wangge/config';

/** A host name or address as it may appear in a Host header (anything else is left out of the policy). */
const HOST = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)$/i;

/** The origin of a URL with placeholders (a tile server's `{s}.tile…` becomes `*.tile…`); null: none. */
export function originOf(url: string | null): string | null {
  if (!url) return null;
  const m = /^(https?):\/\/([^/?#]+)/i.exec(url);
  return m ? `${m[1].toLowerCase()}://${m[2].replace(/\{[a-z]+\}/gi, '*')}` : null;
}

/** Where the console's socket.io client connects: FEED_PUBLIC_URL, else the page's host on FEED_PORT (http and ws). */
function feedSources(config: AppConfig, req: IncomingMessage): string {
  const feed = originOf(config.console.feedUrl);
  if (feed) return `${feed} ${feed.replace(/^http/, 'ws')}`;
  // hostname and protocol: set on the request by the security headers' hook, by the proxy rule.
  const r = req as IncomingMessage & { hostname?: string; protocol?: string };
  const host = r.hostname ?? '';
  if (!HOST.test(host)) return '';
  const secure = r.protocol === 'https';
  return `${secure ? 'https' : 'http'}://${host}:${config.ports.feed} ${secure ? 'wss' : 'ws'}://${host}:${config.ports.feed}`;
}

/**
 * intake's security headers (helmet): a Content-Security-Policy the console passes — its scripts
 * only from intake itself, no inline script, never framed — `Referrer-Policy: no-referrer` (tracking
 * links carry tokens), HSTS where TLS terminates in front of intake (PUBLIC_BASE_URL https or HSTS=true).
 */
export function intakeSecurityHeaders(config: AppConfig): HelmetOptions {
  const tiles = originOf(config.console.mapTileUrl);
  return {
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'script-src-attr': ["'none'"],
        // The map's worker is a file of the build; MapLibre may also start one from a blob. The
        // console's service worker (/sw.js) is intake's own too.
        'worker-src': ["'self'", 'blob:'],
        // The installable field pages' manifest (/manifest.webmanifest).
        'manifest-src': ["'self'"],
        'img-src': ["'self'", 'data:', 'blob:', ...(tiles ? [tiles] : [])],
        'connect-src': ["'self'", ...(tiles ? [tiles] : []), (req) => feedSources(config, req)],
        'frame-ancestors': ["'none'"],
        'object-src': ["'none'"],
        'base-uri': ["'self'"],
        'form-action': ["'self'"],
        // Behind plain HTTP (the demo, a LAN) the browser must not rewrite the API's URLs to https.
        'upgrade-insecure-requests': config.http.hsts ? [] : null,
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
    strictTransportSecurity: config.http.hsts ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    // Photos and Open311 answers are meant to be shown and read by other sites' pages too.
    crossOriginResourcePolicy: { policy: 'cross-origin' },
  };
}
