import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIntake, type RunningApp } from '../support/apps';
import { api, pointInWardenCell } from '../support/cases';

/** The client at `address` behind a proxy on this machine (loopback is a trusted proxy). */
const from = (address: string) => ({ 'x-forwarded-for': address });

/**
 * intake's throttle: anonymous reads, reports per role, logins per address and per account; each
 * client behind a trusted proxy counted by its own (forwarded) address.
 */
describe('rate limits', () => {
  let app: RunningApp;
  let db: Client;
  let http: ReturnType<typeof api>;

  beforeAll(async () => {
    app = await startIntake('rate_limits', {
      READ_RATE_LIMIT: '3',
      REPORT_RATE_LIMIT: '2',
      REPORT_RATE_LIMIT_STAFF: '5',
      LOGIN_RATE_LIMIT: '1000',
      LOGIN_BACKOFF_FREE_FAILURES: '3',
    });
    db = new Client({ connectionString: app.databaseUrl });
    await db.connect();
    http = api(app);
  });

  afterAll(async () => {
    await db?.end();
    await app?.close();
  });

  it('limits anonymous Open311 reads per client: two clients behind the proxy have separate limits', async () => {
    const read = (address: string) => http.call('GET', '/open311/v2/requests.json', { headers: from(address) });
    for (let i = 0; i < 3; i++) expect((await read('198.51.100.1')).status).toBe(200);
    const over = await read('198.51.100.1');
    expect(over.status).toBe(429);
    expect(over.body).toEqual([expect.objectContaining({ code: 429 })]);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another client behind the same proxy is not held back by the first.
    expect((await read('198.51.100.2')).status).toBe(200);
    expect((await http.call('GET', '/open311/v2/services.json', { headers: from('198.51.100.3') })).status).toBe(200);
  });

  it('limits reads of a case by its tracking token, not staff reads', async () => {
    const point = await pointInWardenCell(db, 'warden1');
    const created = await http.post<{ id: string; trackingToken: string }>(
      '/api/v1/cases',
      { categoryCode: 'C0101', description: '井盖缺失 manhole cover missing', location: { lng: point.lng, lat: point.lat } },
      undefined,
      from('198.51.100.10'),
    );
    expect(created.status).toBe(201);
    const path = `/api/v1/cases/${created.body.id}?trackingToken=${encodeURIComponent(created.body.trackingToken)}`;
    for (let i = 0; i < 3; i++) expect((await http.call('GET', path, { headers: from('198.51.100.11') })).status).toBe(200);
    expect((await http.call('GET', path, { headers: from('198.51.100.11') })).status).toBe(429);
    const operator = await app.bearer('operator');
    for (let i = 0; i < 5; i++) expect((await http.call('GET', `/api/v1/cases/${created.body.id}`, { auth: operator, headers: from('198.51.100.11') })).status).toBe(200);
  });

  it('lets wardens and operators report far more than anonymous clients', async () => {
    // The throttle comes before the body is judged: an empty report counts, answered 400.
    const anonymous = [];
    for (let i = 0; i < 3; i++) anonymous.push((await http.post('/api/v1/cases', {}, undefined, from('198.51.100.20'))).status);
    expect(anonymous).toEqual([400, 400, 429]);
    const warden = await app.bearer('warden1');
    const staff = [];
    for (let i = 0; i < 6; i++) staff.push((await http.post('/api/v1/cases', {}, warden, from('198.51.100.20'))).status);
    expect(staff).toEqual([400, 400, 400, 400, 400, 429]);
  });

  it('backs off one account after wrong passwords, from any address, without locking out the others', async () => {
    const login = (username: string, password: string, address: string) =>
      http.call('POST', '/api/v1/auth/login', { body: { username, password }, headers: from(address) });
    // Three wrong passwords are free; the fourth locks the account, wherever the next try comes from.
    for (let i = 0; i < 4; i++) expect((await login('operator', `wrong-password-${i}`, `192.0.2.${100 + i}`)).status).toBe(401);
    const locked = await login('operator', 'wrong-password-x', '192.0.2.200');
    expect(locked.status).toBe(429);
    expect(locked.body).toMatchObject({ error: 'login_locked', retryAfter: expect.any(Number) });
    expect(locked.body.message).toMatch(/too many wrong passwords for this account/);
    expect(Number(locked.headers.get('retry-after'))).toBe(locked.body.retryAfter);
    // Locked means locked: the right password waits too.
    expect((await login('operator', 'demo1234', '192.0.2.201')).status).toBe(429);
    // Other accounts, from the very addresses that guessed, log in as usual.
    for (let i = 0; i < 4; i++) expect((await login(i % 2 ? 'warden1' : 'leader', 'demo1234', `192.0.2.${100 + i}`)).status).toBe(200);
    // So does a staff member behind the same proxy as the guesser, past the old ten-a-minute limit.
    for (let i = 0; i < 12; i++) expect((await login('chief1', 'demo1234', '192.0.2.100')).status).toBe(200);
  });

  it('keeps a limit per address on logins', async () => {
    const strict = await startIntake('rate_limits_login', { LOGIN_RATE_LIMIT: '2' });
    try {
      const s = api(strict);
      const login = (address: string) => s.call('POST', '/api/v1/auth/login', { body: { username: 'leader', password: 'demo1234' }, headers: from(address) });
      expect([(await login('192.0.2.50')).status, (await login('192.0.2.50')).status, (await login('192.0.2.50')).status]).toEqual([200, 200, 429]);
      expect((await login('192.0.2.51')).status).toBe(200);
    } finally {
      await strict.close();
    }
  });
});
