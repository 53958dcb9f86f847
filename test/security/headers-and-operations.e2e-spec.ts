import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '@wangge/auth';
import { createIntakeApp } from '../../apps/intake/src/intake.app';
import { startIntake, testConfig, type RunningApp } from '../support/apps';
import { createTestDatabase } from '../support/database';
import { freePort } from '../support/redis-server';

const OPS_PASSWORD = 'ops-test-password-1';

/** An intake on a copy of the demo database whose accounts no longer have demo passwords (production refuses those). */
async function startProductionIntake(label: string, overrides: Record<string, string> = {}) {
  const db = await createTestDatabase(label);
  const client = new Client({ connectionString: db.url });
  await client.connect();
  await client.query(`UPDATE app_user SET password_hash = $1, seeded_demo_password = false, password_change_required = false`, [await hashPassword(OPS_PASSWORD)]);
  await client.end();
  const app: INestApplication = await createIntakeApp(testConfig(db.url, { NODE_ENV: 'production', ...overrides }));
  await app.listen(0, '127.0.0.1');
  const baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  const bearer = async (username: string) => {
    const res = await fetch(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: OPS_PASSWORD }) });
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
    return `Bearer ${((await res.json()) as { accessToken: string }).accessToken}`;
  };
  return { baseUrl, bearer, close: async () => (await app.close(), await db.drop()) };
}

describe('security headers on intake', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startIntake('headers');
  });

  afterAll(async () => {
    await app?.close();
  });

  it('sends a CSP the console passes, no-referrer and no framing on the console, the API and errors', async () => {
    for (const path of ['/', '/track/abc', '/api/v1/categories', '/api/v1/cases', '/open311/v2/services.json', '/api/v1/nothing-here']) {
      const res = await fetch(`${app.baseUrl}${path}`);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("script-src 'self'");
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).toContain("object-src 'none'");
      expect(csp, path).not.toContain('unsafe-eval');
      expect(csp.match(/script-src [^;]*/)?.[0], path).not.toContain('unsafe-inline');
      // The console's socket.io client reaches the feed on its own port.
      expect(csp, path).toMatch(new RegExp(`connect-src 'self'[^;]*ws://127\\.0\\.0\\.1:${app.config.ports.feed}`));
      expect(res.headers.get('referrer-policy'), path).toBe('no-referrer');
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      // Plain HTTP (no PUBLIC_BASE_URL, no HSTS): no Strict-Transport-Security.
      expect(res.headers.get('strict-transport-security'), path).toBeNull();
    }
  });

  it('times requests out as Node did: a whole request within 5 minutes, idle keep-alive 65 s, headers within 66 s', () => {
    // Fastify's own default is no request timeout at all: a client trickling a body would hold its socket forever.
    const server = app.app.getHttpServer() as Server;
    expect([server.requestTimeout, server.keepAliveTimeout, server.headersTimeout]).toEqual([300_000, 65_000, 66_000]);
  });

  it('sends HSTS where TLS terminates: PUBLIC_BASE_URL https, or HSTS=true', async () => {
    for (const env of [{ PUBLIC_BASE_URL: 'https://wangge.example.org' }, { HSTS: 'true' }] as Record<string, string>[]) {
      const tls = await startIntake('headers_hsts', env);
      try {
        const res = await fetch(`${tls.baseUrl}/api/v1/categories`);
        expect(res.headers.get('strict-transport-security')).toMatch(/max-age=31536000/);
      } finally {
        await tls.close();
      }
    }
  });
});

describe('operations endpoints', () => {
  it('stay open in development and tests, as before', async () => {
    const dev = await startIntake('ops_dev');
    try {
      expect((await fetch(`${dev.baseUrl}/metrics`)).status).toBe(200);
      expect((await fetch(`${dev.baseUrl}/docs-json`)).status).toBe(200);
    } finally {
      await dev.close();
    }
  });

  it('are for admins only in production on the public port; health stays public', async () => {
    const prod = await startProductionIntake('ops_prod');
    try {
      for (const path of ['/metrics', '/docs-json', '/docs', '/docs/']) {
        const anonymous = await fetch(`${prod.baseUrl}${path}`);
        expect(anonymous.status, path).toBe(401);
        expect(await anonymous.json()).toMatchObject({ statusCode: 401, error: 'unauthenticated' });
        expect((await fetch(`${prod.baseUrl}${path}`, { headers: { authorization: await prod.bearer('operator') } })).status, path).toBe(403);
      }
      const admin = await prod.bearer('admin');
      const metrics = await fetch(`${prod.baseUrl}/metrics`, { headers: { authorization: admin } });
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toMatch(/process_cpu|wangge_/);
      expect((await fetch(`${prod.baseUrl}/docs-json`, { headers: { authorization: admin } })).status).toBe(200);
      expect((await fetch(`${prod.baseUrl}/health`)).status).toBe(200);
    } finally {
      await prod.close();
    }
  });

  it('move to OPS_PORT when it is set: nothing else there, and 404 on the public port', async () => {
    const opsPort = await freePort();
    const prod = await startProductionIntake('ops_port', { OPS_PORT: String(opsPort) });
    const ops = `http://127.0.0.1:${opsPort}`;
    try {
      expect((await fetch(`${ops}/metrics`)).status).toBe(200);
      expect((await fetch(`${ops}/docs-json`)).status).toBe(200);
      expect((await fetch(`${ops}/health`)).status).toBe(200);
      expect((await fetch(`${ops}/api/v1/categories`)).status).toBe(404);
      expect((await fetch(`${prod.baseUrl}/metrics`)).status).toBe(404);
      expect((await fetch(`${prod.baseUrl}/metrics`, { headers: { authorization: await prod.bearer('admin') } })).status).toBe(404);
      expect((await fetch(`${prod.baseUrl}/docs-json`)).status).toBe(404);
      expect((await fetch(`${prod.baseUrl}/api/v1/categories`)).status).toBe(200);
    } finally {
      await prod.close();
    }
    // Closed with the app.
    await expect(fetch(`${ops}/health`)).rejects.toThrow();
  });
});
