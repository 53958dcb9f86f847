import type { IncomingMessage } from 'node:http';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { clientAddressOf, rememberClientAddress, trustProxySetting, type TrustFunction } from './client-address';

/** Express's compiled `trust proxy` for TRUST_PROXY (what req.ip and the feed both use). */
function trustFor(list: string[]): TrustFunction {
  const app = express();
  app.set('trust proxy', trustProxySetting({ http: { trustProxy: list, bodyMaxBytes: 0, opsPort: null, hsts: false } }));
  return app.get('trust proxy fn') as TrustFunction;
}

const request = (peer: string, forwardedFor?: string) =>
  ({ socket: { remoteAddress: peer }, headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {} }) as unknown as IncomingMessage;

describe('the client address behind proxies (TRUST_PROXY)', () => {
  it('believes loopback only by default: a load balancer elsewhere is every client at once', () => {
    const trust = trustFor([]);
    expect(clientAddressOf(request('127.0.0.1', '203.0.113.5'), trust)).toBe('203.0.113.5');
    expect(clientAddressOf(request('10.0.0.2', '203.0.113.5'), trust)).toBe('10.0.0.2');
  });

  it("believes the listed proxies' X-Forwarded-For, addresses and CIDRs", () => {
    const trust = trustFor(['10.0.0.0/8', '192.168.1.10']);
    expect(clientAddressOf(request('10.0.0.2', '203.0.113.5'), trust)).toBe('203.0.113.5');
    expect(clientAddressOf(request('10.0.0.2', '203.0.113.6'), trust)).toBe('203.0.113.6');
    expect(clientAddressOf(request('192.168.1.10', '203.0.113.7'), trust)).toBe('203.0.113.7');
    // Two proxies in a row: the first untrusted hop from the right is the client.
    expect(clientAddressOf(request('10.0.0.2', '203.0.113.8, 192.168.1.10'), trust)).toBe('203.0.113.8');
  });

  it('never takes a forged X-Forwarded-For from a client that is not a listed proxy', () => {
    const trust = trustFor(['10.0.0.0/8']);
    expect(clientAddressOf(request('198.51.100.9', '1.2.3.4'), trust)).toBe('198.51.100.9');
    // A client that prepends a forged hop before the trusted proxy is still itself.
    expect(clientAddressOf(request('10.0.0.2', '1.2.3.4, 198.51.100.9'), trust)).toBe('198.51.100.9');
  });
});

describe('rememberClientAddress', () => {
  it("keeps Express's req.ip, worked out once by the same rule, as the request's own value", async () => {
    const app = express();
    app.set('trust proxy', trustProxySetting({ http: { trustProxy: [], bodyMaxBytes: 0, opsPort: null, hsts: false } }));
    app.use(rememberClientAddress);
    app.get('/', (req, res) => {
      const own = Object.getOwnPropertyDescriptor(req, 'ip');
      res.json({ ip: req.ip, own: own && 'value' in own ? own.value : null });
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const { port } = server.address() as { port: number };
      const res = await fetch(`http://127.0.0.1:${port}/`, { headers: { 'x-forwarded-for': '203.0.113.5' } });
      expect(await res.json()).toEqual({ ip: '203.0.113.5', own: '203.0.113.5' });
    } finally {
      server.close();
    }
  });
});
