import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECENT_SESSION_MS, RecentSessions } from '@wangge/auth';
import { startIntake, type RunningApp } from '../support/apps';

/**
 * The token check of the last second (RecentSessions): HTTP requests of a signed-in client reuse it,
 * and a change to the account still takes effect within RECENT_SESSION_MS whoever made it — at once
 * through this process's admin API (people-admin.e2e-spec), within the second when made elsewhere
 * (another intake process, or straight in the database as here).
 */
describe('auth: a token check is reused for at most a second', () => {
  let intake: RunningApp;
  let db: Client;

  beforeAll(async () => {
    intake = await startIntake('recent_sessions');
    db = new Client({ connectionString: intake.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await intake?.close();
  });

  const me = (auth: string) => fetch(`${intake.baseUrl}/api/v1/auth/me`, { headers: { authorization: auth } });
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('keeps the check of a request for the next ones', async () => {
    const auth = await intake.bearer('warden2');
    expect((await me(auth)).status).toBe(200);
    expect(intake.app.get(RecentSessions).get(auth.slice('Bearer '.length))?.user.username).toBe('warden2');
  });

  it('refuses a user deactivated elsewhere on their next request after a second', async () => {
    const auth = await intake.bearer('warden3');
    expect((await me(auth)).status).toBe(200);
    await db.query(`UPDATE app_user SET active = false WHERE username = 'warden3'`);
    try {
      await pause(RECENT_SESSION_MS + 50);
      const refused = await me(auth);
      expect(refused.status).toBe(401);
      expect(await refused.json()).toMatchObject({ error: 'invalid_token' });
    } finally {
      await db.query(`UPDATE app_user SET active = true WHERE username = 'warden3'`);
    }
  });

  it('refuses ended sessions and a changed role elsewhere after a second', async () => {
    const auth = await intake.bearer('warden4');
    expect((await me(auth)).status).toBe(200);
    await db.query(`UPDATE app_user SET session_version = session_version + 1 WHERE username = 'warden4'`);
    await pause(RECENT_SESSION_MS + 50);
    const ended = await me(auth);
    expect(ended.status).toBe(401);
    expect(await ended.json()).toMatchObject({ error: 'session_ended' });

    const operator = await intake.bearer('operator');
    const cases = () => fetch(`${intake.baseUrl}/api/v1/cases?limit=1`, { headers: { authorization: operator } });
    expect((await cases()).status).toBe(200);
    await db.query(`UPDATE app_user SET role = 'citizen' WHERE username = 'operator'`);
    try {
      await pause(RECENT_SESSION_MS + 50);
      expect((await cases()).status).toBe(403);
    } finally {
      await db.query(`UPDATE app_user SET role = 'operator' WHERE username = 'operator'`);
    }
  });
});
