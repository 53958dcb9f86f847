import type { IncomingMessage } from 'node:http';
import proxyAddr from 'proxy-addr';
import type { AppConfig } from '@wangge/config';

/**
 * The proxies believed: loopback (a proxy on this machine) and those of TRUST_PROXY. Only their
 * X-Forwarded-For is believed; anyone else's address is their own.
 */
export function trustProxySetting(config: Pick<AppConfig, 'http'>): string[] {
  return ['loopback', ...config.http.trustProxy];
}

/** Whether the hop at `address` is a trusted proxy (Fastify's `trustProxy`, proxy-addr's compiled list). */
export type TrustFunction = (address: string, hop: number) => boolean;

/** The compiled trustProxySetting: what the HTTP server's `request.ip` and the feed's handshakes both use. */
export function trustFunction(config: Pick<AppConfig, 'http'>): TrustFunction {
  return proxyAddr.compile(trustProxySetting(config));
}

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
 * Fastify works `request.ip` out (proxy-addr over X-Forwarded-For) on every read, and a report reads
 * it several times (the throttle's trackers, `@Ip()`, the Idempotency-Key's scope): worked out once
 * per request here (an onRequest hook), by the same rule.
 */
export function rememberClientAddress(request: { ip: string }): void {
  Object.defineProperty(request, 'ip', { value: request.ip, enumerable: true, configurable: true, writable: true });
}
