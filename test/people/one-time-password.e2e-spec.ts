import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPeopleWorld, type PeopleWorld } from './people-helpers';

describe('one-time passwords: POST /api/v1/auth/password first, then everything else', () => {
  let w: PeopleWorld;
  let oneTime: string;
  let userId: string;

  beforeAll(async () => {
    w = await startPeopleWorld('people-otp');
    const created = await w.http.post<{ id: string; initialPassword: string }>('/api/v1/admin/users', { username: 'li.lei', name: '李雷', role: 'operator' }, w.admin);
    expect(created.status).toBe(201);
    oneTime = created.body.initialPassword;
    userId = created.body.id;
  });

  afterAll(async () => {
    await w?.close();
  });

  it('logs in with passwordChangeRequired; that token may only change the password, new passwords must pass the policy', async () => {
    const login = await w.login('li.lei', oneTime);
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({ accessToken: expect.any(String), passwordChangeRequired: true, user: { id: userId, role: 'operator' } });
    const auth = `Bearer ${login.body.accessToken}`;

    for (const path of ['/api/v1/auth/me', '/api/v1/cases', '/api/v1/me/tasks', '/api/v1/categories']) {
      const res = await w.http.get(path, auth);
      expect({ path, status: res.status, error: res.body.error }).toEqual({ path, status: 403, error: 'password_change_required' });
    }
    const report = await w.http.post('/api/v1/cases', { categoryCode: 'C0101', description: 'x', location: { lng: 113.68, lat: 34.74 } }, auth);
    expect(report.status).toBe(403);

    // POST /auth/password is throttled like the login (10 a minute per client): this file stays under it.
    const refusals: [Record<string, string>, string, RegExp][] = [
      [{ current: oneTime, next: 'short-pw1' }, 'next', /at least 10 characters/],
      [{ current: oneTime, next: 'li.lei' }, 'next', /at least 10/],
      [{ current: oneTime, next: 'LI.LEI.li.lei' }, 'next', /must not be the username/],
      [{ current: oneTime, next: 'Password123' }, 'next', /too common/],
      [{ current: oneTime, next: oneTime }, 'next', /differ/],
      [{ current: 'wrong-password-1', next: 'li-lei-secure-2026' }, 'current', /wrong/],
    ];
    for (const [body, field, reason] of refusals) {
      const res = await w.http.post('/api/v1/auth/password', body, auth);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expect(res.body.details?.[0]).toMatchObject({ field, problem: expect.stringMatching(reason) });
    }
    // The username as the password (long enough to pass the length rule).
    const created = await w.http.post<{ initialPassword: string }>('/api/v1/admin/users', { username: 'han.meimei.2026', name: '韩梅梅', role: 'leader' }, w.admin);
    const han = await w.login('han.meimei.2026', created.body.initialPassword);
    const same = await w.http.post('/api/v1/auth/password', { current: created.body.initialPassword, next: 'han.meimei.2026' }, `Bearer ${han.body.accessToken}`);
    expect(same.status).toBe(400);
    expect(same.body.details?.[0]).toMatchObject({ field: 'next', problem: expect.stringMatching(/must not be the username/) });
    expect(await w.auditCount('user.password_change', userId)).toBe(0);

    const changed = await w.http.post('/api/v1/auth/password', { current: oneTime, next: 'li-lei-secure-2026' }, auth);
    expect(changed.status).toBe(204);
    // The same token now works everywhere; the one-time password no longer logs in.
    expect((await w.http.get('/api/v1/auth/me', auth)).status).toBe(200);
    expect((await w.http.get('/api/v1/cases', auth)).status).toBe(200);
    expect((await w.login('li.lei', oneTime)).status).toBe(401);
    const again = await w.login('li.lei', 'li-lei-secure-2026');
    expect(again.body.passwordChangeRequired).toBe(false);
    const entries = (await w.db.query(`SELECT actor_id, actor_username, before, after FROM audit_entry WHERE action = 'user.password_change'`)).rows;
    expect(entries).toEqual([{ actor_id: userId, actor_username: 'li.lei', before: null, after: null }]);
  });

  it('lets any signed-in user change their own password, and refuses anonymous callers', async () => {
    const operator = await w.bearer('operator');
    expect((await w.http.post('/api/v1/auth/password', { current: 'demo1234', next: 'operator-new-2026' }, operator)).status).toBe(204);
    expect((await w.http.get('/api/v1/auth/me', operator)).status).toBe(200);
    expect((await w.http.post('/api/v1/auth/password', { current: 'demo1234', next: 'operator-new-2026' })).status).toBe(401);
  });
});
