import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIntake, type RunningApp } from '../support/apps';

describe('auth: login, JWT and the roles-and-jurisdiction guard', () => {
  let intake: RunningApp;

  beforeAll(async () => {
    intake = await startIntake('auth');
  });
  afterAll(async () => intake?.close());

  const login = (username: string, password: string) =>
    fetch(`${intake.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });

  it('logs a demo user in with a JWT and the user', async () => {
    const res = await login('operator', 'demo1234');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { accessToken: string; user: { id: string; name: string; role: string } };
    expect(body.accessToken.split('.')).toHaveLength(3);
    expect(body.user).toMatchObject({ role: 'operator' });
    const me = await fetch(`${intake.baseUrl}/api/v1/auth/me`, { headers: { authorization: `Bearer ${body.accessToken}` } });
    expect(await me.json()).toMatchObject({ username: 'operator', role: 'operator' });
  });

  it('answers 401 to a wrong password and to an unknown user, alike', async () => {
    for (const [u, p] of [['operator', 'wrong-password'], ['nobody', 'demo1234']]) {
      const res = await login(u, p);
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ statusCode: 401, error: 'invalid_credentials' });
    }
  });

  it('answers 400 naming the field to a malformed login body', async () => {
    const res = await fetch(`${intake.baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username": 5}' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { details: { field: string }[] };
    expect(body.details.map((d) => d.field)).toEqual(expect.arrayContaining(['username', 'password']));
  });

  it('answers 400, not 500, to a body that is not JSON', async () => {
    const res = await fetch(`${intake.baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username":' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ statusCode: 400, error: 'bad_request' });
  });

  it('answers 401 without a token, and to a forged or tampered one', async () => {
    const good = await intake.bearer('operator');
    const tampered = good.slice(0, -3) + (good.endsWith('aaa') ? 'bbb' : 'aaa');
    for (const authorization of [undefined, 'Bearer not-a-jwt', tampered]) {
      const res = await fetch(`${intake.baseUrl}/api/v1/chiefs`, { headers: authorization ? { authorization } : {} });
      expect(res.status).toBe(401);
    }
  });

  it('a chief calling an operator-only endpoint gets 403', async () => {
    const chief = await intake.bearer('chief3');
    const res = await fetch(`${intake.baseUrl}/api/v1/chiefs/1`, {
      method: 'PATCH',
      headers: { authorization: chief, 'content-type': 'application/json' },
      body: JSON.stringify({ available: false }),
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ statusCode: 403, error: 'forbidden' });
    const list = await fetch(`${intake.baseUrl}/api/v1/chiefs`, { headers: { authorization: chief } });
    expect(list.status).toBe(403);
  });

  it('only an admin lists users', async () => {
    const asOperator = await fetch(`${intake.baseUrl}/api/v1/admin/users`, { headers: { authorization: await intake.bearer('operator') } });
    expect(asOperator.status).toBe(403);
    const asAdmin = await fetch(`${intake.baseUrl}/api/v1/admin/users`, { headers: { authorization: await intake.bearer('admin') } });
    expect(asAdmin.status).toBe(200);
    const users = (await asAdmin.json()) as { username: string; role: string }[];
    expect(users.find((u) => u.username === 'warden1')?.role).toBe('warden');
  });

  it('health and metrics need no token', async () => {
    const health = await fetch(`${intake.baseUrl}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', info: { database: { status: 'up' }, redis: { status: 'up' } } });
    const metrics = await fetch(`${intake.baseUrl}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('process_resident_memory_bytes');
  });

  it('serves the OpenAPI document', async () => {
    const res = await fetch(`${intake.baseUrl}/docs-json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/locate', '/api/v1/auth/login', '/api/v1/categories']));
  });
});
