import { hashPassword } from '@wangge/auth';
import { Client } from 'pg';
import type { RunningApp } from './apps';

/** Small helpers to drive cases over HTTP in tests. */
export interface Answer<T = Record<string, unknown>> {
  status: number;
  body: T & { error?: string; message?: string; details?: { field: string; problem: string }[]; currentStatus?: string };
  headers: Headers;
}

export function api(app: RunningApp) {
  async function call<T = Record<string, unknown>>(method: string, path: string, options: { auth?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer<T>> {
    const res = await fetch(`${app.baseUrl}${path}`, {
      method,
      headers: {
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(options.auth ? { authorization: options.auth } : {}),
        ...options.headers,
      },
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
    });
    const text = await res.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      body = { raw: text };
    }
    return { status: res.status, body: body as Answer<T>['body'], headers: res.headers };
  }
  return {
    call,
    get: <T = Record<string, unknown>>(path: string, auth?: string) => call<T>('GET', path, { auth }),
    post: <T = Record<string, unknown>>(path: string, body: unknown, auth?: string, headers?: Record<string, string>) =>
      call<T>('POST', path, { auth, body, headers }),
    act: <T = Record<string, unknown>>(caseId: string, action: string, body: unknown, auth: string) =>
      call<T>('POST', `/api/v1/cases/${caseId}/${action}`, { auth, body }),
  };
}

export async function withDb<T>(url: string, fn: (db: Client) => Promise<T>): Promise<T> {
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    return await fn(db);
  } finally {
    await db.end();
  }
}

/** A point well inside one of the warden's cells (its n-th cell), with the cell code. */
export async function pointInWardenCell(db: Client, username: string, n = 0): Promise<{ lng: number; lat: number; cellCode: string; streetCode: string }> {
  const { rows } = await db.query(
    `SELECT gc.code, gc.street_code, ST_X(ST_PointOnSurface(gc.geom)) AS lng, ST_Y(ST_PointOnSurface(gc.geom)) AS lat
       FROM warden_cell w JOIN app_user u ON u.id = w.user_id JOIN grid_cell gc ON gc.code = w.cell_code
      WHERE u.username = $1 ORDER BY gc.code OFFSET $2 LIMIT 1`,
    [username, n],
  );
  if (!rows[0]) throw new Error(`${username} has no cell #${n}`);
  return { lng: rows[0].lng, lat: rows[0].lat, cellCode: rows[0].code, streetCode: rows[0].street_code };
}

/** A point in a cell no given warden patrols. */
export async function pointOutsideWarden(db: Client, username: string): Promise<{ lng: number; lat: number; cellCode: string; streetCode: string }> {
  const { rows } = await db.query(
    `SELECT gc.code, gc.street_code, ST_X(ST_PointOnSurface(gc.geom)) AS lng, ST_Y(ST_PointOnSurface(gc.geom)) AS lat
       FROM grid_cell gc
      WHERE NOT EXISTS (SELECT 1 FROM warden_cell w JOIN app_user u ON u.id = w.user_id WHERE w.cell_code = gc.code AND u.username = $1)
      ORDER BY gc.code LIMIT 1`,
    [username],
  );
  return { lng: rows[0].lng, lat: rows[0].lat, cellCode: rows[0].code, streetCode: rows[0].street_code };
}

export async function chiefIdOf(db: Client, username: string): Promise<number> {
  const { rows } = await db.query(`SELECT c.id FROM road_chief c JOIN app_user u ON u.id = c.user_id WHERE u.username = $1`, [username]);
  if (!rows[0]) throw new Error(`${username} is not a chief`);
  return rows[0].id as number;
}

export async function count(db: Client, table: string): Promise<number> {
  const { rows } = await db.query(`SELECT count(*)::int AS n FROM ${table}`);
  return rows[0].n as number;
}

/** The street-level admin that tests of "who may change what" add: an admin of the first street. */
export const STREET_ADMIN = { username: 'street_admin', password: 'street-admin-pass-1' } as const;

/** Adds {@link STREET_ADMIN} as an admin of the database's first street; returns that street's code. */
export async function addStreetAdmin(db: Pick<Client, 'query'>): Promise<string> {
  const street = (await db.query(`SELECT code FROM street ORDER BY code LIMIT 1`)).rows[0].code as string;
  await db.query(`INSERT INTO app_user (username, name, role, street_code, password_hash) VALUES ($1, '街道管理员', 'admin', $2, $3)`, [
    STREET_ADMIN.username,
    street,
    await hashPassword(STREET_ADMIN.password),
  ]);
  return street;
}

/** The street-level operator that least-privilege tests add: an operator of the database's first street. */
export const STREET_OPERATOR = { username: 'street_operator', password: 'street-operator-pass-1' } as const;

/** Adds {@link STREET_OPERATOR} as an operator of the database's first street; returns that street's code. */
export async function addStreetOperator(db: Pick<Client, 'query'>): Promise<string> {
  const street = (await db.query(`SELECT code FROM street ORDER BY code LIMIT 1`)).rows[0].code as string;
  await db.query(`INSERT INTO app_user (username, name, role, street_code, password_hash) VALUES ($1, '街道受理员', 'operator', $2, $3)`, [
    STREET_OPERATOR.username,
    street,
    await hashPassword(STREET_OPERATOR.password),
  ]);
  return street;
}
