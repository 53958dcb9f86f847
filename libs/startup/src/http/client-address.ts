import type { IncomingMessage } from 'node:http';
import type { AppConfig } from '@wangge/config';

/**
 * Express's `trust proxy`: loopback (a proxy on this machine, as before) and the proxies of
 * TRUST_PROXY. Only their X-Forwarded-For is believed; anyone else's address is their own.
 */
export function trustProxySetting(config: Pick<AppConfig, 'http'>): string[] {
  return ['loopback', ...config.http.trustProxy];
}

/** Express's compiled form of `trust proxy` (`app.get('trust proxy fn')`): whether the hop at `address` is a trusted proxy. */
export type TrustFunction = (address: string, hop: number) => boolean;

/**
 * The client's address by the same rule as Express's `req.ip` (proxy-addr): walk the
 * X-Forwarded-For chain from the socket's peer backwards while the hop is a trusted proxy. For
 * connections Express does not see, such as the feed's socket.io handshakes.
 */
export function clientAddressOf(req: IncomingMessage, trust: TrustFunction): string {
  const header = req.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const hops = [req.socket.remoteAddress ?? 'unknown', ...forwarded.reverse()];
  for (let i = 0; i < hops.length - 1; i++) {
    if (!trust(hops[i], i)) return hops[i];
  }
  return hops[hops.length - 1];
}

/**
 * Express works `req.ip` out (proxy-addr over X-Forwarded-For) on every read, and a report reads it
 * several times (the throttle's trackers, `@Ip()`, the Idempotency-Key's scope): worked out once
 * per request here, after `trust proxy` is set, by the same rule.
 */
export function rememberClientAddress(req: { ip?: string }, _res: unknown, next: () => void): void {
  Object.defineProperty(req, 'ip', { value: req.ip, enumerable: true, configurable: true, writable: true });
  next();
}
