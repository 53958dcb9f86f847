import { startIntake, type RunningApp } from '../support/apps';
import { api, type Answer } from '../support/cases';
import { tokenFor } from '../feed/helpers/feed-client';
import { Client } from 'pg';

/** An intake on a fresh demo database, a database connection, and an admin's token (signed, no login: logins are throttled). */
export interface PeopleWorld {
  app: RunningApp;
  http: ReturnType<typeof api>;
  db: Client;
  admin: string;
  /** A bearer token of any user, signed by the app (no login). */
  bearer(username: string): Promise<string>;
  patch<T = Record<string, unknown>>(path: string, body: unknown, auth: string): Promise<Answer<T>>;
  login(username: string, password: string): Promise<Answer<{ accessToken: string; passwordChangeRequired: boolean; user: { id: string; role: string } }>>;
  /**
   * Cells of a street that no warden made by a test patrols yet, from the street's last cell back:
   * the demo's wardens watch every cell, and warden1..14 the first cells of their street.
   */
  freeCells(streetCode: string, n: number, offset?: number): Promise<string[]>;
  auditCount(action: string, entityId?: string): Promise<number>;
  close(): Promise<void>;
}

export async function startPeopleWorld(label: string, env: Record<string, string> = {}): Promise<PeopleWorld> {
  const app = await startIntake(label, env);
  const db = new Client({ connectionString: app.databaseUrl });
  await db.connect();
  const http = api(app);
  const bearer = async (username: string) => `Bearer ${await tokenFor(app.app, db, username)}`;
  return {
    app,
    http,
    db,
    admin: await bearer('admin'),
    bearer,
    patch: (path, body, auth) => http.call('PATCH', path, { auth, body }),
    login: (username, password) => http.post('/api/v1/auth/login', { username, password }),
    async freeCells(streetCode, n, offset = 0) {
      const { rows } = await db.query(
        `SELECT code FROM grid_cell g WHERE street_code = $1
            AND NOT EXISTS (SELECT 1 FROM warden_cell w JOIN app_user u ON u.id = w.user_id WHERE w.cell_code = g.code AND NOT u.seeded_demo_password)
          ORDER BY code DESC OFFSET $2 LIMIT $3`,
        [streetCode, offset, n],
      );
      return rows.map((r: { code: string }) => r.code);
    },
    async auditCount(action, entityId) {
      const { rows } = entityId
        ? await db.query(`SELECT count(*)::int AS n FROM audit_entry WHERE action = $1 AND entity_id = $2`, [action, entityId])
        : await db.query(`SELECT count(*)::int AS n FROM audit_entry WHERE action = $1`, [action]);
      return rows[0].n as number;
    },
    async close() {
      await db.end();
      await app.close();
    },
  };
}

/** Logs in with a one-time password and sets `next`; returns the (now ordinary) bearer token. */
export async function firstLogin(w: PeopleWorld, username: string, oneTime: string, next: string): Promise<string> {
  const login = await w.login(username, oneTime);
  if (login.status !== 200 || !login.body.passwordChangeRequired) throw new Error(`first login of ${username}: ${login.status} ${JSON.stringify(login.body)}`);
  const auth = `Bearer ${login.body.accessToken}`;
  const changed = await w.http.post('/api/v1/auth/password', { current: oneTime, next }, auth);
  if (changed.status !== 204) throw new Error(`password change of ${username}: ${changed.status} ${JSON.stringify(changed.body)}`);
  return auth;
}
