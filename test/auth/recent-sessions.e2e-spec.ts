import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECENT_SESSION_MS, RecentSessions } from '@wangge/auth';
import { wardenPoints } from '../reliability/reliability';
import { startIntake, type RunningApp } from '../support/apps';
import { onAppQueries } from '../support/query-log';

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
    intake = await startIntake('recent_sessions', { DUPLICATE_RADIUS_M: '0' });
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

  it('reads a warden’s cells once a second for their requests; a change elsewhere counts within the second, one through the admin API at once', async () => {
    // The app's own statements that read warden cells.
    let cellReads = 0;
    const restore = onAppQueries(intake.app.get(DataSource), (query) => {
      if (/FROM\s+"?warden_cell"?/i.test(query) && /^\s*SELECT/i.test(query)) cellReads++;
    });
    const auth = await intake.bearer('warden5');
    const admin = await intake.bearer('admin');
    const [point] = await wardenPoints(intake.databaseUrl, 'warden5');
    const { rows: cells } = await db.query(`SELECT w.cell_code, w.user_id FROM warden_cell w JOIN app_user u ON u.id = w.user_id WHERE u.username = 'warden5' ORDER BY w.cell_code`);
    // A citizen's report in the warden's first cell: the warden reads it as a case of their cells (the access model's jurisdiction).
    const reported = await fetch(`${intake.baseUrl}/api/v1/cases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ categoryCode: 'E0102', description: '暴露垃圾 warden cells', location: point }),
    });
    expect(reported.status).toBe(201);
    const caseId = ((await reported.json()) as { id: string }).id;
    const read = async () => (await fetch(`${intake.baseUrl}/api/v1/cases/${caseId}`, { headers: { authorization: auth } })).status;
    try {
      await pause(RECENT_SESSION_MS + 50);
      cellReads = 0;
      expect(await read()).toBe(200);
      expect(await read()).toBe(200);
      expect(cellReads, 'warden_cell reads for two requests within the second').toBe(1);

      // Taken from the warden straight in the database: out of their reach from a second on.
      await db.query(`DELETE FROM warden_cell WHERE cell_code = $1`, [cells[0].cell_code]);
      await pause(RECENT_SESSION_MS + 50);
      expect(await read()).toBe(404);

      // Given back through the admin API: at once.
      const given = await fetch(`${intake.baseUrl}/api/v1/admin/users/${cells[0].user_id}`, {
        method: 'PATCH',
        headers: { authorization: admin, 'content-type': 'application/json' },
        body: JSON.stringify({ cells: cells.map((c: { cell_code: string }) => c.cell_code) }),
      });
      expect(given.status, await given.clone().text()).toBe(200);
      expect(await read()).toBe(200);
    } finally {
      restore();
      await db.query(`INSERT INTO warden_cell (user_id, cell_code) SELECT $1, unnest($2::varchar[]) ON CONFLICT DO NOTHING`, [cells[0].user_id, cells.map((c: { cell_code: string }) => c.cell_code)]);
    }
  });
});
