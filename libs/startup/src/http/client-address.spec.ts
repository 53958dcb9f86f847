import type { IncomingMessage } from 'node:http';
import fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { clientAddressOf, rememberClientAddress, trustFunction, type TrustFunction } from './client-address';

/** The compiled trust of TRUST_PROXY (what request.ip and the feed both use). */
function trustFor(list: string[]): TrustFunction {
  return trustFunction({ http: { trustProxy: list, bodyMaxBytes: 0, opsPort: null, hsts: false } });
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
  it("keeps Fastify's request.ip, worked out once by the same rule, as the request's own value", async () => {
    const app = fastify({ trustProxy: trustFor([]) });
    app.addHook('onRequest', async (request) => rememberClientAddress(request));
    app.get('/', async (request) => {
      const own = Object.getOwnPropertyDescriptor(request, 'ip');
      return { ip: request.ip, own: own && 'value' in own ? own.value : null };
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const { port } = app.server.address() as { port: number };
      const res = await fetch(`http://127.0.0.1:${port}/`, { headers: { 'x-forwarded-for': '203.0.113.5' } });
      expect(await res.json()).toEqual({ ip: '203.0.113.5', own: '203.0.113.5' });
    } finally {
      await app.close();
    }
  });
});
